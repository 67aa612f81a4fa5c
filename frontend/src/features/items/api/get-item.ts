import { useQuery } from "@tanstack/react-query";
import { client, unwrap } from "@/api/client";
import type { Item } from "@/api/types";
import { projectKeys } from "@/features/projects/api/keys";

export function getItem(projectId: number, itemId: number, signal?: AbortSignal): Promise<Item> {
  return unwrap(
    client.GET("/api/projects/{project_id}/items/{item_id}/", {
      params: { path: { project_id: projectId, item_id: itemId } },
      signal,
    }),
  );
}

export function useItem(projectId: number, itemId: number | null) {
  return useQuery({
    queryKey: [...projectKeys.items(projectId), "detail", itemId],
    queryFn: ({ signal }) => getItem(projectId, itemId ?? 0, signal),
    enabled: itemId !== null,
  });
}
