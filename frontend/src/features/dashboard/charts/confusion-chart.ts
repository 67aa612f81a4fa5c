import type { JudgePart } from "@/api/types";
import type { ChartOption } from "./echarts";
import { heatmapOption, type HeatmapCell } from "./heatmap-chart";

/** A judge's confusion matrix on one part: rows are people's majority, columns the judge. */
export function confusionChart(part: JudgePart, judgeName: string): { option: ChartOption | null; cells: HeatmapCell[] } {
  const cells: HeatmapCell[] = [];
  const confusion = part.confusion ?? null;
  if (!confusion) {
    return { option: null, cells };
  }
  const { categories } = part;
  confusion.forEach((row, y) =>
    row.forEach((count, x) =>
      cells.push({
        x,
        y,
        value: count,
        tooltip: [`People: ${categories[y] ?? y}`, `${judgeName}: ${categories[x] ?? x}`, `${count} units`],
      }),
    ),
  );
  const option = heatmapOption({
    columns: categories,
    rows: categories,
    columnName: judgeName,
    rowName: "People's majority",
    cells,
    min: 0,
    max: Math.max(1, ...confusion.flat()),
    diverging: false,
    digits: 0,
  });
  return { option, cells };
}
