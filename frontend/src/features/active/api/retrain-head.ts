import { useMutation, useQueryClient } from "@tanstack/react-query";
import { client, unwrap } from "@/api/client";
import type { TaskQueued } from "../types";
import { activeLearningKey } from "./get-active-learning";

/**
 * Queues a training of the project's head on every label so far (then a run over the items and
 * a new queue). 400 when the project has no head; 503 when the task queue is down.
 */
export function retrainHead(projectId: number): Promise<TaskQueued> {
  return unwrap(
    client.POST("/api/projects/{project_id}/active-learning/retrain/", { params: { path: { project_id: projectId } } }),
  );
}

export function useRetrainHead(projectId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => retrainHead(projectId),
    // `training` turns true, which makes the page poll until the new version lands.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: activeLearningKey(projectId) }),
  });
}
