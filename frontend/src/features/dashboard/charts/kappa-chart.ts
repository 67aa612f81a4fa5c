import type { AnnotatorRow, PartAgreement } from "@/api/types";
import type { CsvTable } from "../utils/csv";
import { finite, formatNumber } from "../utils/format";
import type { ChartOption } from "./echarts";
import { heatmapOption, type HeatmapCell } from "./heatmap-chart";

export interface KappaChart {
  /** Null with fewer than two people or no matrix. */
  option: ChartOption | null;
  /** One row per ordered pair of people. */
  csv: CsvTable;
  cells: HeatmapCell[];
}

/** A part's pairwise Cohen's kappa as a heatmap in the report's order of people. */
export function kappaChart(part: PartAgreement | null, annotators: AnnotatorRow[]): KappaChart {
  const csv: CsvTable = { header: ["annotator", "other", "kappa", "shared_units"], rows: [] };
  const cells: HeatmapCell[] = [];
  const matrix = part?.cohen_kappa ?? null;
  if (!matrix) {
    return { option: null, csv, cells };
  }
  const names = annotators.map((annotator) => annotator.username);
  names.forEach((row, y) =>
    names.forEach((column, x) => {
      const kappa = x === y ? null : finite(matrix.kappa[y]?.[x]);
      const shared = matrix.overlap[y]?.[x] ?? 0;
      cells.push({
        x,
        y,
        value: kappa,
        tooltip: x === y ? [`${row}: ${shared} units`] : [`${row} vs ${column}`, `κ ${formatNumber(kappa)}`, `${shared} shared units`],
      });
      if (x !== y) csv.rows.push([row, column, kappa, shared]);
    }),
  );
  const option =
    names.length >= 2
      ? heatmapOption({ columns: names, rows: names, columnName: "", rowName: "", cells, min: -1, max: 1, diverging: true, digits: 2 })
      : null;
  return { option, csv, cells };
}
