import type { QueryClient } from "@tanstack/react-query";
import { isRecord } from "@/api/client";
import type { Judge, JudgeRun, JudgeRunStatus } from "@/api/types";
import { projectKeys } from "../api/keys";
import { changeCachedRun, setLatestRun } from "./judge-cache";

/**
 * The data of a `judge_run.progress` event: everything about a run that changes while it runs
 * (only its scope, questions and creation time, which never change, are left out).
 */
export type JudgeRunProgress = Pick<
  JudgeRun,
  | "status"
  | "total_items"
  | "done_items"
  | "failed_items"
  | "items_per_s"
  | "eta_s"
  | "error"
  | "started_at"
  | "finished_at"
> & { run: number; judge: number };

const STATUSES: readonly JudgeRunStatus[] = ["queued", "running", "done", "failed", "cancelled"];

const isCount = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value);
const isRate = (value: unknown): value is number | null => value === null || isCount(value);
const isTime = (value: unknown): value is string | null => value === null || typeof value === "string";

/** The event's data when it has the documented shape, else null (the event is then only listed). */
export function parseJudgeRunProgress(data: unknown): JudgeRunProgress | null {
  if (!isRecord(data)) return null;
  const { run, judge, status, total_items, done_items, failed_items, items_per_s, eta_s, error, started_at, finished_at } =
    data;
  if (
    !isCount(run) ||
    !isCount(judge) ||
    typeof status !== "string" ||
    !STATUSES.includes(status as JudgeRunStatus) ||
    !isCount(total_items) ||
    !isCount(done_items) ||
    !isCount(failed_items) ||
    !isRate(items_per_s ?? null) ||
    !isRate(eta_s ?? null) ||
    typeof error !== "string" ||
    !isTime(started_at) ||
    !isTime(finished_at)
  ) {
    return null;
  }
  return {
    run,
    judge,
    status: status as JudgeRunStatus,
    total_items,
    done_items,
    failed_items,
    items_per_s: (items_per_s ?? null) as number | null,
    eta_s: (eta_s ?? null) as number | null,
    error,
    started_at,
    finished_at,
  };
}

/** The run as the event describes it. */
function withProgress(run: JudgeRun, progress: JudgeRunProgress): JudgeRun {
  const { run: _run, judge: _judge, ...fields } = progress;
  return { ...run, ...fields };
}

/**
 * Writes a run's progress into the cache, so progress bars, counters, finish times and errors
 * follow the run without a request per batch: into its judge's runs, and into the judge's
 * `latest_run` in the judges list.
 *
 * The event lacks a run's scope and questions, so a run the cache doesn't hold yet (started in
 * another tab) is fetched: its judge's runs when they are cached, and the judges list when
 * the run is newer than the latest one shown there (or the judge isn't listed yet). Finished
 * batches mean new predictions, so those are marked stale.
 */
export function applyJudgeRunProgress(queryClient: QueryClient, projectId: number, progress: JudgeRunProgress) {
  const runsKey = projectKeys.judgeRuns(projectId, progress.judge);
  const listKey = projectKeys.judgeList(projectId);
  const update = (run: JudgeRun) => withProgress(run, progress);

  const full = changeCachedRun(queryClient, projectId, progress.judge, progress.run, update);
  if (!full && queryClient.getQueryData(runsKey)) {
    void queryClient.invalidateQueries({ queryKey: runsKey });
  }

  const judges = queryClient.getQueryData<Judge[]>(listKey);
  const latest = judges?.find((judge) => judge.id === progress.judge)?.latest_run;
  if (full) {
    if (!setLatestRun(queryClient, projectId, full)) void queryClient.invalidateQueries({ queryKey: listKey });
  } else if (latest && latest.id === progress.run) {
    setLatestRun(queryClient, projectId, update(latest));
  } else if (judges && (latest === undefined || latest === null || latest.id < progress.run)) {
    void queryClient.invalidateQueries({ queryKey: listKey });
  }

  void queryClient.invalidateQueries({ queryKey: projectKeys.predictions(projectId) });
}
