import { ActionIcon, Badge, Box, Button, Group, Kbd, Stack, Text } from "@mantine/core";
import type { RankingQuestion, RankingState } from "../../utils/answers";
import { flatOrder, moveCandidate, ranksOf, toggleTieAbove } from "../../utils/answers/ranking";
import { targetLabel } from "../../utils/candidates";
import { rowStyle, WIDGET_CONTROL, type WidgetProps } from "./widget-props";

type Props = WidgetProps<RankingQuestion, RankingState> & {
  /** Candidate texts by id, for a one-line reminder next to each response. */
  texts: Record<string, string>;
};

const excerpt = (text: string) => (text.length > 90 ? `${text.slice(0, 90).trimEnd()}…` : text);

/** Best first. The keyboard carries a picked-up response with the arrows; the buttons do the same by click. */
export function RankingWidget({ question, state, ctx, focus, active, disabled, onChange, onRow, texts }: Props) {
  const order = flatOrder(state.groups);
  const ranks = ranksOf(state.groups);
  const tiedAbove = new Set(state.groups.flatMap((group) => group.slice(1)));

  const apply = (change: { groups: string[][]; index: number }) => {
    onChange({ ...state, groups: change.groups, touched: true });
    onRow(change.index);
  };

  return (
    <Stack gap={4}>
      <Box component="ol" aria-label="Ranking, best first" style={{ listStyle: "none", margin: 0, padding: 0 }}>
        {order.map((id, index) => {
          const name = targetLabel(id, ctx.candidateIds);
          const focused = active && focus.row === index;
          const picked = focused && focus.picked;
          const tied = tiedAbove.has(id);
          return (
            <Box
              component="li"
              key={id}
              data-row={index}
              data-picked={picked || undefined}
              style={{
                ...rowStyle(focused),
                outline: picked ? "2px dashed var(--mantine-primary-color-filled)" : undefined,
              }}
              onMouseDown={() => onRow(index)}
            >
              <Group gap="xs" wrap="nowrap">
                <Badge variant={tied ? "outline" : "filled"} w={44} aria-label={`Rank ${ranks.get(id)}`}>
                  #{ranks.get(id)}
                </Badge>
                <Text size="sm" fw={600} w={96} style={{ flexShrink: 0 }}>
                  {name}
                  {picked && (
                    <Text span size="xs" c="dimmed">
                      {" "}
                      (picked up)
                    </Text>
                  )}
                </Text>
                <Text size="xs" c="dimmed" lineClamp={1} style={{ flex: 1 }}>
                  {tied ? "tied with the one above · " : ""}
                  {excerpt(texts[id] ?? "")}
                </Text>
                <ActionIcon
                  {...WIDGET_CONTROL}
                  variant="default"
                  aria-label={`Move ${name} up`}
                  disabled={disabled || index === 0}
                  onClick={() => apply(moveCandidate(state.groups, id, -1))}
                >
                  ↑
                </ActionIcon>
                <ActionIcon
                  {...WIDGET_CONTROL}
                  variant="default"
                  aria-label={`Move ${name} down`}
                  disabled={disabled || index === order.length - 1}
                  onClick={() => apply(moveCandidate(state.groups, id, 1))}
                >
                  ↓
                </ActionIcon>
                {question.ties && (
                  <Button
                    {...WIDGET_CONTROL}
                    size="compact-xs"
                    variant={tied ? "light" : "subtle"}
                    aria-pressed={tied}
                    disabled={disabled || index === 0}
                    onClick={() => apply(toggleTieAbove(state.groups, id))}
                  >
                    Tie above
                  </Button>
                )}
              </Group>
            </Box>
          );
        })}
      </Box>
      <Group gap="xs">
        {state.touched ? (
          <Text size="xs" c="teal">
            Order set.
          </Text>
        ) : (
          <Button
            {...WIDGET_CONTROL}
            size="compact-sm"
            variant="light"
            disabled={disabled}
            leftSection={<Kbd size="xs">c</Kbd>}
            onClick={() => onChange({ ...state, touched: true })}
          >
            Keep this order
          </Button>
        )}
        <Text size="xs" c="dimmed">
          <Kbd size="xs">Space</Kbd> pick up / drop · <Kbd size="xs">↑</Kbd> <Kbd size="xs">↓</Kbd> move
          {question.ties && (
            <>
              {" "}
              · <Kbd size="xs">t</Kbd> tie with the one above
            </>
          )}
        </Text>
      </Group>
    </Stack>
  );
}
