import { useMutation, useQueryClient } from "@tanstack/react-query";
import { client, unwrap } from "@/api/client";
import type { JudgeRun } from "@/api/types";
import { putRun } from "@/features/projects/utils/judge-cache";

/** Cancels a run: the batch in hand finishes, no other starts; predictions so far stay. */
export function cancelJudgeRun(runId: number): Promise<JudgeRun> {
  return unwrap(client.POST("/api/judge-runs/{run_id}/cancel/", { params: { path: { run_id: runId } } }));
}

export function useCancelJudgeRun(projectId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: cancelJudgeRun,
    // The runs table and the judges table both show the run.
    onSuccess: (run) => putRun(queryClient, projectId, run),
  });
}
