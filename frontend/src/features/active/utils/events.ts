import type { ProjectEvent } from "@/features/projects/utils/events";
import { parseJudgeChanged } from "@/features/projects/utils/judge-changed";
import { parseJudgeRunProgress } from "@/features/projects/utils/judge-run-progress";

/**
 * Whether a live event of project `projectId` changes what the active-learning page shows:
 * a finished judge run (a head's run is followed by a priority refresh, any judge's verdicts feed
 * the disagreement strategies), recomputed figures, a new label (the counters), or a judge added,
 * changed or deleted (the head).
 */
export function refreshesActiveLearning(event: ProjectEvent, projectId: number): boolean {
  if (event.project !== null && event.project !== projectId) return false;
  switch (event.type) {
    case "judge_run.progress":
      return parseJudgeRunProgress(event.data)?.status === "done";
    case "metrics.updated":
    case "annotation.created":
      return true;
    case "judge.changed":
      return parseJudgeChanged(event.data) !== null;
    default:
      return false;
  }
}
