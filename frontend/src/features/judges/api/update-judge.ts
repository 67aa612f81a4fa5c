import { useMutation, useQueryClient } from "@tanstack/react-query";
import { client, unwrap } from "@/api/client";
import type { Judge, JudgePatch } from "@/api/types";
import { projectKeys } from "@/features/projects/api/keys";

/** Changes a judge's name, configuration or questions (its kind is fixed). */
export function updateJudge(judgeId: number, body: JudgePatch): Promise<Judge> {
  return unwrap(client.PATCH("/api/judges/{judge_id}/", { params: { path: { judge_id: judgeId } }, body }));
}

export function useUpdateJudge(projectId: number, judgeId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: JudgePatch) => updateJudge(judgeId, body),
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: projectKeys.judgeList(projectId) }),
        // Predictions show the judge's name.
        queryClient.invalidateQueries({ queryKey: projectKeys.predictions(projectId) }),
      ]);
    },
  });
}
