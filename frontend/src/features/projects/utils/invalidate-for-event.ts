import type { QueryClient } from "@tanstack/react-query";
import { projectKeys } from "../api/keys";
import type { ProjectEvent } from "./events";
import { applyJudgeChanged, parseJudgeChanged } from "./judge-changed";
import { applyJudgeRunProgress, parseJudgeRunProgress } from "./judge-run-progress";

/**
 * Marks the cached queries a live event makes stale, so mounted pages refetch them. Judge run
 * progress, which arrives after every batch, is written into the cache instead, and a deleted
 * judge is dropped from it.
 */
export function invalidateForEvent(queryClient: QueryClient, projectId: number, event: ProjectEvent) {
  const invalidate = (queryKey: readonly unknown[], exact = false) =>
    void queryClient.invalidateQueries(exact ? { queryKey, exact } : { queryKey });

  switch (event.type) {
    case "project.updated":
      invalidate(projectKeys.detail(projectId), true);
      invalidate(projectKeys.list());
      break;
    case "member.added":
    case "member.changed":
    case "member.removed":
      invalidate(projectKeys.members(projectId));
      // The caller's own role may have changed.
      invalidate(projectKeys.detail(projectId), true);
      invalidate(projectKeys.list());
      break;
    case "annotation.created":
    case "annotation.reviewed":
      // Annotation counts, done flags, the review queue and gold accuracy all move together.
      invalidate(projectKeys.annotations(projectId));
      invalidate(projectKeys.items(projectId));
      invalidate(projectKeys.gold(projectId));
      break;
    case "items.imported":
      invalidate(projectKeys.items(projectId));
      invalidate(projectKeys.detail(projectId), true);
      invalidate(projectKeys.list());
      break;
    case "metrics.updated":
      // Filtered views refetch too: the server then refreshes their report and says so again.
      invalidate(projectKeys.metrics(projectId));
      break;
    case "judge_run.progress": {
      const progress = parseJudgeRunProgress(event.data);
      if (progress) {
        applyJudgeRunProgress(queryClient, projectId, progress);
      }
      break;
    }
    case "judge.changed": {
      const change = parseJudgeChanged(event.data);
      if (change) {
        applyJudgeChanged(queryClient, projectId, change);
      }
      break;
    }
  }
}
