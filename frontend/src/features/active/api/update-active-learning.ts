import { useMutation, useQueryClient } from "@tanstack/react-query";
import { client, unwrap } from "@/api/client";
import type { ActiveLearning, ActiveLearningPatch } from "../types";
import { activeLearningKey } from "./get-active-learning";

/** Changes the head, the strategy mix or when the head retrains; a 400 names the wrong fields. */
export function updateActiveLearning(projectId: number, body: ActiveLearningPatch): Promise<ActiveLearning> {
  return unwrap(
    client.PATCH("/api/projects/{project_id}/active-learning/", { params: { path: { project_id: projectId } }, body }),
  );
}

export function useUpdateActiveLearning(projectId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ActiveLearningPatch) => updateActiveLearning(projectId, body),
    onSuccess: (saved) => {
      // The answer is the whole resource; the queue it holds is reordered shortly after.
      queryClient.setQueryData(activeLearningKey(projectId), saved);
    },
  });
}
