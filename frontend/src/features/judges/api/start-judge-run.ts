import { useMutation, useQueryClient } from "@tanstack/react-query";
import { client, unwrap } from "@/api/client";
import type { JudgeRun, RunStartRequest } from "@/api/types";
import { projectKeys } from "@/features/projects/api/keys";
import { addCachedRun, setLatestRun } from "@/features/projects/utils/judge-cache";

/** Starts a run over the items in `scope`; 503 when the task queue is down (nothing started). */
export function startJudgeRun(judgeId: number, body: RunStartRequest): Promise<JudgeRun> {
  return unwrap(
    client.POST("/api/judges/{judge_id}/runs/", { params: { path: { judge_id: judgeId } }, body }),
  );
}

export function useStartJudgeRun(projectId: number, judgeId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: RunStartRequest) => startJudgeRun(judgeId, body),
    onSuccess: async (run) => {
      // Shown at once in both tables, so progress events that arrive before the refetch have a
      // row to update.
      addCachedRun(queryClient, projectId, run);
      setLatestRun(queryClient, projectId, run);
      await queryClient.invalidateQueries({ queryKey: projectKeys.judgeRuns(projectId, judgeId) });
    },
  });
}
