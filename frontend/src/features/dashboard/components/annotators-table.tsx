import { Anchor, Paper, Stack, Table, Text, Title, UnstyledButton, Group } from "@mantine/core";
import { useMemo, useState } from "react";
import type { AnnotatorRow, Report } from "@/api/types";
import type { CsvTable } from "../utils/csv";
import type { DrillTarget } from "../utils/drilldown";
import { DASH, estimateValue, finite, formatCount, formatInterval, formatNumber, formatPercent } from "../utils/format";
import { nextSort, sortRows, type SortState } from "../utils/sort";
import { Downloads } from "./downloads";

type Column =
  | "username"
  | "annotations"
  | "items_per_hour"
  | "median_seconds"
  | "consensus_agreement"
  | "gold_accuracy"
  | "reliability"
  | "self_agreement"
  | "cyclic_triads";

const COLUMNS: { key: Column; label: string; hint?: string }[] = [
  { key: "username", label: "Annotator" },
  { key: "annotations", label: "Annotations" },
  { key: "items_per_hour", label: "Items / hour" },
  { key: "median_seconds", label: "Median time" },
  { key: "consensus_agreement", label: "Consensus", hint: "Share of answers matching the majority of the others" },
  { key: "gold_accuracy", label: "Gold accuracy" },
  { key: "reliability", label: "Reliability", hint: "Dawid–Skene estimate of accuracy" },
  { key: "self_agreement", label: "Self-agreement", hint: "On items shown twice" },
  { key: "cyclic_triads", label: "Cyclic triads", hint: "Intransitive preference triples among all triples" },
];

function sortValue(row: AnnotatorRow, column: Column): number | string | null {
  switch (column) {
    case "username":
      return row.username;
    case "self_agreement":
      return estimateValue(row.self_agreement);
    case "cyclic_triads":
      return row.triads > 0 ? row.cyclic_triads / row.triads : null;
    default:
      return finite(row[column]);
  }
}

function annotatorsCsv(rows: AnnotatorRow[]): CsvTable {
  return {
    header: [
      "id",
      "username",
      "annotations",
      "items_per_hour",
      "median_seconds",
      "consensus_agreement",
      "consensus_compared",
      "gold_accuracy",
      "gold_answered",
      "reliability",
      "self_agreement",
      "self_agreement_low",
      "self_agreement_high",
      "self_agreement_n",
      "cyclic_triads",
      "triads",
    ],
    rows: rows.map((row) => [
      row.id,
      row.username,
      row.annotations,
      finite(row.items_per_hour),
      finite(row.median_seconds),
      finite(row.consensus_agreement),
      row.consensus_compared,
      finite(row.gold_accuracy),
      row.gold_answered,
      finite(row.reliability),
      finite(row.self_agreement.value),
      finite(row.self_agreement.low),
      finite(row.self_agreement.high),
      row.self_agreement.n,
      row.cyclic_triads,
      row.triads,
    ]),
  };
}

interface AnnotatorsTableProps {
  report: Report;
  file: string;
  onDrill: (target: DrillTarget) => void;
}

/** One row per person, sortable by every column; the consensus cell lists where they disagree. */
export function AnnotatorsTable({ report, file, onDrill }: AnnotatorsTableProps) {
  const [sort, setSort] = useState<SortState<Column>>({ column: "annotations", direction: "desc" });
  const rows = useMemo(() => sortRows(report.annotators, sort, sortValue), [report.annotators, sort]);
  const csv = useMemo(() => annotatorsCsv(report.annotators), [report.annotators]);
  // Disagreeing with a majority needs categories; scores have no majority.
  const parts = report.parts.filter((part) => part.level !== "interval").map((part) => part.key);

  const drill = (row: AnnotatorRow) => {
    const [part] = parts;
    if (part) {
      onDrill({
        kind: "metric",
        title: `Where ${row.username} disagrees with the others`,
        query: { part, member: row.id, disagree: true },
        parts,
      });
    }
  };

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-label="Annotators">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} size="h5">
            Annotators
          </Title>
          {rows.length > 0 && <Downloads name="Annotators" file={`${file}-annotators`} csv={csv} />}
        </Group>
        {rows.length === 0 ? (
          <Text c="dimmed" size="sm">
            No one has answered in this view yet.
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={900}>
            <Table verticalSpacing={4} fz="sm" highlightOnHover aria-label="Annotators">
              <Table.Thead>
                <Table.Tr>
                  {COLUMNS.map((column) => {
                    const sorted = sort.column === column.key;
                    return (
                      <Table.Th
                        key={column.key}
                        ta={column.key === "username" ? "left" : "right"}
                        aria-sort={sorted ? (sort.direction === "asc" ? "ascending" : "descending") : "none"}
                      >
                        <UnstyledButton
                          fw={700}
                          fz="sm"
                          title={column.hint}
                          onClick={() => setSort((current) => nextSort(current, column.key, column.key === "username"))}
                        >
                          {column.label}
                          {sorted ? (sort.direction === "asc" ? " ▲" : " ▼") : ""}
                        </UnstyledButton>
                      </Table.Th>
                    );
                  })}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((row) => (
                  <Table.Tr key={row.id} data-testid="annotator-row">
                    <Table.Td>{row.username}</Table.Td>
                    <Table.Td ta="right">{formatCount(row.annotations)}</Table.Td>
                    <Table.Td ta="right">{formatNumber(row.items_per_hour, 1)}</Table.Td>
                    <Table.Td ta="right">{finite(row.median_seconds) === null ? DASH : `${formatNumber(row.median_seconds, 1)} s`}</Table.Td>
                    <Table.Td ta="right">
                      {finite(row.consensus_agreement) === null || parts.length === 0 ? (
                        formatPercent(row.consensus_agreement)
                      ) : (
                        <Anchor
                          component="button"
                          type="button"
                          size="sm"
                          aria-label={`Items where ${row.username} disagrees with the others`}
                          onClick={() => drill(row)}
                        >
                          {formatPercent(row.consensus_agreement)}
                        </Anchor>
                      )}
                      <Text span size="xs" c="dimmed">
                        {" "}
                        of {formatCount(row.consensus_compared)}
                      </Text>
                    </Table.Td>
                    <Table.Td ta="right">
                      {formatPercent(row.gold_accuracy)}
                      <Text span size="xs" c="dimmed">
                        {" "}
                        of {formatCount(row.gold_answered)}
                      </Text>
                    </Table.Td>
                    <Table.Td ta="right">{formatPercent(row.reliability)}</Table.Td>
                    <Table.Td ta="right">
                      {formatPercent(row.self_agreement.value)}
                      {formatInterval(row.self_agreement) && (
                        <Text span size="xs" c="dimmed">
                          {" "}
                          {formatInterval(row.self_agreement, (bound) => formatPercent(bound))}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td ta="right">{row.triads > 0 ? `${formatCount(row.cyclic_triads)} / ${formatCount(row.triads)}` : DASH}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Paper>
  );
}
