import type { QueryClient } from "@tanstack/react-query";
import { isRecord } from "@/api/client";
import { projectKeys } from "../api/keys";
import { removeCachedJudge } from "./judge-cache";

const ACTIONS = ["created", "updated", "deleted"] as const;

/** The data of a `judge.changed` event: which judge was added, changed or deleted. */
export interface JudgeChanged {
  judge: number;
  action: (typeof ACTIONS)[number];
}

/** The event's data when it has the documented shape, else null (the event is then only listed). */
export function parseJudgeChanged(data: unknown): JudgeChanged | null {
  if (!isRecord(data) || typeof data.judge !== "number") return null;
  const action = ACTIONS.find((name) => name === data.action);
  return action ? { judge: data.judge, action } : null;
}

/**
 * Makes the judges shown here follow a judge added, changed or deleted (in this tab or another):
 * the list is fetched again; a deleted judge leaves the cache at once, with its runs, and its
 * predictions leave the item browser. A renamed judge's name shows with its predictions too.
 */
export function applyJudgeChanged(queryClient: QueryClient, projectId: number, change: JudgeChanged) {
  if (change.action === "deleted") {
    removeCachedJudge(queryClient, projectId, change.judge);
  }
  void queryClient.invalidateQueries({ queryKey: projectKeys.judgeList(projectId) });
  if (change.action !== "created") {
    void queryClient.invalidateQueries({ queryKey: projectKeys.predictions(projectId) });
  }
}
