import { Table, Text } from "@mantine/core";
import { useMemo } from "react";
import { DateTime } from "@/components/ui/date-time";
import { EChart } from "@/features/dashboard/charts/echart";
import { formatCount, formatNumber, formatPercent } from "@/features/dashboard/utils/format";
import { accuracyChart, reasonLabel } from "../charts/accuracy-chart";
import type { ActiveLearning } from "../types";
import { Section } from "./section";

/** Versions listed under the chart, newest first. */
const TABLE_VERSIONS = 5;

interface AccuracySectionProps {
  active: ActiveLearning;
  /** The head's `min_pairs`, when known, for the empty state. */
  minPairs: number | null;
}

/** How well each version of the head predicts labels it never saw, as it got more of them. */
export function AccuracySection({ active, minPairs }: AccuracySectionProps) {
  const option = useMemo(() => accuracyChart(active.history), [active.history]);
  const hasHead = active.head !== null && active.head !== undefined;
  const recent = active.history.slice(-TABLE_VERSIONS).reverse();

  let body;
  if (!hasHead) {
    body = (
      <Text c="dimmed" size="sm" data-testid="accuracy-empty">
        Choose a preference head to follow its accuracy.
      </Text>
    );
  } else if (!option) {
    body = (
      <Text c="dimmed" size="sm" data-testid="accuracy-empty">
        {minPairs === null
          ? "The head has not been trained yet: it needs enough labeled pairs first."
          : `The head has not been trained yet: it needs at least ${formatCount(minPairs)} labeled pairs.`}
      </Text>
    );
  } else {
    body = (
      <>
        <Text size="xs" c="dimmed">
          Accuracy on held-out pairs (cross-validated by item, ties left out) of each version of the head, against the
          number of labels it was trained on. The dashed line is chance.
        </Text>
        <div data-testid="accuracy-chart">
          <EChart option={option} height={280} label="Held-out accuracy of the head against labels" />
        </div>
        <Table.ScrollContainer minWidth={640}>
          <Table verticalSpacing={4} fz="sm" aria-label="Head versions">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Version</Table.Th>
                <Table.Th ta="right">Labels</Table.Th>
                <Table.Th ta="right">Pairs</Table.Th>
                <Table.Th ta="right">Held-out accuracy</Table.Th>
                <Table.Th ta="right">Log loss</Table.Th>
                <Table.Th>Why</Table.Th>
                <Table.Th>Trained</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {recent.map((version) => (
                <Table.Tr key={version.number} data-testid="version-row">
                  <Table.Td>{version.number}</Table.Td>
                  <Table.Td ta="right">{formatCount(version.labels)}</Table.Td>
                  <Table.Td ta="right">{formatCount(version.pairs)}</Table.Td>
                  <Table.Td ta="right">
                    {formatPercent(version.cv_accuracy, 1)}
                    <Text span size="xs" c="dimmed">
                      {" "}
                      of {formatCount(version.cv_pairs)}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right">{formatNumber(version.cv_log_loss, 3)}</Table.Td>
                  <Table.Td>{reasonLabel(version.reason)}</Table.Td>
                  <Table.Td>
                    <DateTime value={version.created_at} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </>
    );
  }
  return <Section title="Accuracy over time">{body}</Section>;
}
