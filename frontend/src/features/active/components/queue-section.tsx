import { Anchor, Badge, Group, Progress, Table, Text, Tooltip } from "@mantine/core";
import { Link } from "react-router";
import { DateTime } from "@/components/ui/date-time";
import { formatNumber } from "@/features/dashboard/utils/format";
import type { ActiveLearning, QueueEntry } from "../types";
import { contributions, STRATEGIES, strategyInfo } from "../utils/strategies";
import { Section } from "./section";

/** The item browser filtered to this item, with it open. */
function itemHref(projectId: number, entry: QueueEntry): string {
  const search = new URLSearchParams({ external_id: entry.external_id, item: String(entry.item) });
  return `/projects/${projectId}/items?${search.toString()}`;
}

/** The priority as a bar made of each strategy's contribution (the bar's length is the priority). */
function PriorityBar({ entry }: { entry: QueueEntry }) {
  return (
    <Progress.Root size="md" w={140} aria-hidden>
      {contributions(entry.scores).map(({ name, value }) => (
        <Progress.Section key={name} value={value * 100} color={strategyInfo(name)?.color ?? "dark"} />
      ))}
    </Progress.Root>
  );
}

/** The strategies that put the item where it is, largest share first. */
function Reasons({ entry }: { entry: QueueEntry }) {
  const parts = contributions(entry.scores);
  if (parts.length === 0) return <Text size="sm" c="dimmed">—</Text>;
  return (
    <Group gap={4}>
      {parts.map(({ name, value }) => {
        const info = strategyInfo(name);
        return (
          <Tooltip key={name} label={info?.description ?? name} multiline w={260} withArrow>
            <Badge variant="light" color={info?.color ?? "dark"} tt="none" data-testid="queue-reason">
              {info?.label ?? name} {formatNumber(value)}
            </Badge>
          </Tooltip>
        );
      })}
    </Group>
  );
}

/** The open items people get next, best first, and why each one is there. */
export function QueueSection({ projectId, active }: { projectId: number; active: ActiveLearning }) {
  const asOf = active.refreshed_at ? (
    <Text size="sm" c="dimmed" data-testid="queue-as-of">
      as of <DateTime value={active.refreshed_at} />
    </Text>
  ) : (
    <Text size="sm" c="dimmed" data-testid="queue-as-of">
      not computed yet
    </Text>
  );
  return (
    <Section title="Queue" aside={asOf}>
      {active.queue.length === 0 ? (
        <Text c="dimmed" size="sm" data-testid="queue-empty">
          No priorities yet. They are computed when the settings change, after each training of the head, and on
          Recompute priorities.
        </Text>
      ) : (
        <>
          <Text size="xs" c="dimmed">
            The {active.queue.length} open items with the highest priority. Each bar is the item&apos;s priority, split
            into what each strategy added:
          </Text>
          <Group gap={6} aria-label="Strategy colours" role="list">
            {STRATEGIES.map((info) => (
              <Badge key={info.name} role="listitem" variant="dot" color={info.color} tt="none">
                {info.label}
              </Badge>
            ))}
          </Group>
          <Table.ScrollContainer minWidth={640}>
            <Table verticalSpacing={4} fz="sm" aria-label="Queue" striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={48}>Rank</Table.Th>
                  <Table.Th>Item</Table.Th>
                  <Table.Th>Priority</Table.Th>
                  <Table.Th>Strategies</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {active.queue.map((entry, index) => (
                  <Table.Tr key={entry.item} data-testid="queue-row">
                    <Table.Td>{index + 1}</Table.Td>
                    <Table.Td>
                      <Anchor component={Link} to={itemHref(projectId, entry)} size="sm">
                        {entry.external_id}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        <Text size="sm" w={40} data-testid="queue-priority">
                          {formatNumber(entry.priority)}
                        </Text>
                        <PriorityBar entry={entry} />
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Reasons entry={entry} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </>
      )}
    </Section>
  );
}
