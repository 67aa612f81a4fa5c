import { describe, expect, it } from "vitest";
import { judgeChangedEvent, progressEvent } from "@/features/judges/testing/fixtures";
import { parseProjectEvent, type ProjectEvent } from "@/features/projects/utils/events";
import { refreshesActiveLearning } from "./events";

const event = (message: unknown): ProjectEvent => {
  const parsed = parseProjectEvent(message);
  if (!parsed) throw new Error("not an event");
  return parsed;
};

describe("refreshesActiveLearning", () => {
  it("refetches when a judge run finishes, not at each batch", () => {
    expect(refreshesActiveLearning(event(progressEvent({ status: "done", done_items: 10 })), 3)).toBe(true);
    expect(refreshesActiveLearning(event(progressEvent({ status: "running", done_items: 4 })), 3)).toBe(false);
    expect(refreshesActiveLearning(event(progressEvent({ status: "failed" })), 3)).toBe(false);
  });

  it("refetches on recomputed figures, new labels and changed judges of this project only", () => {
    const metrics = { type: "metrics.updated", project: 3, at: null, data: { duration_ms: 5, scope_key: "" } };
    expect(refreshesActiveLearning(event(metrics), 3)).toBe(true);
    expect(refreshesActiveLearning(event({ ...metrics, project: 4 }), 3)).toBe(false);
    expect(refreshesActiveLearning(event({ type: "annotation.created", project: 3, data: { item: 1 } }), 3)).toBe(true);
    expect(refreshesActiveLearning(event(judgeChangedEvent(21, "deleted")), 3)).toBe(true);
    expect(refreshesActiveLearning(event({ type: "worker.pong", project: 3, data: {} }), 3)).toBe(false);
  });
});
