import { Button, Group, Paper, SimpleGrid, Stack, Switch, Text, Textarea, TextInput } from "@mantine/core";
import type { RubricCriterion, RubricQuestion } from "@/api/types";
import { errorAt, errorsUnder, type ErrorMap } from "../utils/error-map";
import { moveItem, removeAt, replaceAt } from "../utils/list";
import { uniqueId } from "../utils/question-kinds";
import { NumberField } from "./number-field";
import { RowControls } from "./row-controls";
import type { KindFieldsProps } from "./simple-kind-fields";
import { StringListEditor } from "./string-list-editor";

interface CriterionEditorProps {
  criterion: RubricCriterion;
  index: number;
  count: number;
  onChange: (criterion: RubricCriterion) => void;
  onMove: (to: number) => void;
  onRemove: () => void;
  errors: ErrorMap;
  readOnly: boolean;
}

function CriterionEditor(props: CriterionEditorProps) {
  const { criterion, index, count, onChange, onMove, onRemove, errors, readOnly } = props;
  return (
    <Paper withBorder p="xs" role="group" aria-label={`Criterion ${index + 1}`} data-testid="criterion">
      <Stack gap="xs">
        <Group justify="space-between">
          <Text size="sm" fw={600}>
            Criterion {index + 1}
          </Text>
          {!readOnly && (
            <RowControls
              name={`criterion ${index + 1}`}
              index={index}
              count={count}
              onMove={onMove}
              onRemove={onRemove}
            />
          )}
        </Group>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
          <TextInput
            size="xs"
            label="ID"
            value={criterion.id}
            onChange={(event) => onChange({ ...criterion, id: event.currentTarget.value })}
            error={errorAt(errors, "id")}
            readOnly={readOnly}
          />
          <NumberField
            size="xs"
            label="Points"
            description="For the best level; lower levels scale down to 0"
            value={criterion.points}
            onChange={(points) => onChange({ ...criterion, points })}
            min={0}
            error={errorAt(errors, "points")}
            readOnly={readOnly}
          />
        </SimpleGrid>
        <Textarea
          size="xs"
          label="Text"
          autosize
          minRows={1}
          maxRows={6}
          value={criterion.text}
          onChange={(event) => onChange({ ...criterion, text: event.currentTarget.value })}
          error={errorAt(errors, "text")}
          readOnly={readOnly}
        />
        <StringListEditor
          label="Levels"
          description="Worst first, e.g. fail, pass"
          itemName="Level"
          values={criterion.levels ?? ["fail", "pass"]}
          onChange={(levels) => onChange({ ...criterion, levels })}
          errors={errorsUnder(errors, "levels")}
          ordered
          readOnly={readOnly}
        />
      </Stack>
    </Paper>
  );
}

export function RubricFields({ question, onChange, errors, readOnly }: KindFieldsProps<RubricQuestion>) {
  const criteria = question.criteria ?? [];
  const setCriteria = (next: RubricCriterion[]) => onChange({ ...question, criteria: next });
  const addCriterion = () =>
    setCriteria([
      ...criteria,
      {
        id: uniqueId(
          "criterion",
          criteria.map((criterion) => criterion.id),
        ),
        text: "",
        points: 1,
        levels: ["fail", "pass"],
      },
    ]);
  const listError = errorAt(errors, "criteria");
  return (
    <Stack gap="sm">
      <Switch
        label="Also use each item's own criteria"
        description="Items can bring criteria of their own in their rubric field"
        checked={question.item_criteria}
        onChange={(event) => onChange({ ...question, item_criteria: event.currentTarget.checked })}
        error={errorAt(errors, "item_criteria")}
        disabled={readOnly}
      />
      <Text size="sm" fw={500}>
        Criteria
      </Text>
      {listError && (
        <Text size="xs" c="red" role="alert" style={{ whiteSpace: "pre-line" }}>
          {listError}
        </Text>
      )}
      {criteria.map((criterion, c) => (
        <CriterionEditor
          // Position is the identity: ids are being edited and may collide.
          key={c}
          criterion={criterion}
          index={c}
          count={criteria.length}
          onChange={(next) => setCriteria(replaceAt(criteria, c, next))}
          onMove={(to) => setCriteria(moveItem(criteria, c, to))}
          onRemove={() => setCriteria(removeAt(criteria, c))}
          errors={errorsUnder(errors, `criteria.${c}`)}
          readOnly={readOnly}
        />
      ))}
      {!readOnly && (
        <Group>
          <Button size="compact-sm" variant="light" onClick={addCriterion}>
            Add criterion
          </Button>
        </Group>
      )}
    </Stack>
  );
}
