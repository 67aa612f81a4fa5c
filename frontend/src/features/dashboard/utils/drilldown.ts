import type { ConfusionItemsQuery } from "../api/get-confusion-items";
import type { MetricItemsQuery } from "../api/get-metric-items";

/** The figure a drill-down lists the items of, and the heading that names it. */
export type DrillTarget =
  | {
      kind: "metric";
      title: string;
      query: MetricItemsQuery;
      /** Parts the list can switch between (a person's disagreements exist in each). */
      parts?: string[];
    }
  | { kind: "confusion"; title: string; query: ConfusionItemsQuery };
