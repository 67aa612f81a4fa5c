import { useQuery } from "@tanstack/react-query";
import { client, unwrap } from "@/api/client";
import type { Judge } from "@/api/types";
import { projectKeys } from "@/features/projects/api/keys";

/** A project's judges, oldest first, each with its latest run (not paginated: a project has a handful). */
export function getJudges(projectId: number, signal?: AbortSignal): Promise<Judge[]> {
  return unwrap(
    client.GET("/api/projects/{project_id}/judges/", { params: { path: { project_id: projectId } }, signal }),
  );
}

/**
 * Kept current by live events: `judge_run.progress` writes into each judge's `latest_run`, and
 * `judge.changed` refetches the list when a judge is added, changed or deleted elsewhere.
 */
export function useJudges(projectId: number) {
  return useQuery({
    queryKey: projectKeys.judgeList(projectId),
    queryFn: ({ signal }) => getJudges(projectId, signal),
  });
}
