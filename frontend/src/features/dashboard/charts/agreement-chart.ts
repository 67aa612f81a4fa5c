import type { PartAgreement } from "@/api/types";
import type { CsvTable } from "../utils/csv";
import { estimateValue, finite, formatNumber } from "../utils/format";
import type { ChartOption } from "./echarts";
import { escapeHtml, estimateLine, orMissing, tooltipIndex, whiskers } from "./helpers";

// Krippendorff's usual bars: 0.8 for conclusions, 0.667 for tentative ones.
const THRESHOLDS = [
  { value: 0.667, name: "tentative" },
  { value: 0.8, name: "reliable" },
];

/** Krippendorff's alpha per part, bars with their bootstrap intervals. */
export function agreementOption(parts: PartAgreement[]): ChartOption {
  const lows = parts.map((part) => finite(part.alpha.low) ?? finite(part.alpha.value) ?? 0);
  const floor = Math.min(0, ...lows);
  return {
    grid: { left: 48, right: 24, top: 24, bottom: 64 },
    tooltip: {
      trigger: "item",
      formatter: (params) => {
        const part = parts[tooltipIndex(params)];
        if (!part) return "";
        const { value, low, high, n } = part.alpha;
        return `<b>${escapeHtml(part.key)}</b> (${escapeHtml(part.level)})<br/>α ${estimateLine(value, low, high, n)} units`;
      },
    },
    xAxis: {
      type: "category",
      data: parts.map((part) => part.key),
      axisLabel: { interval: 0, rotate: parts.length > 4 ? 30 : 0 },
    },
    yAxis: { type: "value", name: "α", min: Math.floor(floor * 10) / 10, max: 1 },
    series: [
      {
        type: "bar",
        name: "Krippendorff's α",
        barMaxWidth: 48,
        data: parts.map((part) => orMissing(estimateValue(part.alpha))),
        markLine: {
          silent: true,
          symbol: "none",
          lineStyle: { type: "dashed", color: "#868e96" },
          label: { formatter: "{b}", position: "insideEndTop" },
          data: THRESHOLDS.map((line) => ({ yAxis: line.value, name: `${line.name} ${formatNumber(line.value, 3)}` })),
        },
      },
      whiskers(
        parts.map((part, index) => [index, finite(part.alpha.low), finite(part.alpha.high)]),
        "vertical",
      ),
    ],
  };
}

function estimateColumns(estimate: PartAgreement["alpha"] | null | undefined) {
  return [finite(estimate?.value), finite(estimate?.low), finite(estimate?.high)];
}

export function agreementTable(parts: PartAgreement[]): CsvTable {
  return {
    header: [
      "part",
      "question",
      "kind",
      "level",
      "units",
      "values",
      "alpha",
      "alpha_low",
      "alpha_high",
      "fleiss_kappa",
      "fleiss_kappa_low",
      "fleiss_kappa_high",
      "raw_agreement",
      "raw_agreement_low",
      "raw_agreement_high",
    ],
    rows: parts.map((part) => [
      part.key,
      part.question,
      part.kind,
      part.level,
      part.units,
      part.values,
      ...estimateColumns(part.alpha),
      ...estimateColumns(part.fleiss_kappa),
      ...estimateColumns(part.raw_agreement),
    ]),
  };
}
