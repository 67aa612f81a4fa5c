import { Button, Group, Kbd, Stack, Text } from "@mantine/core";
import type { PairwiseQuestion, PairwiseState } from "../../utils/answers";
import {
  chooseStrength,
  chooseWinner,
  STRENGTH_KEYS,
  strengthLabels,
  TIE,
  toggleBothBad,
} from "../../utils/answers/pairwise";
import { WIDGET_CONTROL, type WidgetProps } from "./widget-props";

type Props = WidgetProps<PairwiseQuestion, PairwiseState>;

export function PairwiseWidget({ question, state, ctx, disabled, onChange }: Props) {
  const [first, second] = ctx.candidateIds;
  if (ctx.candidateIds.length !== 2 || first === undefined || second === undefined) {
    return <Text c="dimmed">This question applies when exactly two responses are shown.</Text>;
  }
  const choices = [
    { key: "1", winner: first, label: "A is better" },
    ...(question.tie ? [{ key: "2", winner: TIE, label: "Tie" }] : []),
    { key: "3", winner: second, label: "B is better" },
  ];
  const strengths = strengthLabels(question);
  return (
    <Stack gap="xs">
      <Group grow gap="xs">
        {choices.map((choice) => {
          const chosen = state.winner === choice.winner;
          return (
            <Button
              key={choice.key}
              {...WIDGET_CONTROL}
              variant={chosen ? "filled" : "default"}
              aria-pressed={chosen}
              disabled={disabled}
              leftSection={<Kbd size="xs">{choice.key}</Kbd>}
              onClick={() => onChange(chooseWinner(state, choice.winner))}
            >
              {choice.label}
            </Button>
          );
        })}
      </Group>
      {strengths.length > 0 && (
        <Group gap="xs" role="group" aria-label="How much better">
          <Text size="sm" c="dimmed">
            How much better?
          </Text>
          {strengths.map((label, index) => {
            const chosen = state.strength === index;
            return (
              <Button
                key={label}
                {...WIDGET_CONTROL}
                size="compact-sm"
                variant={chosen ? "filled" : "default"}
                aria-pressed={chosen}
                disabled={disabled || state.winner === TIE}
                leftSection={<Kbd size="xs">{STRENGTH_KEYS[index]}</Kbd>}
                onClick={() => onChange(chooseStrength(state, index))}
              >
                {label}
              </Button>
            );
          })}
        </Group>
      )}
      {question.both_bad && (
        <Group>
          <Button
            {...WIDGET_CONTROL}
            size="compact-sm"
            color="red"
            variant={state.bothBad ? "filled" : "default"}
            aria-pressed={state.bothBad}
            disabled={disabled}
            leftSection={<Kbd size="xs">x</Kbd>}
            onClick={() => onChange(toggleBothBad(state))}
          >
            Both are bad
          </Button>
        </Group>
      )}
    </Stack>
  );
}
