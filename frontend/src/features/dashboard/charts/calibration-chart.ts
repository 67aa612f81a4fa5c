import type { JudgeCalibration } from "@/api/types";
import type { CsvTable } from "../utils/csv";
import { finite, formatNumber } from "../utils/format";
import type { ChartOption } from "./echarts";
import { tooltipIndex } from "./helpers";

interface Bin {
  from: number;
  to: number;
  predicted: number;
  observed: number;
  count: number;
}

/** Bins with both a mean prediction and an observed rate; empty bins are not drawn. */
export function calibrationBins(calibration: JudgeCalibration): Bin[] {
  const bins: Bin[] = [];
  calibration.count.forEach((count, index) => {
    const predicted = finite(calibration.predicted[index]);
    const observed = finite(calibration.observed[index]);
    const from = calibration.edges[index];
    const to = calibration.edges[index + 1];
    if (predicted !== null && observed !== null && from !== undefined && to !== undefined && count > 0) {
      bins.push({ from, to, predicted, observed, count });
    }
  });
  return bins;
}

export function calibrationTitle(calibration: JudgeCalibration): string {
  const ece = finite(calibration.ece);
  return ece === null ? "ECE —" : `ECE ${formatNumber(ece, 3)}`;
}

/** Reliability curve: the judge's mean probability per bin against how often it was right. */
export function calibrationOption(calibration: JudgeCalibration): ChartOption {
  const bins = calibrationBins(calibration);
  const most = Math.max(1, ...bins.map((bin) => bin.count));
  return {
    title: { text: calibrationTitle(calibration), left: "center", textStyle: { fontSize: 13 } },
    grid: { left: 56, right: 24, top: 40, bottom: 48 },
    tooltip: {
      trigger: "item",
      formatter: (params) => {
        const bin = bins[tooltipIndex(params)];
        if (!bin) return "";
        return `${formatNumber(bin.from, 1)}–${formatNumber(bin.to, 1)}<br/>predicted ${formatNumber(bin.predicted)}<br/>observed ${formatNumber(bin.observed)}<br/>${bin.count} units`;
      },
    },
    xAxis: { type: "value", min: 0, max: 1, name: "Predicted probability", nameLocation: "middle", nameGap: 28 },
    yAxis: { type: "value", min: 0, max: 1, name: "Observed frequency", nameLocation: "middle", nameGap: 40 },
    series: [
      {
        type: "line",
        name: "Perfect calibration",
        data: [
          [0, 0],
          [1, 1],
        ],
        silent: true,
        symbol: "none",
        lineStyle: { type: "dashed", color: "#868e96" },
        tooltip: { show: false },
      },
      {
        type: "line",
        name: "Judge",
        itemStyle: { color: "#4c6ef5" },
        lineStyle: { color: "#4c6ef5" },
        data: bins.map((bin) => [bin.predicted, bin.observed]),
        symbolSize: (_value: unknown, params: { dataIndex: number }) =>
          6 + 10 * Math.sqrt((bins[params.dataIndex]?.count ?? 0) / most),
      },
    ],
  };
}

export function calibrationTable(calibration: JudgeCalibration): CsvTable {
  return {
    header: ["bin_from", "bin_to", "mean_predicted", "observed", "count"],
    rows: calibration.count.map((count, index) => [
      calibration.edges[index],
      calibration.edges[index + 1],
      finite(calibration.predicted[index]),
      finite(calibration.observed[index]),
      count,
    ]),
  };
}
