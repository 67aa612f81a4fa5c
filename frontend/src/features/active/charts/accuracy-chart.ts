import type { ChartOption } from "@/features/dashboard/charts/echarts";
import { escapeHtml, tooltipIndex } from "@/features/dashboard/charts/helpers";
import { finite, formatCount, formatNumber, formatPercent } from "@/features/dashboard/utils/format";
import type { HeadVersion } from "../types";

/** One version of the head on the chart: x = labels it was trained on, y = held-out accuracy. */
export interface AccuracyPoint {
  version: number;
  labels: number;
  /** Null when too few pairs were held out to measure it; drawn as a gap. */
  accuracy: number | null;
  lines: string[];
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** "after new labels" or "asked for by hand", for a version's `reason`. */
export function reasonLabel(reason: string): string {
  if (reason === "labels") return "after new labels";
  if (reason === "manual") return "asked for by hand";
  return reason;
}

function formatDate(value: string): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : dateFormat.format(date);
}

/** The chart's points, oldest version first, each with its tooltip lines (plain text). */
export function accuracyPoints(history: readonly HeadVersion[]): AccuracyPoint[] {
  return history.map((version) => {
    const accuracy = finite(version.cv_accuracy);
    return {
      version: version.number,
      labels: version.labels,
      accuracy,
      lines: [
        `Version ${version.number} · ${formatCount(version.labels)} labels`,
        accuracy === null
          ? "Held-out accuracy not measured"
          : `Held-out accuracy ${formatPercent(accuracy, 1)} on ${formatCount(version.cv_pairs)} pairs`,
        `Log loss ${formatNumber(version.cv_log_loss, 3)}`,
        `${formatCount(version.pairs)} pairs from ${formatCount(version.items)} items`,
        `Trained ${reasonLabel(version.reason)}, ${formatDate(version.created_at)}`,
      ],
    };
  });
}

/**
 * Held-out (cross-validated) accuracy of each version against the labels it was trained on,
 * with chance (50%) marked. Null without any version to draw.
 */
export function accuracyChart(history: readonly HeadVersion[]): ChartOption | null {
  const points = accuracyPoints(history);
  if (points.length === 0) return null;
  return {
    grid: { left: 56, right: 24, top: 24, bottom: 48 },
    tooltip: {
      trigger: "item",
      formatter: (params) => {
        const point = points[tooltipIndex(params)];
        if (!point) return "";
        const [title, ...rest] = point.lines.map(escapeHtml);
        return [`<b>${title ?? ""}</b>`, ...rest].join("<br/>");
      },
    },
    xAxis: {
      type: "value",
      name: "Labels at training",
      nameLocation: "middle",
      nameGap: 28,
      min: 0,
      minInterval: 1,
    },
    yAxis: {
      type: "value",
      name: "Held-out accuracy",
      min: 0,
      max: 1,
      axisLabel: { formatter: (value: number) => formatPercent(value) },
    },
    series: [
      {
        type: "line",
        name: "Held-out accuracy",
        symbolSize: 8,
        // A version whose accuracy wasn't measured leaves a gap rather than a dip to 0.
        data: points.map((point) => [point.labels, point.accuracy === null ? "-" : point.accuracy]),
        markLine: {
          silent: true,
          symbol: "none",
          lineStyle: { type: "dashed", color: "#868e96" },
          label: { formatter: "chance", position: "insideEndTop" },
          data: [{ yAxis: 0.5 }],
        },
      },
    ],
  };
}
