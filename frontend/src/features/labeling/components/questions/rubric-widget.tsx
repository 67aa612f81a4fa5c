import { Badge, Box, Button, Group, Kbd, Stack, Text } from "@mantine/core";
import { Fragment } from "react";
import type { RubricQuestion, RubricState } from "../../utils/answers";
import { criterionLevels, rubricCriteria, rubricRows, rubricTotal, setLevel } from "../../utils/answers/rubric";
import { targetLabel } from "../../utils/candidates";
import { rowStyle, WIDGET_CONTROL, type WidgetProps } from "./widget-props";

type Props = WidgetProps<RubricQuestion, RubricState>;

const points = (value: number) => `${Number(value.toFixed(2))} pt${value === 1 ? "" : "s"}`;

/** Every shown response × every criterion; digits pick the focused row's level (1 = first level). */
export function RubricWidget({ question, state, ctx, focus, active, disabled, onChange, onRow }: Props) {
  const rows = rubricRows(question, ctx);
  if (rows.length === 0) {
    return <Text c="dimmed">No criteria apply to this item.</Text>;
  }
  const maxPoints = rubricCriteria(question, ctx).reduce((sum, criterion) => sum + criterion.points, 0);
  return (
    <Stack gap={2}>
      {rows.map((row, index) => {
        const firstOfCandidate = index === 0 || rows[index - 1]?.candidate !== row.candidate;
        const target = targetLabel(row.candidate, ctx.candidateIds);
        const chosen = state.levels[row.candidate]?.[row.criterion.id];
        return (
          <Fragment key={`${row.candidate}:${row.criterion.id}`}>
            {firstOfCandidate && (
              <Group justify="space-between" mt={index === 0 ? 0 : "xs"}>
                <Text size="sm" fw={600}>
                  {target}
                </Text>
                <Text size="xs" c="dimmed">
                  {points(rubricTotal(question, state, ctx, row.candidate))} of {points(maxPoints)}
                </Text>
              </Group>
            )}
            <Box style={rowStyle(active && focus.row === index)} onMouseDown={() => onRow(index)} data-row={index}>
              <Group justify="space-between" wrap="wrap" gap="xs">
                <Group gap={6} wrap="nowrap" style={{ flex: "1 1 12rem" }}>
                  <Text size="sm">{row.criterion.text || row.criterion.id}</Text>
                  <Badge size="xs" variant="outline" color="gray">
                    {points(row.criterion.points)}
                  </Badge>
                </Group>
                <Group gap={4} role="group" aria-label={`${target} · ${row.criterion.text || row.criterion.id}`}>
                  {criterionLevels(row.criterion).map((level, levelIndex) => {
                    const picked = chosen === level;
                    return (
                      <Button
                        key={level}
                        {...WIDGET_CONTROL}
                        size="compact-sm"
                        variant={picked ? "filled" : "default"}
                        aria-pressed={picked}
                        disabled={disabled}
                        leftSection={levelIndex < 10 ? <Kbd size="xs">{(levelIndex + 1) % 10}</Kbd> : undefined}
                        onClick={() =>
                          onChange(setLevel(state, row.candidate, row.criterion.id, picked ? null : level))
                        }
                      >
                        {level}
                      </Button>
                    );
                  })}
                </Group>
              </Group>
            </Box>
          </Fragment>
        );
      })}
    </Stack>
  );
}
