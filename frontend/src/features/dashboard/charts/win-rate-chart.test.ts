import { describe, expect, it } from "vitest";
import type { ModelLeaderboard } from "@/api/types";
import { winRateChart } from "./win-rate-chart";

const board: ModelLeaderboard = {
  question: "pref",
  source: "people",
  models: ["small", "big"],
  scores: [-0.5, 0.5],
  low: [-0.9, 0.1],
  high: [-0.1, 0.9],
  comparisons: [10, 10],
  tie_parameter: 0.2,
  win_rate: [
    [null, 0.25],
    [0.75, null],
  ],
  counts: [
    [0, 10],
    [10, 0],
  ],
  rank_correlation: null,
  judge: null,
  judge_name: null,
};

describe("winRateChart", () => {
  it("lays out win rates in the given model order", () => {
    const { option, csv } = winRateChart(board, ["big", "small"]);

    expect(option).not.toBeNull();
    expect(csv.header).toEqual(["model", "big", "small"]);
    expect(csv.rows).toEqual([
      ["big", null, 0.75],
      ["small", 0.25, null],
    ]);
  });

  it("draws nothing with fewer than two models", () => {
    const { option } = winRateChart({ ...board, models: ["big"], win_rate: [[null]], counts: [[0]] }, ["big"]);

    expect(option).toBeNull();
  });
});
