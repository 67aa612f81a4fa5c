/**
 * Writes into the cached list of a project's exports, shared by live events and the mutations,
 * so a row changes at once instead of after a refetch.
 */
import type { InfiniteData, QueryClient } from "@tanstack/react-query";
import { exportKeys } from "../api/keys";
import type { Export, ExportList } from "../types";

export type ExportPages = InfiniteData<ExportList, unknown>;

/** Every export the cache holds, newest first. */
export function cachedExports(data: ExportPages | undefined): Export[] {
  return data?.pages.flatMap((page) => page.results) ?? [];
}

/**
 * Applies `change` to export `exportId` in the cached list. Returns the changed export, or null
 * when the list isn't cached or doesn't hold it.
 */
export function changeCachedExport(
  queryClient: QueryClient,
  projectId: number,
  exportId: number,
  change: (snapshot: Export) => Export,
): Export | null {
  const queryKey = exportKeys.list(projectId);
  const data = queryClient.getQueryData<ExportPages>(queryKey);
  const current = cachedExports(data).find((snapshot) => snapshot.id === exportId);
  if (!data || !current) return null;
  const changed = change(current);
  queryClient.setQueryData<ExportPages>(queryKey, {
    ...data,
    pages: data.pages.map((page) => ({
      ...page,
      results: page.results.map((snapshot) => (snapshot.id === exportId ? changed : snapshot)),
    })),
  });
  return changed;
}

/** Puts a new export at the top of the cached list (when it is cached and lacks it). */
export function addCachedExport(queryClient: QueryClient, projectId: number, snapshot: Export) {
  queryClient.setQueryData<ExportPages>(exportKeys.list(projectId), (data) => {
    const [first, ...rest] = data?.pages ?? [];
    if (!data || !first || cachedExports(data).some((row) => row.id === snapshot.id)) return data;
    return { ...data, pages: [{ ...first, count: first.count + 1, results: [snapshot, ...first.results] }, ...rest] };
  });
}

/** Drops a deleted export from the cached list. */
export function removeCachedExport(queryClient: QueryClient, projectId: number, exportId: number) {
  queryClient.setQueryData<ExportPages>(exportKeys.list(projectId), (data) =>
    data
      ? {
          ...data,
          pages: data.pages.map((page) => {
            const results = page.results.filter((snapshot) => snapshot.id !== exportId);
            return { ...page, count: page.count - (page.results.length - results.length), results };
          }),
        }
      : data,
  );
}
