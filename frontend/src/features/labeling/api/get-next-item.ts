import { useQuery } from "@tanstack/react-query";
import { ApiError, client } from "@/api/client";
import type { NextItem } from "@/api/types";
import { labelingKeys } from "./keys";

/** The caller's next item (the one they hold, if any), or null when nothing is left (204). */
export async function getNextItem(projectId: number, signal?: AbortSignal): Promise<NextItem | null> {
  const { data, error, response } = await client.POST("/api/projects/{project_id}/next/", {
    params: { path: { project_id: projectId } },
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
