import { describe, expect, it } from "vitest";
import type { Suggestions } from "@/api/types";
import { makeNextItem, pairwise, rating, text } from "../testing/fixtures";
import { suggestionLines } from "./suggestions";

// Shown as A = "b", B = "a": letters follow the display order, not the canonical ids.
const next = makeNextItem({ questions: [pairwise(), rating(), text()] });

const suggestions = (list: Suggestions["suggestions"], enabled = true): Suggestions => ({ enabled, suggestions: list });

describe("suggestionLines", () => {
  it("names responses by the letters shown on screen", () => {
    expect(
      suggestionLines(
        suggestions([
          { judge: 1, judge_name: "gpt-judge", question_id: "pref", value: { winner: "b" }, probability: 0.82 },
          { judge: 2, judge_name: "skywork", question_id: "pref", value: { winner: "a" }, probability: 0.6 },
          {
            judge: 2,
            judge_name: "skywork",
            question_id: "quality",
            value: { scores: { a: { helpfulness: 2, correctness: 1 }, b: { helpfulness: 5, correctness: 4 } } },
            probability: null,
          },
        ]),
        next,
      ),
    ).toEqual({
      pref: ["gpt-judge suggests A is better (82%)", "skywork suggests B is better (60%)"],
      quality: ["skywork suggests A: Helpfulness 5/5, Correctness 4/5; B: Helpfulness 2/5, Correctness 1/5"],
    });
  });

  it("shows nothing when the project doesn't show suggestions, nor for values it can't read", () => {
    const pref = { judge: 1, judge_name: "j", question_id: "pref", value: { winner: "b" }, probability: 0.8 };
    expect(suggestionLines(suggestions([pref], false), next)).toEqual({});
    expect(suggestionLines(undefined, next)).toEqual({});
    expect(
      suggestionLines(
        suggestions([
          { ...pref, question_id: "gone" },
          { ...pref, value: { winner: 3 } },
        ]),
        next,
      ),
    ).toEqual({});
  });
});
