import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { client, unwrap } from "@/api/client";
import type { ItemList } from "@/api/types";
import { projectKeys } from "@/features/projects/api/keys";
import type { ItemFilters } from "../utils/filters";

export function getItems(projectId: number, filters: ItemFilters, page: number, signal?: AbortSignal): Promise<ItemList> {
  return unwrap(
    client.GET("/api/projects/{project_id}/items/", {
      params: { path: { project_id: projectId }, query: { ...filters, page } },
      signal,
    }),
  );
}

export function useItems(projectId: number, filters: ItemFilters, page: number) {
  return useQuery({
    queryKey: [...projectKeys.items(projectId), "list", filters, page],
    queryFn: ({ signal }) => getItems(projectId, filters, page, signal),
    // Keeps the current page on screen while the next one loads.
    placeholderData: keepPreviousData,
  });
}
