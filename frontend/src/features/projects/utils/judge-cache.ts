/**
 * Writes into the cached judges and runs, shared by live events and the judge mutations. A run
 * appears in two places: its judge's runs (the runs table) and, while it is the newest, as the
 * judge's `latest_run` in the judges list (the judges table).
 */
import type { InfiniteData, QueryClient } from "@tanstack/react-query";
import type { Judge, JudgeRun, JudgeRunList } from "@/api/types";
import { projectKeys } from "../api/keys";

export type RunPages = InfiniteData<JudgeRunList, unknown>;

/**
 * Applies `change` to run `runId` in its judge's cached runs. Returns the changed run, or null
 * when the runs aren't cached or don't hold that run.
 */
export function changeCachedRun(
  queryClient: QueryClient,
  projectId: number,
  judgeId: number,
  runId: number,
  change: (run: JudgeRun) => JudgeRun,
): JudgeRun | null {
  const queryKey = projectKeys.judgeRuns(projectId, judgeId);
  const data = queryClient.getQueryData<RunPages>(queryKey);
  const current = data?.pages.flatMap((page) => page.results).find((run) => run.id === runId);
  if (!data || !current) return null;
  const changed = change(current);
  const pages = data.pages.map((page) => ({
    ...page,
    results: page.results.map((run) => (run.id === runId ? changed : run)),
  }));
  queryClient.setQueryData<RunPages>(queryKey, { ...data, pages });
  return changed;
}

/** Puts a run just started at the top of its judge's cached runs (when they are cached). */
export function addCachedRun(queryClient: QueryClient, projectId: number, run: JudgeRun) {
  queryClient.setQueryData<RunPages>(projectKeys.judgeRuns(projectId, run.judge), (data) => {
    const [first, ...rest] = data?.pages ?? [];
    if (!data || !first || data.pages.some((page) => page.results.some((row) => row.id === run.id))) return data;
    return { ...data, pages: [{ ...first, count: first.count + 1, results: [run, ...first.results] }, ...rest] };
  });
}

/** The cached judges list, with `change` applied to one judge; null when the list isn't cached. */
function changeCachedJudge(
  queryClient: QueryClient,
  projectId: number,
  judgeId: number,
  change: (judge: Judge) => Judge,
): Judge[] | null {
  const queryKey = projectKeys.judgeList(projectId);
  const judges = queryClient.getQueryData<Judge[]>(queryKey);
  if (!judges) return null;
  const next = judges.map((judge) => (judge.id === judgeId ? change(judge) : judge));
  queryClient.setQueryData<Judge[]>(queryKey, next);
  return next;
}

/**
 * Shows `run` as its judge's latest run in the cached judges list, unless the judge already
 * shows a newer one (run ids only grow). Returns false when the list is cached but lacks the
 * judge, so the caller can fetch the list again.
 */
export function setLatestRun(queryClient: QueryClient, projectId: number, run: JudgeRun): boolean {
  const judges = queryClient.getQueryData<Judge[]>(projectKeys.judgeList(projectId));
  if (judges && !judges.some((judge) => judge.id === run.judge)) return false;
  changeCachedJudge(queryClient, projectId, run.judge, (judge) =>
    judge.latest_run && judge.latest_run.id > run.id ? judge : { ...judge, latest_run: run },
  );
  return true;
}

/** Writes a run the server returned (after a cancel, say) wherever the cache shows it. */
export function putRun(queryClient: QueryClient, projectId: number, run: JudgeRun) {
  changeCachedRun(queryClient, projectId, run.judge, run.id, () => run);
  setLatestRun(queryClient, projectId, run);
}

/**
 * Forgets a deleted judge: out of the cached list, and its runs (and anything else cached
 * under it) dropped rather than refetched, since they are gone on the server.
 */
export function removeCachedJudge(queryClient: QueryClient, projectId: number, judgeId: number) {
  queryClient.setQueryData<Judge[]>(projectKeys.judgeList(projectId), (judges) =>
    judges?.filter((judge) => judge.id !== judgeId),
  );
  queryClient.removeQueries({ queryKey: projectKeys.judge(projectId, judgeId) });
}
