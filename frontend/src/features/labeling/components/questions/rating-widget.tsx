import { Box, Button, Group, Kbd, NumberInput, Stack, Text } from "@mantine/core";
import { Fragment } from "react";
import type { RatingDimension } from "@/api/types";
import type { RatingQuestion, RatingState } from "../../utils/answers";
import { MAX_BUTTON_VALUES, ratingRows, scaleValues, setScore, valueKeys } from "../../utils/answers/rating";
import { ITEM_TARGET, targetLabel } from "../../utils/candidates";
import { rowStyle, WIDGET_CONTROL, type WidgetProps } from "./widget-props";

type Props = WidgetProps<RatingQuestion, RatingState>;

interface ScaleProps {
  dimension: RatingDimension;
  value: number | undefined;
  label: string;
  disabled: boolean;
  onPick: (value: number | null) => void;
}

function Scale({ dimension, value, label, disabled, onPick }: ScaleProps) {
  const values = scaleValues(dimension);
  if (values.length > MAX_BUTTON_VALUES) {
    return (
      <NumberInput
        aria-label={label}
        size="xs"
        w={120}
        min={dimension.min}
        max={dimension.max}
        step={dimension.step}
        value={value ?? ""}
        disabled={disabled}
        onChange={(next) => onPick(typeof next === "number" ? next : null)}
      />
    );
  }
  const keys = valueKeys(dimension);
  return (
    <Group gap={4} role="group" aria-label={label}>
      {values.map((option, index) => {
        const chosen = value === option;
        const key = keys[index];
        const name = dimension.labels?.[String(option)];
        return (
          <Button
            key={option}
            {...WIDGET_CONTROL}
            size="compact-sm"
            miw={34}
            variant={chosen ? "filled" : "default"}
            aria-pressed={chosen}
            aria-label={name ? `${option} (${name})` : String(option)}
            title={name}
            disabled={disabled}
            rightSection={key !== null && key !== String(option) ? <Kbd size="xs">{key}</Kbd> : undefined}
            onClick={() => onPick(chosen ? null : option)}
          >
            {option}
          </Button>
        );
      })}
    </Group>
  );
}

/** Every target (response, or the item) × every dimension; digits rate the focused row. */
export function RatingWidget({ question, state, ctx, focus, active, disabled, onChange, onRow }: Props) {
  const rows = ratingRows(question, ctx);
  return (
    <Stack gap={2}>
      {rows.map((row, index) => {
        const firstOfTarget = index === 0 || rows[index - 1]?.target !== row.target;
        const dimensionName = row.dimension.label || row.dimension.id;
        const target = targetLabel(row.target, ctx.candidateIds);
        const names = row.dimension.labels;
        const ends = [names?.[String(row.dimension.min)], names?.[String(row.dimension.max)]];
        return (
          <Fragment key={`${row.target}:${row.dimension.id}`}>
            {firstOfTarget && row.target !== ITEM_TARGET && (
              <Text size="sm" fw={600} mt={index === 0 ? 0 : "xs"}>
                {target}
              </Text>
            )}
            <Box style={rowStyle(active && focus.row === index)} onMouseDown={() => onRow(index)} data-row={index}>
              <Group justify="space-between" wrap="wrap" gap="xs">
                <Text size="sm">{dimensionName}</Text>
                <Scale
                  dimension={row.dimension}
                  value={state.scores[row.target]?.[row.dimension.id]}
                  label={`${target} · ${dimensionName}`}
                  disabled={disabled}
                  onPick={(value) => onChange(setScore(state, row.target, row.dimension.id, value))}
                />
              </Group>
              {(ends[0] ?? ends[1]) && (
                <Text size="xs" c="dimmed" ta="right">
                  {row.dimension.min} = {ends[0] ?? "lowest"} · {row.dimension.max} = {ends[1] ?? "highest"}
                </Text>
              )}
            </Box>
          </Fragment>
        );
      })}
    </Stack>
  );
}
