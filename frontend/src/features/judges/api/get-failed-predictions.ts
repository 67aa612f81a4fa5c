import { useInfiniteQuery } from "@tanstack/react-query";
import { client, pageFromUrl, unwrap } from "@/api/client";
import type { PredictionList } from "@/api/types";
import { projectKeys } from "@/features/projects/api/keys";

/** The predictions of a run that failed, by item then question, each with its error. */
export function getFailedPredictions(runId: number, page: number, signal?: AbortSignal): Promise<PredictionList> {
  return unwrap(
    client.GET("/api/judge-runs/{run_id}/predictions/", {
      params: { path: { run_id: runId }, query: { failed: true, page } },
      signal,
    }),
  );
}

export function useFailedPredictions(projectId: number, runId: number) {
  return useInfiniteQuery({
    queryKey: [...projectKeys.predictions(projectId), "run", runId, "failed"],
    queryFn: ({ pageParam, signal }) => getFailedPredictions(runId, pageParam, signal),
    initialPageParam: 1,
    getNextPageParam: (lastPage) => pageFromUrl(lastPage.next),
  });
}
