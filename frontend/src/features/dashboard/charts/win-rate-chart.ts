import type { ModelLeaderboard } from "@/api/types";
import type { CsvTable } from "../utils/csv";
import { finite, formatNumber } from "../utils/format";
import type { ChartOption } from "./echarts";
import { heatmapOption, matrixTable, type HeatmapCell } from "./heatmap-chart";

/**
 * How often the row model beat the column model (ties count half), in `order` (best first), with
 * the number of comparisons behind each cell. Null when fewer than two models were compared.
 */
export function winRateChart(board: ModelLeaderboard, order: string[]): { option: ChartOption | null; csv: CsvTable } {
  const models = order.filter((model) => board.models.includes(model));
  const index = models.map((model) => board.models.indexOf(model));
  const rate = (y: number, x: number) => (y === x ? null : finite(board.win_rate[index[y] ?? -1]?.[index[x] ?? -1]));
  const cells: HeatmapCell[] = [];
  models.forEach((row, y) =>
    models.forEach((column, x) => {
      const value = rate(y, x);
      const count = board.counts[index[y] ?? -1]?.[index[x] ?? -1] ?? 0;
      cells.push({
        x,
        y,
        value,
        tooltip: y === x ? [row] : [`${row} vs ${column}`, `wins ${formatNumber(value)}`, `${count} comparisons`],
      });
    }),
  );
  const csv = matrixTable(
    "model",
    models,
    models,
    models.map((_, y) => models.map((__, x) => rate(y, x))),
  );
  const option =
    models.length >= 2
      ? heatmapOption({ columns: models, rows: models, columnName: "against", rowName: "", cells, min: 0, max: 1, diverging: true, digits: 2 })
      : null;
  return { option, csv };
}
