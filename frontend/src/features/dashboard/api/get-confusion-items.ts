import { skipToken, useQuery } from "@tanstack/react-query";
import { client, unwrap } from "@/api/client";
import type { Drilldown } from "@/api/types";
import { projectKeys } from "@/features/projects/api/keys";
import type { ScopeQuery } from "../utils/filters";

/** One cell of a judge's confusion matrix, as category codes (positions in the part's categories). */
export interface ConfusionItemsQuery {
  judge: number;
  part: string;
  people: number;
  predicted: number;
}

export function getConfusionItems(
  { judge, ...cell }: ConfusionItemsQuery,
  scope: ScopeQuery,
  signal?: AbortSignal,
): Promise<Drilldown> {
  return unwrap(
    client.GET("/api/judges/{judge_id}/confusion-items/", {
      params: { path: { judge_id: judge }, query: { ...scope, ...cell } },
      signal,
    }),
  );
}

export function useConfusionItems(projectId: number, query: ConfusionItemsQuery | null, scope: ScopeQuery) {
  return useQuery({
    queryKey: [...projectKeys.metrics(projectId), "confusion", query, scope],
    queryFn: query ? ({ signal }) => getConfusionItems(query, scope, signal) : skipToken,
  });
}
