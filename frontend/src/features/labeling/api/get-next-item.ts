import { useQuery } from "@tanstack/react-query";
import { ApiError, client } from "@/api/client";
import type { NextItem } from "@/api/types";
import { labelingKeys } from "./keys";

/**
 * The caller's next item (the one they hold, if any), or null when nothing is left (204). With
 * `after`, the item to show once that assignment is done (fetching ahead); asking again for the
 * same `after` returns the same item.
 */
export async function getNextItem(projectId: number, signal?: AbortSignal, after?: number): Promise<NextItem | null> {
  const { data, error, response } = await client.POST("/api/projects/{project_id}/next/", {
    params: { path: { project_id: projectId }, query: after === undefined ? undefined : { after } },
    signal,
  });
  if (!response.ok) {
    throw new ApiError(response.status, error ?? null);
  }
  return response.status === 204 || data === undefined ? null : data;
}

/**
 * The item on screen. `next` hands out an assignment, so it is only asked for on purpose: on
 * opening the screen and after a submit or skip went through, never on focus or reconnect.
 * Moving to an item fetched ahead writes it into this query's data.
 */
export function useNextItem(projectId: number) {
  return useQuery({
    queryKey: labelingKeys.next(projectId),
    queryFn: ({ signal }) => getNextItem(projectId, signal),
    staleTime: Infinity,
    gcTime: 0,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
  });
}

/**
 * The item behind assignment `after` (null: none), fetched in the background while `after` is on
 * screen. Kept for a while after moving on: a 400 on `after`'s submit brings it back, and its next
 * submit moves to the same item again.
 */
export function useAheadItem(projectId: number, after: number | null, enabled: boolean) {
  return useQuery({
    queryKey: labelingKeys.ahead(projectId, after ?? 0),
    queryFn: ({ signal }) => getNextItem(projectId, signal, after ?? undefined),
    enabled: enabled && after !== null,
    staleTime: Infinity,
    gcTime: 10 * 60_000,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
  });
}
