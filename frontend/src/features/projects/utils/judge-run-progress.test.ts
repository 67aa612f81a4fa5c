import { describe, expect, it, vi } from "vitest";
import type { Judge } from "@/api/types";
import { judgeChangedEvent, makeJudge, makeRun, progressEvent } from "@/features/judges/testing/fixtures";
import { page } from "@/testing/fixtures";
import { createTestQueryClient } from "@/testing/render";
import { projectKeys } from "../api/keys";
import { describeEvent, parseProjectEvent } from "./events";
import { invalidateForEvent } from "./invalidate-for-event";
import { parseJudgeChanged } from "./judge-changed";
import type { RunPages } from "./judge-cache";
import { parseJudgeRunProgress } from "./judge-run-progress";

type TestQueryClient = ReturnType<typeof createTestQueryClient>;

const runsKey = projectKeys.judgeRuns(3, 7);
const listKey = projectKeys.judgeList(3);

const cachedRuns = (queryClient: TestQueryClient) =>
  queryClient.getQueryData<RunPages>(runsKey)?.pages.flatMap((p) => p.results);
const cachedJudges = (queryClient: TestQueryClient) => queryClient.getQueryData<Judge[]>(listKey);

function receive(queryClient: TestQueryClient, message: unknown) {
  const event = parseProjectEvent(message);
  if (!event) throw new Error("not an event");
  invalidateForEvent(queryClient, 3, event);
}

const finished = {
  status: "failed",
  done_items: 6,
  failed_items: 4,
  items_per_s: 1.5,
  eta_s: null,
  error: "CUDA out of memory",
  started_at: "2026-11-02T10:00:01Z",
  finished_at: "2026-11-02T10:00:08Z",
} as const;

describe("judge_run.progress events", () => {
  it("writes the counters into the cached run and the judge's latest run without refetching", () => {
    const queryClient = createTestQueryClient();
    queryClient.setQueryData(runsKey, {
      pages: [page([makeRun({ id: 40, status: "queued" }), makeRun({ id: 39, status: "done" })])],
      pageParams: [1],
    });
    queryClient.setQueryData(listKey, [makeJudge({ latest_run: makeRun({ id: 40 }) }), makeJudge({ id: 8 })]);
    const invalidate = vi.spyOn(queryClient, "invalidateQueries");

    receive(
      queryClient,
      progressEvent({ status: "running", done_items: 4, failed_items: 1, items_per_s: 2.5, eta_s: 2, started_at: "2026-11-02T10:00:01Z" }),
    );

    const expected = { id: 40, status: "running", done_items: 4, failed_items: 1, items_per_s: 2.5, eta_s: 2, total_items: 10 };
    expect(cachedRuns(queryClient)?.[0]).toMatchObject({ ...expected, started_at: "2026-11-02T10:00:01Z", scope: { kind: "all" } });
    expect(cachedRuns(queryClient)?.[1]).toEqual(makeRun({ id: 39, status: "done" }));
    expect(cachedJudges(queryClient)?.[0]?.latest_run).toMatchObject(expected);
    expect(cachedJudges(queryClient)?.[1]).toEqual(makeJudge({ id: 8 }));
    expect(invalidate).not.toHaveBeenCalledWith({ queryKey: runsKey });
    expect(invalidate).not.toHaveBeenCalledWith({ queryKey: listKey });
    // Finished batches mean new predictions.
    expect(invalidate).toHaveBeenCalledWith({ queryKey: projectKeys.predictions(3) });
  });

  it("takes a finished run's error and times from the event, with no refetch", () => {
    const queryClient = createTestQueryClient();
    queryClient.setQueryData(runsKey, { pages: [page([makeRun({ status: "running" })])], pageParams: [1] });
    queryClient.setQueryData(listKey, [makeJudge({ latest_run: makeRun({ status: "running" }) })]);
    const invalidate = vi.spyOn(queryClient, "invalidateQueries");

    receive(queryClient, progressEvent(finished));

    expect(cachedRuns(queryClient)?.[0]).toEqual(makeRun({ ...finished }));
    expect(cachedJudges(queryClient)?.[0]?.latest_run).toEqual(makeRun({ ...finished }));
    expect(invalidate).toHaveBeenCalledTimes(1);
    expect(invalidate).toHaveBeenCalledWith({ queryKey: projectKeys.predictions(3) });

    // The judges table alone (no runs cached) follows too.
    queryClient.removeQueries({ queryKey: runsKey });
    receive(queryClient, progressEvent({ ...finished, error: "", status: "done" }));
    expect(cachedJudges(queryClient)?.[0]?.latest_run).toMatchObject({ status: "done", error: "" });
    expect(invalidate).not.toHaveBeenCalledWith({ queryKey: listKey });
  });

  it("fetches what it lacks for a run started elsewhere", () => {
    const queryClient = createTestQueryClient();
    queryClient.setQueryData(runsKey, { pages: [page([makeRun({ id: 40, status: "done" })])], pageParams: [1] });
    queryClient.setQueryData(listKey, [makeJudge({ latest_run: makeRun({ id: 40, status: "done" }) })]);
    const invalidate = vi.spyOn(queryClient, "invalidateQueries");

    // A newer run: its scope and questions aren't in the event.
    receive(queryClient, progressEvent({ run: 41 }));
    expect(invalidate).toHaveBeenCalledWith({ queryKey: runsKey });
    expect(invalidate).toHaveBeenCalledWith({ queryKey: listKey });
    expect(cachedJudges(queryClient)?.[0]?.latest_run?.id).toBe(40);

    // A judge this tab doesn't list yet.
    invalidate.mockClear();
    receive(queryClient, progressEvent({ run: 99, judge: 8 }));
    expect(invalidate).toHaveBeenCalledWith({ queryKey: listKey });
    expect(invalidate).not.toHaveBeenCalledWith({ queryKey: projectKeys.judgeRuns(3, 8) });
  });

  it("leaves the judges table alone for an older run's progress", () => {
    const queryClient = createTestQueryClient();
    queryClient.setQueryData(listKey, [makeJudge({ latest_run: makeRun({ id: 41, status: "running" }) })]);
    const invalidate = vi.spyOn(queryClient, "invalidateQueries");
    receive(queryClient, progressEvent({ run: 40, status: "cancelled" }));
    expect(cachedJudges(queryClient)?.[0]?.latest_run).toEqual(makeRun({ id: 41, status: "running" }));
    expect(invalidate).not.toHaveBeenCalledWith({ queryKey: listKey });
  });

  it("ignores malformed data but still lists the event", () => {
    expect(parseJudgeRunProgress({ run: 1, judge: 2, status: "exploded", total_items: 1, done_items: 0, failed_items: 0 })).toBeNull();
    expect(parseJudgeRunProgress({ run: "1" })).toBeNull();
    // The documented shape includes the error and the times.
    const { error: _error, ...withoutError } = progressEvent({}).data;
    expect(parseJudgeRunProgress(withoutError)).toBeNull();
    expect(parseJudgeRunProgress({ ...progressEvent({}).data, started_at: 5 })).toBeNull();
    const queryClient = createTestQueryClient();
    const invalidate = vi.spyOn(queryClient, "invalidateQueries");
    receive(queryClient, { type: "judge_run.progress", data: { run: "x" } });
    expect(invalidate).not.toHaveBeenCalled();
  });

  it("is summarised in the event feed", () => {
    const event = parseProjectEvent(progressEvent({ status: "running", done_items: 6, failed_items: 1 }));
    expect(event && describeEvent(event)).toBe("Judge run 40 running: 6 of 10 items, 1 failed");
    const failed = parseProjectEvent(progressEvent(finished));
    expect(failed && describeEvent(failed)).toBe("Judge run 40 failed: 6 of 10 items, 4 failed (CUDA out of memory)");
  });
});

