import { Box, Button, Group, Kbd, Stack, Text } from "@mantine/core";
import type { LabelsQuestion, LabelsState } from "../../utils/answers";
import { labelTargets, toggleLabel } from "../../utils/answers/labels";
import { ITEM_TARGET, targetLabel } from "../../utils/candidates";
import { rowStyle, WIDGET_CONTROL, type WidgetProps } from "./widget-props";

type Props = WidgetProps<LabelsQuestion, LabelsState>;

/** Options to flag, for the item or per response; digits toggle them on the focused row. */
export function LabelsWidget({ question, state, ctx, focus, active, disabled, onChange, onRow }: Props) {
  const targets = labelTargets(question, ctx);
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed">
        {question.multiple ? "Choose any that apply" : "Choose at most one"}; leave empty when none apply.
      </Text>
      {targets.map((target, index) => {
        const chosen = state.labels[target] ?? [];
        const name = targetLabel(target, ctx.candidateIds);
        return (
          <Box
            key={target}
            style={rowStyle(active && focus.row === index)}
            onMouseDown={() => onRow(index)}
            data-row={index}
          >
            <Group gap="xs" wrap="wrap">
              {target !== ITEM_TARGET && (
                <Text size="sm" fw={600} w={100}>
                  {name}
                </Text>
              )}
              <Group gap={4} role="group" aria-label={target === ITEM_TARGET ? question.prompt || question.id : name}>
                {question.options.map((option, optionIndex) => {
                  const on = chosen.includes(option);
                  return (
                    <Button
                      key={option}
                      {...WIDGET_CONTROL}
                      size="compact-sm"
                      radius="xl"
                      variant={on ? "filled" : "default"}
                      aria-pressed={on}
                      disabled={disabled}
                      leftSection={optionIndex < 10 ? <Kbd size="xs">{(optionIndex + 1) % 10}</Kbd> : undefined}
                      onClick={() => onChange(toggleLabel(question, state, target, option))}
                    >
                      {option}
                    </Button>
                  );
                })}
              </Group>
            </Group>
          </Box>
        );
      })}
    </Stack>
  );
}
