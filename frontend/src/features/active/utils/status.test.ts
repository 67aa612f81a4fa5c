import { describe, expect, it } from "vitest";
import { makeActiveLearning, makeHead } from "../testing/fixtures";
import { AWAIT_REFRESH_MS, labelsSinceTraining, minPairsOf, pollInterval, POLL_MS, retrainStatus } from "./status";

describe("retrainStatus", () => {
  it("counts down the labels until the next training", () => {
    expect(retrainStatus(makeActiveLearning({ retrain_every: 50, labels_since_training: 30 }))).toBe("Retrains in 20 labels");
    expect(retrainStatus(makeActiveLearning({ retrain_every: 50, labels_since_training: 49 }))).toBe("Retrains in 1 label");
    expect(retrainStatus(makeActiveLearning({ retrain_every: 50, labels_since_training: 80 }))).toBe(
      "Retrains with the next label",
    );
    // Fewer labels than the last version saw (some were withdrawn): none are new.
    expect(retrainStatus(makeActiveLearning({ retrain_every: 50, labels_since_training: -10 }))).toBe("Retrains in 50 labels");
  });

  it("says when a training is under way, never happens on its own, or has no head to train", () => {
    expect(retrainStatus(makeActiveLearning({ training: true }))).toBe("Retraining…");
    expect(retrainStatus(makeActiveLearning({ retrain_every: 0 }))).toBe("Retrains only when asked");
    expect(retrainStatus(makeActiveLearning({ head: null }))).toBe("No head to retrain");
  });
});

describe("labelsSinceTraining", () => {
  it("never counts below 0", () => {
    expect(labelsSinceTraining(makeActiveLearning({ labels_since_training: 7 }))).toBe(7);
    expect(labelsSinceTraining(makeActiveLearning({ labels_since_training: -60 }))).toBe(0);
  });
});

describe("pollInterval", () => {
  const asked = { refreshedAt: "2026-11-03T10:05:00Z", askedAt: 1_000 };

  it("polls while a training is queued or running", () => {
    expect(pollInterval(makeActiveLearning({ training: true }), null, 0)).toBe(POLL_MS);
    expect(pollInterval(makeActiveLearning(), null, 0)).toBe(false);
    expect(pollInterval(undefined, asked, 0)).toBe(false);
  });

  it("polls for an asked-for refresh until the queue's time changes, for a while at most", () => {
    expect(pollInterval(makeActiveLearning(), asked, 2_000)).toBe(POLL_MS);
    expect(pollInterval(makeActiveLearning({ refreshed_at: "2026-11-03T10:06:00Z" }), asked, 2_000)).toBe(false);
    expect(pollInterval(makeActiveLearning(), asked, 1_000 + AWAIT_REFRESH_MS)).toBe(false);
  });
});

describe("minPairsOf", () => {
  it("reads the head's saved min_pairs", () => {
    expect(minPairsOf(makeHead())).toBe(30);
    expect(minPairsOf(makeHead({ config: {} }))).toBeNull();
    expect(minPairsOf(undefined)).toBeNull();
  });
});