describe("judge.changed events", () => {
  it("refetches the judges list when a judge is added or changed elsewhere", () => {
    const queryClient = createTestQueryClient();
    queryClient.setQueryData(listKey, [makeJudge()]);
    const invalidate = vi.spyOn(queryClient, "invalidateQueries");

    receive(queryClient, judgeChangedEvent(8, "created"));
    expect(invalidate).toHaveBeenCalledWith({ queryKey: listKey });
    expect(invalidate).not.toHaveBeenCalledWith({ queryKey: projectKeys.predictions(3) });

    invalidate.mockClear();
    receive(queryClient, judgeChangedEvent(7, "updated"));
    expect(invalidate).toHaveBeenCalledWith({ queryKey: listKey });
    // Predictions show the judge's name.
    expect(invalidate).toHaveBeenCalledWith({ queryKey: projectKeys.predictions(3) });
  });

  it("drops a deleted judge and its runs from the cache", () => {
    const queryClient = createTestQueryClient();
    queryClient.setQueryData(listKey, [makeJudge(), makeJudge({ id: 8, name: "other" })]);
    queryClient.setQueryData(runsKey, { pages: [page([makeRun()])], pageParams: [1] });
    const otherRuns = projectKeys.judgeRuns(3, 8);
    queryClient.setQueryData(otherRuns, { pages: [page([makeRun({ id: 50, judge: 8 })])], pageParams: [1] });
    const invalidate = vi.spyOn(queryClient, "invalidateQueries");

    receive(queryClient, judgeChangedEvent(7, "deleted"));

    expect(cachedJudges(queryClient)?.map((judge) => judge.id)).toEqual([8]);
    expect(queryClient.getQueryState(runsKey)).toBeUndefined();
    expect(queryClient.getQueryData(otherRuns)).toBeDefined();
    expect(invalidate).toHaveBeenCalledWith({ queryKey: projectKeys.predictions(3) });
  });

  it("ignores malformed data but still lists the event", () => {
    expect(parseJudgeChanged({ judge: 7, action: "renamed" })).toBeNull();
    expect(parseJudgeChanged({ judge: "7", action: "created" })).toBeNull();
    const queryClient = createTestQueryClient();
    const invalidate = vi.spyOn(queryClient, "invalidateQueries");
    receive(queryClient, { type: "judge.changed", data: { judge: 7 } });
    expect(invalidate).not.toHaveBeenCalled();

    const event = parseProjectEvent(judgeChangedEvent(7, "deleted"));
    expect(event && describeEvent(event)).toBe("Judge 7 deleted");
  });
});
