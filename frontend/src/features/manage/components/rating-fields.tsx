import { Button, Group, Paper, Select, SimpleGrid, Stack, Text, TextInput } from "@mantine/core";
import type { RatingDimension, RatingQuestion } from "@/api/types";
import { errorAt, errorsUnder, hasErrors, type ErrorMap } from "../utils/error-map";
import { moveItem, removeAt, replaceAt } from "../utils/list";
import { PER_OPTIONS, uniqueId } from "../utils/question-kinds";
import { MAX_NAMED_POINTS, pointKey, scalePoints } from "../utils/scale";
import { NumberField } from "./number-field";
import { RowControls } from "./row-controls";
import type { KindFieldsProps } from "./simple-kind-fields";

interface DimensionEditorProps {
  dimension: RatingDimension;
  index: number;
  count: number;
  onChange: (dimension: RatingDimension) => void;
  onMove: (to: number) => void;
  onRemove: () => void;
  errors: ErrorMap;
  readOnly: boolean;
}

function ScaleNames({ dimension, onChange, errors, readOnly }: Omit<DimensionEditorProps, "index" | "count" | "onMove" | "onRemove">) {
  const points = scalePoints(dimension.min, dimension.max, dimension.step);
  const labels = dimension.labels ?? {};
  const labelErrors = errorsUnder(errors, "labels");
  const error = hasErrors(labelErrors)
    ? Object.entries(labelErrors)
        .map(([path, messages]) => (path ? `${path}: ${messages.join(" ")}` : messages.join(" ")))
        .join("\n")
    : undefined;
  if (!points) {
    return (
      <Text size="xs" c={error ? "red" : "dimmed"} style={{ whiteSpace: "pre-line" }}>
        {error ??
          `Scale points can be named here for scales of up to ${MAX_NAMED_POINTS} points; use the JSON tab for longer ones.`}
      </Text>
    );
  }
  const setName = (point: number, name: string) => {
    const next = { ...labels };
    if (name === "") {
      delete next[pointKey(point)];
    } else {
      next[pointKey(point)] = name;
    }
    onChange({ ...dimension, labels: next });
  };
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500}>
        Scale point names <Text span size="xs" c="dimmed">(optional)</Text>
      </Text>
      <SimpleGrid cols={{ base: 2, sm: Math.min(points.length, 6) }} spacing={6} verticalSpacing={6}>
        {points.map((point) => (
          <TextInput
            key={point}
            size="xs"
            label={pointKey(point)}
            aria-label={`Name for ${pointKey(point)}`}
            value={labels[pointKey(point)] ?? ""}
            onChange={(event) => setName(point, event.currentTarget.value)}
            readOnly={readOnly}
          />
        ))}
      </SimpleGrid>
      {error && (
        <Text size="xs" c="red" style={{ whiteSpace: "pre-line" }}>
          {error}
        </Text>
      )}
    </Stack>
  );
}

function DimensionEditor(props: DimensionEditorProps) {
  const { dimension, index, count, onChange, onMove, onRemove, errors, readOnly } = props;
  const name = `dimension ${index + 1}`;
  return (
    <Paper withBorder p="xs" role="group" aria-label={`Dimension ${index + 1}`} data-testid="dimension">
      <Stack gap="xs">
        <Group justify="space-between">
          <Text size="sm" fw={600}>
            Dimension {index + 1}
          </Text>
          {!readOnly && <RowControls name={name} index={index} count={count} onMove={onMove} onRemove={onRemove} />}
        </Group>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
          <TextInput
            size="xs"
            label="ID"
            value={dimension.id}
            onChange={(event) => onChange({ ...dimension, id: event.currentTarget.value })}
            error={errorAt(errors, "id")}
            readOnly={readOnly}
          />
          <TextInput
            size="xs"
            label="Label"
            value={dimension.label}
            onChange={(event) => onChange({ ...dimension, label: event.currentTarget.value })}
            error={errorAt(errors, "label")}
            readOnly={readOnly}
          />
        </SimpleGrid>
        <SimpleGrid cols={3} spacing="xs">
          <NumberField
            size="xs"
            label="Min"
            value={dimension.min}
            onChange={(min) => onChange({ ...dimension, min })}
            error={errorAt(errors, "min")}
            readOnly={readOnly}
          />
          <NumberField
            size="xs"
            label="Max"
            value={dimension.max}
            onChange={(max) => onChange({ ...dimension, max })}
            error={errorAt(errors, "max")}
            readOnly={readOnly}
          />
          <NumberField
            size="xs"
            label="Step"
            value={dimension.step}
            onChange={(step) => onChange({ ...dimension, step })}
            error={errorAt(errors, "step")}
            readOnly={readOnly}
          />
        </SimpleGrid>
        <ScaleNames dimension={dimension} onChange={onChange} errors={errors} readOnly={readOnly} />
      </Stack>
    </Paper>
  );
}

export function RatingFields({ question, onChange, errors, readOnly }: KindFieldsProps<RatingQuestion>) {
  const { dimensions } = question;
  const setDimensions = (next: RatingDimension[]) => onChange({ ...question, dimensions: next });
  const addDimension = () =>
    setDimensions([
      ...dimensions,
      {
        id: uniqueId(
          "dimension",
          dimensions.map((dimension) => dimension.id),
        ),
        label: "",
        min: 1,
        max: 5,
        step: 1,
        labels: {},
      },
    ]);
  const listError = errorAt(errors, "dimensions");
  return (
    <Stack gap="sm">
      <Select
        label="Scores are given for"
        data={PER_OPTIONS}
        value={question.per}
        onChange={(value) => value && onChange({ ...question, per: value === "item" ? "item" : "candidate" })}
        allowDeselect={false}
        error={errorAt(errors, "per")}
        disabled={readOnly}
        size="xs"
        maw={260}
      />
      <Text size="sm" fw={500}>
        Dimensions
      </Text>
      {listError && (
        <Text size="xs" c="red" role="alert" style={{ whiteSpace: "pre-line" }}>
          {listError}
        </Text>
      )}
      {dimensions.map((dimension, d) => (
        <DimensionEditor
          // Position is the identity: ids are being edited and may collide.
          key={d}
          dimension={dimension}
          index={d}
          count={dimensions.length}
          onChange={(next) => setDimensions(replaceAt(dimensions, d, next))}
          onMove={(to) => setDimensions(moveItem(dimensions, d, to))}
          onRemove={() => setDimensions(removeAt(dimensions, d))}
          errors={errorsUnder(errors, `dimensions.${d}`)}
          readOnly={readOnly}
        />
      ))}
      {!readOnly && (
        <Group>
          <Button size="compact-sm" variant="light" onClick={addDimension}>
            Add dimension
          </Button>
        </Group>
      )}
    </Stack>
  );
}
