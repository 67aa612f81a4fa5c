import { describe, expect, it } from "vitest";
import { makeActiveLearning } from "../testing/fixtures";
import { mixErrors, mixProblem, mixRequest, valuesFromSettings, type MixFormValues } from "./mix-form";

const values = (overrides: Partial<MixFormValues> = {}): MixFormValues => ({
  ...valuesFromSettings(makeActiveLearning()),
  ...overrides,
});

describe("valuesFromSettings", () => {
  it("gives every strategy an input, 0 for those left out of the mix", () => {
    expect(valuesFromSettings(makeActiveLearning({ retrain_every: 0, extra_labels: 2 }))).toEqual({
      weights: {
        uncertainty: 0.8,
        judge_disagreement: 0,
        position_inconsistency: 0,
        human_disagreement: 0,
        diversity: 0.1,
        random: 0.1,
      },
      retrain_every: 0,
      extra_labels: 2,
    });
  });
});

describe("mixRequest", () => {
  it("sends the strategies that weigh something and the counts", () => {
    const form = values();
    form.weights = { ...form.weights, uncertainty: 0.5, diversity: "0", judge_disagreement: "0.25" };
    expect(mixRequest({ ...form, retrain_every: 20, extra_labels: "" })).toEqual({
      strategies: { uncertainty: 0.5, judge_disagreement: 0.25, random: 0.1 },
      // An empty input leaves the saved value as it is.
      retrain_every: 20,
    });
  });

  it("refuses a mix where nothing weighs anything before asking the server", () => {
    const zero = values();
    zero.weights = { ...zero.weights, uncertainty: 0, diversity: 0, random: "" };
    expect(mixProblem(zero)).toBe("Give at least one strategy a weight above 0.");
    expect(mixProblem(values())).toBeNull();
  });
});

describe("mixErrors", () => {
  it("puts a strategy's messages under its weight, whichever way the server names it", () => {
    expect(
      mixErrors({
        strategies: { random: ["Ensure this value is greater than or equal to 0."] },
        retrain_every: ["A valid integer is required."],
      }),
    ).toEqual({
      fields: {
        "weights.random": "Ensure this value is greater than or equal to 0.",
        retrain_every: "A valid integer is required.",
      },
      other: [],
    });
    expect(mixErrors({ strategies: ["weight of 'diversity' must not be negative, got -1"] }).fields).toEqual({
      "weights.diversity": "weight of 'diversity' must not be negative, got -1",
    });
  });

  it("keeps messages about the whole mix for the mix, and the rest for an alert", () => {
    expect(
      mixErrors({
        strategies: ["at least one strategy needs a weight above 0", "unknown strategy 'luck'; expected one of: …"],
        head: ["Choose a preference head judge of this project."],
        non_field_errors: ["Unknown setting 'x'."],
        queue: ["read only"],
      }),
    ).toEqual({
      fields: {
        strategies: "at least one strategy needs a weight above 0\nunknown strategy 'luck'; expected one of: …",
        head: "Choose a preference head judge of this project.",
      },
      other: ["Unknown setting 'x'.", "queue: read only"],
    });
    expect(mixErrors("Bad Request")).toEqual({ fields: {}, other: [] });
  });
});
