import { useQuery } from "@tanstack/react-query";
import { client, unwrap } from "@/api/client";
import type { GoldAccuracy } from "@/api/types";
import { projectKeys } from "@/features/projects/api/keys";

/** Accuracy on gold items per annotator (annotators get only their own row). */
export function getGoldAccuracy(projectId: number, signal?: AbortSignal): Promise<GoldAccuracy[]> {
  return unwrap(
    client.GET("/api/projects/{project_id}/gold/", { params: { path: { project_id: projectId } }, signal }),
  );
}

export function useGoldAccuracy(projectId: number) {
  return useQuery({
    queryKey: projectKeys.gold(projectId),
    queryFn: ({ signal }) => getGoldAccuracy(projectId, signal),
  });
}
