import type { ChartOption } from "./echarts";
import { escapeHtml, estimateLine, sourceColor, tooltipIndex, whiskers } from "./helpers";

/** One estimate with its interval, drawn as a point on a whisker. */
export interface ForestRow {
  label: string;
  value: number | null;
  low: number | null;
  high: number | null;
  n?: number;
  /** Colour group: 0 for people, 1.. for judges. */
  source?: number;
}

interface ForestSpec {
  rows: ForestRow[];
  axisName: string;
  /** A vertical line marking no effect (0.5 for a preference rate, 0 for a centred score). */
  reference?: number;
  min?: number;
  max?: number;
  title?: string;
}

/** Estimates with intervals, one per row, top to bottom. */
export function forestOption({ rows, axisName, reference, min, max, title }: ForestSpec): ChartOption {
  return {
    title: title ? { text: title, left: "center", textStyle: { fontSize: 13 } } : undefined,
    // Model and measure names vary in length; the grid shrinks to fit them.
    grid: { left: 8, right: 32, top: title ? 40 : 16, bottom: 40, outerBoundsMode: "same", outerBoundsContain: "axisLabel" },
    tooltip: {
      trigger: "item",
      formatter: (params) => {
        const row = rows[tooltipIndex(params)];
        return row ? `<b>${escapeHtml(row.label)}</b><br/>${estimateLine(row.value, row.low, row.high, row.n)}` : "";
      },
    },
    xAxis: { type: "value", name: axisName, nameLocation: "middle", nameGap: 26, min, max, scale: min === undefined },
    yAxis: { type: "category", data: rows.map((row) => row.label), inverse: true, axisLabel: { interval: 0 } },
    series: [
      {
        type: "scatter",
        name: axisName,
        symbolSize: 10,
        z: 4,
        data: rows.map((row, index) => ({
          value: [row.value ?? "-", index],
          itemStyle: { color: sourceColor(row.source ?? 0) },
        })),
        markLine:
          reference === undefined
            ? undefined
            : {
                silent: true,
                symbol: "none",
                lineStyle: { type: "dashed", color: "#868e96" },
                // The axis already labels the reference value; a second label would overlap it.
                label: { show: false },
                data: [{ xAxis: reference }],
              },
      },
      whiskers(
        rows.map((row, index) => [row.low, row.high, index]),
        "horizontal",
      ),
    ],
  };
}
