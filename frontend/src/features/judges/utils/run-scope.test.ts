import { describe, expect, it } from "vitest";
import { formatEta, formatRate, runProgress } from "./run-format";
import { describeScope, runStartBody, DEFAULT_SCOPE } from "./run-scope";

describe("runStartBody", () => {
  it("sends all, unlabeled, or the chosen filters", () => {
    expect(runStartBody(DEFAULT_SCOPE)).toEqual({ body: { scope: { kind: "all" } } });
    expect(runStartBody({ ...DEFAULT_SCOPE, choice: "unlabeled", model: "ignored" })).toEqual({
      body: { scope: { kind: "unlabeled" } },
    });
    expect(runStartBody({ choice: "filter", status: "open", model: " gpt-4o " })).toEqual({
      body: { scope: { kind: "filter", filter: { status: "open", model: "gpt-4o" } } },
    });
  });

  it("refuses an empty filter, which the server would too", () => {
    expect(runStartBody({ choice: "filter", status: "any", model: "  " })).toEqual({
      problem: "Choose a status or a source model to filter by.",
    });
  });

  it("describes a run's scope", () => {
    expect(describeScope({ kind: "all" })).toBe("All items");
    expect(describeScope({ kind: "unlabeled" })).toBe("Unlabeled items");
    expect(describeScope({ kind: "filter", filter: { status: "done", model: "m" } })).toBe("Items with status done, model m");
  });
});

describe("run figures", () => {
  it("counts failed items as handled", () => {
    expect(runProgress({ done_items: 6, failed_items: 2, total_items: 10 })).toEqual({ handled: 8, total: 10, percent: 80 });
    expect(runProgress({ done_items: 0, failed_items: 0, total_items: 0 }).percent).toBe(100);
  });

  it("formats speed and time left", () => {
    expect([formatRate(null), formatRate(0.123), formatRate(2.34), formatRate(42.4)]).toEqual([
      "—",
      "0.12 items/s",
      "2.3 items/s",
      "42 items/s",
    ]);
    expect([formatEta(null), formatEta(42.4), formatEta(185), formatEta(7_620)]).toEqual(["—", "42 s", "3 min 5 s", "2 h 7 min"]);
  });
});
