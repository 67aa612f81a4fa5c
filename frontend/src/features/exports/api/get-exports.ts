import { useInfiniteQuery } from "@tanstack/react-query";
import { client, pageFromUrl, unwrap } from "@/api/client";
import type { ExportList } from "../types";
import { cachedExports } from "../utils/export-cache";
import { isFinished } from "../utils/progress";
import { exportKeys } from "./keys";

/** How often the list is fetched while an export is being built and live events are not arriving. */
export const FALLBACK_POLL_MS = 3_000;

/** A project's snapshots, newest first. */
export function getExports(projectId: number, page: number, signal?: AbortSignal): Promise<ExportList> {
  return unwrap(
    client.GET("/api/projects/{project_id}/exports/", {
      params: { path: { project_id: projectId }, query: { page } },
      signal,
    }),
  );
}

/**
 * Kept current by `export.progress` events (see `applyExportProgress`). Only while the socket is
 * down (`live` false) and a build is unfinished is the list fetched again on a timer.
 */
export function useExports(projectId: number, { live }: { live: boolean }) {
  return useInfiniteQuery({
    queryKey: exportKeys.list(projectId),
    queryFn: ({ pageParam, signal }) => getExports(projectId, pageParam, signal),
    initialPageParam: 1,
    getNextPageParam: (lastPage) => pageFromUrl(lastPage.next),
    refetchInterval: (query) =>
      !live && cachedExports(query.state.data).some((snapshot) => !isFinished(snapshot.status)) ? FALLBACK_POLL_MS : false,
  });
}
