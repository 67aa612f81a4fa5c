import type { CustomSeriesOption } from "echarts/charts";
import { formatNumber } from "../utils/format";

/** Tooltips are HTML; labels come from project settings and people's names. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** The data index of a tooltip's item, whichever shape ECharts passed. */
export function tooltipIndex(params: unknown): number {
  const first: unknown = Array.isArray(params) ? params[0] : params;
  if (typeof first === "object" && first !== null && "dataIndex" in first && typeof first.dataIndex === "number") {
    return first.dataIndex;
  }
  return -1;
}

/** ECharts leaves "-" out of a series, which is how an undefined value is drawn: not at all. */
export function orMissing(value: number | null): number | "-" {
  return value === null ? "-" : value;
}

export const PALETTE = ["#4c6ef5", "#f76707", "#12b886", "#e64980", "#7950f2", "#fab005", "#15aabf", "#82c91e"];

/** Colour of the i-th source in a chart (people first, then each judge). */
export function sourceColor(index: number): string {
  return PALETTE[index % PALETTE.length] ?? "#4c6ef5";
}

const CAP = 5;

/**
 * Interval whiskers as a custom series: each datum is [position, low, high] along the category
 * axis (`vertical`) or [low, high, position] across it.
 */
export function whiskers(data: (number | null)[][], orientation: "vertical" | "horizontal", color?: string): CustomSeriesOption {
  const complete = data.filter((row): row is number[] => row.every((value) => value !== null));
  return {
    type: "custom",
    name: "95% interval",
    silent: true,
    z: 3,
    encode: orientation === "vertical" ? { x: 0, y: [1, 2] } : { x: [0, 1], y: 2 },
    data: complete,
    tooltip: { show: false },
    renderItem: (_params, api) => {
      // Mid grey reads on the light and the dark background alike.
      const stroke = color ?? "#868e96";
      const style = { stroke, lineWidth: 1.5 };
      if (orientation === "vertical") {
        const [x, low] = api.coord([api.value(0), api.value(1)]);
        const [, high] = api.coord([api.value(0), api.value(2)]);
        if (x === undefined || low === undefined || high === undefined) return null;
        return {
          type: "group",
          children: [
            { type: "line", shape: { x1: x, y1: low, x2: x, y2: high }, style },
            { type: "line", shape: { x1: x - CAP, y1: low, x2: x + CAP, y2: low }, style },
            { type: "line", shape: { x1: x - CAP, y1: high, x2: x + CAP, y2: high }, style },
          ],
        };
      }
      const [low, y] = api.coord([api.value(0), api.value(2)]);
      const [high] = api.coord([api.value(1), api.value(2)]);
      if (low === undefined || high === undefined || y === undefined) return null;
      return {
        type: "group",
        children: [
          { type: "line", shape: { x1: low, y1: y, x2: high, y2: y }, style },
          { type: "line", shape: { x1: low, y1: y - CAP, x2: low, y2: y + CAP }, style },
          { type: "line", shape: { x1: high, y1: y - CAP, x2: high, y2: y + CAP }, style },
        ],
      };
    },
  };
}

/** "0.62 [0.41, 0.77] · n = 40" for tooltips. */
export function estimateLine(value: number | null, low: number | null, high: number | null, n?: number): string {
  const interval = low !== null && high !== null ? ` [${formatNumber(low)}, ${formatNumber(high)}]` : "";
  const count = n === undefined ? "" : ` · n = ${n}`;
  return `${formatNumber(value)}${interval}${count}`;
}
