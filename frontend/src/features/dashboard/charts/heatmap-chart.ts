import type { CsvTable } from "../utils/csv";
import { finite, formatNumber } from "../utils/format";
import type { ChartOption } from "./echarts";
import { escapeHtml } from "./helpers";

export interface HeatmapCell {
  /** Column, then row. */
  x: number;
  y: number;
  value: number | null;
  /** The tooltip's lines, plain text. */
  tooltip: string[];
}

interface HeatmapSpec {
  columns: string[];
  rows: string[];
  columnName: string;
  rowName: string;
  cells: HeatmapCell[];
  min: number;
  max: number;
  /** Diverging colours for signed values (kappa), sequential for counts. */
  diverging: boolean;
  digits: number;
}

const DIVERGING = ["#c92a2a", "#f8f9fa", "#1864ab"];
const SEQUENTIAL = ["#f1f3f5", "#748ffc", "#364fc7"];

/** Rows read top to bottom in the given order, as in a printed matrix. */
export function heatmapOption(spec: HeatmapSpec): ChartOption {
  const { cells } = spec;
  return {
    grid: { left: 96, right: 24, top: 16, bottom: 88 },
    tooltip: {
      trigger: "item",
      formatter: (params) => {
        const found = typeof params === "object" && !Array.isArray(params) ? cells[params.dataIndex] : undefined;
        return found ? found.tooltip.map(escapeHtml).join("<br/>") : "";
      },
    },
    xAxis: {
      type: "category",
      data: spec.columns,
      name: spec.columnName,
      nameLocation: "middle",
      nameGap: 56,
      splitArea: { show: true },
      axisLabel: { interval: 0, rotate: spec.columns.length > 5 ? 30 : 0 },
    },
    yAxis: {
      type: "category",
      data: spec.rows,
      name: spec.rowName,
      nameLocation: "middle",
      nameGap: 80,
      inverse: true,
      splitArea: { show: true },
      axisLabel: { interval: 0 },
    },
    visualMap: {
      min: spec.min,
      max: spec.max,
      calculable: false,
      orient: "horizontal",
      left: "center",
      bottom: 0,
      itemHeight: 120,
      precision: spec.digits,
      text: [formatNumber(spec.max, spec.digits), formatNumber(spec.min, spec.digits)],
      inRange: { color: spec.diverging ? DIVERGING : SEQUENTIAL },
    },
    series: [
      {
        type: "heatmap",
        data: cells.map((cell) => [cell.x, cell.y, cell.value === null ? "-" : cell.value]),
        label: {
          show: true,
          formatter: (params) => {
            const cell = cells[params.dataIndex];
            return cell && cell.value !== null ? formatNumber(cell.value, spec.digits) : "—";
          },
        },
        emphasis: { itemStyle: { borderColor: "#212529", borderWidth: 1 } },
      },
    ],
  };
}

/** A matrix as CSV: one row per row label, one column per column label. */
export function matrixTable(corner: string, rows: string[], columns: string[], values: (number | null)[][]): CsvTable {
  return {
    header: [corner, ...columns],
    rows: rows.map((label, y) => [label, ...columns.map((_, x) => finite(values[y]?.[x]))]),
  };
}
