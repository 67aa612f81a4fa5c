import type { MetricEstimate, Report } from "@/api/types";
import { finite } from "../utils/format";
import { judgePart } from "../utils/report";
import type { ForestRow } from "./forest-chart";

export interface BiasRow extends ForestRow {
  sourceName: string;
  measure: string;
}

function row(sourceName: string, source: number, measure: string, estimate: MetricEstimate | null | undefined): BiasRow | null {
  if (!estimate) return null;
  return {
    label: `${sourceName} · ${measure}`,
    sourceName,
    source,
    measure,
    value: finite(estimate.value),
    low: finite(estimate.low),
    high: finite(estimate.high),
    n: estimate.n,
  };
}

/** Position and length preferences of people and judges on one pairwise question. */
export function biasRows(report: Report, question: string): BiasRow[] {
  const people = report.bias.find((bias) => bias.question === question);
  const rows = [row("People", 0, "first shown wins", people?.first_shown_wins), row("People", 0, "longer wins", people?.longer_wins)];
  report.judges.forEach((judge, index) => {
    const part = judgePart(judge, question);
    rows.push(
      row(judge.name, index + 1, "flip rate", part?.flip_rate),
      row(judge.name, index + 1, "first position", part?.first_position),
      row(judge.name, index + 1, "longer wins", part?.longer_wins),
    );
  });
  return rows.filter((found): found is BiasRow => found !== null);
}
