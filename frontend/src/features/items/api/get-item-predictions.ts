import { useQuery } from "@tanstack/react-query";
import { client, unwrap } from "@/api/client";
import type { ItemPrediction } from "@/api/types";
import { projectKeys } from "@/features/projects/api/keys";

/** Each judge's latest prediction per question for one item. */
export function getItemPredictions(projectId: number, itemId: number, signal?: AbortSignal): Promise<ItemPrediction[]> {
  return unwrap(
    client.GET("/api/projects/{project_id}/items/{item_id}/predictions/", {
      params: { path: { project_id: projectId, item_id: itemId } },
      signal,
    }),
  );
}

/** Refetched while judge runs progress (their events mark predictions stale). */
export function useItemPredictions(projectId: number, itemId: number) {
  return useQuery({
    queryKey: [...projectKeys.predictions(projectId), "item", itemId],
    queryFn: ({ signal }) => getItemPredictions(projectId, itemId, signal),
  });
}
