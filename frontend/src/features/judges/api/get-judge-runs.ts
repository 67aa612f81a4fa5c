import { useInfiniteQuery } from "@tanstack/react-query";
import { client, pageFromUrl, unwrap } from "@/api/client";
import type { JudgeRunList } from "@/api/types";
import { projectKeys } from "@/features/projects/api/keys";

/** A judge's runs, newest first. */
export function getJudgeRuns(judgeId: number, page: number, signal?: AbortSignal): Promise<JudgeRunList> {
  return unwrap(
    client.GET("/api/judges/{judge_id}/runs/", {
      params: { path: { judge_id: judgeId }, query: { page } },
      signal,
    }),
  );
}

/** Kept current by `judge_run.progress` events (see `applyJudgeRunProgress`), not by polling. */
export function useJudgeRuns(projectId: number, judgeId: number) {
  return useInfiniteQuery({
    queryKey: projectKeys.judgeRuns(projectId, judgeId),
    queryFn: ({ pageParam, signal }) => getJudgeRuns(judgeId, pageParam, signal),
    initialPageParam: 1,
    getNextPageParam: (lastPage) => pageFromUrl(lastPage.next),
  });
}
