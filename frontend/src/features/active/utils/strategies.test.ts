import { describe, expect, it } from "vitest";
import { contributions, normalisedShares, parseWeight, STRATEGIES, STRATEGY_NAMES } from "./strategies";

describe("normalisedShares", () => {
  it("divides each weight by the sum, as the server mixes them", () => {
    const shares = normalisedShares({ uncertainty: 0.8, diversity: 0.1, random: 0.1 });
    expect(shares).toEqual({
      uncertainty: 0.8,
      judge_disagreement: 0,
      position_inconsistency: 0,
      human_disagreement: 0,
      diversity: 0.1,
      random: 0.1,
    });
    // Only the ratios matter: doubling every weight changes nothing.
    expect(normalisedShares({ uncertainty: 1.6, diversity: 0.2, random: 0.2 })?.uncertainty).toBeCloseTo(0.8);
    expect(normalisedShares({ uncertainty: 1, random: 3 })).toMatchObject({ uncertainty: 0.25, random: 0.75 });
  });

  it("reads typed text and counts empty, negative and unknown weights as nothing", () => {
    expect(normalisedShares({ uncertainty: "0.75", diversity: "", random: -1, judge_disagreement: "0.25" })).toMatchObject({
      uncertainty: 0.75,
      judge_disagreement: 0.25,
      diversity: 0,
      random: 0,
    });
    expect(normalisedShares({ bogus: 5, uncertainty: 1 })?.uncertainty).toBe(1);
  });

  it("has no shares when no weight is above 0 (the server refuses that mix)", () => {
    expect(normalisedShares({})).toBeNull();
    expect(normalisedShares({ uncertainty: 0, random: "" })).toBeNull();
  });
});

describe("parseWeight", () => {
  it("takes finite weights at or above 0 only", () => {
    expect(parseWeight(0.25)).toBe(0.25);
    expect(parseWeight(" 0.5 ")).toBe(0.5);
    expect(parseWeight(0)).toBe(0);
    expect(parseWeight("")).toBeNull();
    expect(parseWeight("abc")).toBeNull();
    expect(parseWeight(-0.1)).toBeNull();
    expect(parseWeight(Number.POSITIVE_INFINITY)).toBeNull();
  });
});

describe("contributions", () => {
  it("lists what each strategy added, largest first, without the ones that added nothing", () => {
    expect(contributions({ random: 0.1, uncertainty: 0.5, diversity: 0, judge_disagreement: 0.1 })).toEqual([
      { name: "uncertainty", value: 0.5 },
      // Equal shares keep the server's order of strategies.
      { name: "judge_disagreement", value: 0.1 },
      { name: "random", value: 0.1 },
    ]);
  });
});

it("describes every strategy the server knows, in its order", () => {
  expect(STRATEGIES.map((info) => info.name)).toEqual([...STRATEGY_NAMES]);
});
