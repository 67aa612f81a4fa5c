import { useMutation, useQueryClient } from "@tanstack/react-query";
import { client, unwrap } from "@/api/client";
import type { TaskQueued } from "../types";
import { activeLearningKey } from "./get-active-learning";

/** Queues a recomputation of the item priorities now; 503 when the task queue is down. */
export function refreshPriorities(projectId: number): Promise<TaskQueued> {
  return unwrap(
    client.POST("/api/projects/{project_id}/active-learning/refresh/", { params: { path: { project_id: projectId } } }),
  );
}

export function useRefreshPriorities(projectId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => refreshPriorities(projectId),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: activeLearningKey(projectId) }),
  });
}
