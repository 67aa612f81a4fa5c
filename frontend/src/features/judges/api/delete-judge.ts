import { useMutation, useQueryClient } from "@tanstack/react-query";
import { client, unwrap } from "@/api/client";
import { projectKeys } from "@/features/projects/api/keys";
import { removeCachedJudge } from "@/features/projects/utils/judge-cache";

/** Deletes a judge with its runs and predictions. */
export function deleteJudge(judgeId: number): Promise<void> {
  return unwrap(client.DELETE("/api/judges/{judge_id}/", { params: { path: { judge_id: judgeId } } }));
}

export function useDeleteJudge(projectId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteJudge,
    onSuccess: async (_, judgeId) => {
      removeCachedJudge(queryClient, projectId, judgeId);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: projectKeys.judgeList(projectId) }),
        queryClient.invalidateQueries({ queryKey: projectKeys.predictions(projectId) }),
      ]);
    },
  });
}
