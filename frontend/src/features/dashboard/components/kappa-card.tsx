import { Select } from "@mantine/core";
import { useMemo, useState, type ReactNode } from "react";
import type { AnnotatorRow, PartAgreement, Report } from "@/api/types";
import { kappaChart } from "../charts/kappa-chart";
import type { DrillTarget } from "../utils/drilldown";
import { ChartCard } from "./chart-card";

interface KappaCardProps {
  report: Report;
  file: string;
  onDrill: (target: DrillTarget) => void;
}

interface KappaChartCardProps {
  part: PartAgreement | null;
  annotators: AnnotatorRow[];
  file: string;
  controls: ReactNode;
  onDrill: (target: DrillTarget) => void;
}

function KappaChartCard({ part, annotators, file, controls, onDrill }: KappaChartCardProps) {
  const { option, csv, cells } = useMemo(() => kappaChart(part, annotators), [part, annotators]);
  const empty = !part
    ? "No part with categories to compare people on."
    : annotators.length < 2
      ? "Pairwise kappa needs answers from at least two people."
      : undefined;

  return (
    <ChartCard
      title="Pairwise Cohen's κ"
      description="Between every two people on the items both answered. Click a cell for the items they disagree on."
      option={option}
      empty={empty}
      csv={csv}
      file={`${file}-kappa-${part?.key ?? "none"}`}
      height={Math.max(280, 120 + 36 * annotators.length)}
      controls={controls}
      onClick={({ dataIndex }) => {
        const cell = cells[dataIndex];
        const member = cell && annotators[cell.y];
        const other = cell && annotators[cell.x];
        if (!part || !cell || !member || !other || cell.x === cell.y) return;
        onDrill({
          kind: "metric",
          title: `Where ${member.username} and ${other.username} disagree on ${part.key}`,
          query: { part: part.key, member: member.id, other: other.id, disagree: true },
        });
      }}
    />
  );
}

/** Cohen's kappa between every two people on one part; a cell lists the items they disagree on. */
export function KappaCard({ report, file, onDrill }: KappaCardProps) {
  const parts = report.parts.filter((part) => part.cohen_kappa);
  const [chosen, setChosen] = useState<string | null>(null);
  const part = parts.find((candidate) => candidate.key === chosen) ?? parts[0] ?? null;
  return (
    <KappaChartCard
      part={part}
      annotators={report.annotators}
      file={file}
      onDrill={onDrill}
      controls={
        parts.length > 1 && (
          <Select
            aria-label="Part for pairwise kappa"
            size="xs"
            w={180}
            data={parts.map((candidate) => candidate.key)}
            value={part?.key ?? null}
            onChange={setChosen}
            allowDeselect={false}
          />
        )
      }
    />
  );
}
