import { skipToken, useQuery } from "@tanstack/react-query";
import { client, unwrap } from "@/api/client";
import type { Drilldown } from "@/api/types";
import { projectKeys } from "@/features/projects/api/keys";
import type { ScopeQuery } from "../utils/filters";

/** Which items: a part's, one person's, or where a person disagrees (with one other, or the rest). */
export interface MetricItemsQuery {
  part: string;
  member?: number;
  other?: number;
  disagree?: boolean;
}

/** The items behind an agreement figure (at most 200 listed; `count` has them all). */
export function getMetricItems(
  projectId: number,
  query: MetricItemsQuery,
  scope: ScopeQuery,
  signal?: AbortSignal,
): Promise<Drilldown> {
  return unwrap(
    client.GET("/api/projects/{project_id}/metrics/items/", {
      params: { path: { project_id: projectId }, query: { ...scope, ...query } },
      signal,
    }),
  );
}

export function useMetricItems(projectId: number, query: MetricItemsQuery | null, scope: ScopeQuery) {
  return useQuery({
    queryKey: [...projectKeys.metrics(projectId), "items", query, scope],
    queryFn: query ? ({ signal }) => getMetricItems(projectId, query, scope, signal) : skipToken,
  });
}
