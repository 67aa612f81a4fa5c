import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { client, unwrap } from "@/api/client";
import type { MetricsResponse } from "@/api/types";
import { projectKeys } from "@/features/projects/api/keys";
import type { ScopeQuery } from "../utils/filters";

/** The stored report for these filters; 202 with no report while the first one is computed. */
export function getMetrics(projectId: number, scope: ScopeQuery, signal?: AbortSignal): Promise<MetricsResponse> {
  return unwrap(
    client.GET("/api/projects/{project_id}/metrics/", {
      params: { path: { project_id: projectId }, query: scope },
      signal,
    }),
  );
}

export const metricsKey = (projectId: number, scope: ScopeQuery) =>
  [...projectKeys.metrics(projectId), "report", scope] as const;

// Only while the live connection is down: otherwise `metrics.updated` says when to refetch.
const FALLBACK_POLL_MS = 5_000;

interface Options {
  enabled: boolean;
  /** Poll while the report is not ready, because no event will say when it is. */
  poll: boolean;
}

/**
 * Refetched when a `metrics.updated` event arrives. While other filters load, the previous
 * figures stay on screen (`isPlaceholderData`) rather than a spinner.
 */
export function useMetrics(projectId: number, scope: ScopeQuery, { enabled, poll }: Options) {
  return useQuery({
    queryKey: metricsKey(projectId, scope),
    queryFn: ({ signal }) => getMetrics(projectId, scope, signal),
    enabled,
    placeholderData: keepPreviousData,
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return poll && (status === "computing" || status === "stale") ? FALLBACK_POLL_MS : false;
    },
  });
}
