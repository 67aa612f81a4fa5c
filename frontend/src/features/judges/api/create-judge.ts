import { useMutation, useQueryClient } from "@tanstack/react-query";
import { client, unwrap } from "@/api/client";
import type { Judge, JudgeRequest } from "@/api/types";
import { projectKeys } from "@/features/projects/api/keys";

/** Adds a judge; a 400 names the fields (and config fields) that are wrong. */
export function createJudge(projectId: number, body: JudgeRequest): Promise<Judge> {
  return unwrap(
    client.POST("/api/projects/{project_id}/judges/", { params: { path: { project_id: projectId } }, body }),
  );
}

export function useCreateJudge(projectId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: JudgeRequest) => createJudge(projectId, body),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: projectKeys.judgeList(projectId) });
    },
  });
}
