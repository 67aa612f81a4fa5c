import { describe, expect, it } from "vitest";
import type { Question } from "@/api/types";
import { labels, pairwise, ranking, rating, rubric, text } from "../../testing/fixtures";
import { blockingQuestions, buildAnswers, initialAnswers, restoreState, type AnswerState, type ItemContext } from ".";
import { chooseStrength, chooseWinner, toggleBothBad } from "./pairwise";
import { digitToValue, scaleValues, setScore, valueKeys } from "./rating";
import { rubricCriteria, rubricTotal, setLevel } from "./rubric";
import { toggleLabel } from "./labels";
import { moveCandidate, toggleTieAbove } from "./ranking";

const ctx: ItemContext = { candidateIds: ["b", "a"], itemRubric: [] };

function answersFor(questions: Question[], states: Record<string, AnswerState>) {
  return { ...initialAnswers(questions, ctx), ...states };
}

describe("pairwise", () => {
  const question = pairwise({ strength: ["slightly", "clearly", "much"], both_bad: true });

  it("builds the winner by candidate id, with strength and both-bad", () => {
    let state = initialAnswers([question], ctx).pref as Extract<AnswerState, { kind: "pairwise" }>;
    state = toggleBothBad(chooseStrength(chooseWinner(state, "a"), 1));
    expect(buildAnswers([question], { pref: state }, ctx)).toEqual({
      pref: { winner: "a", strength: 1, both_bad: true },
    });
  });

  it("drops the strength for a tie and leaves out both-bad when the question lacks it", () => {
    const plain = pairwise({ strength: ["slightly"] });
    let state = initialAnswers([plain], ctx).pref as Extract<AnswerState, { kind: "pairwise" }>;
    state = chooseWinner(chooseStrength(chooseWinner(state, "b"), 0), "tie");
    expect(buildAnswers([plain], { pref: state }, ctx)).toEqual({ pref: { winner: "tie" } });
  });

  it("blocks submitting until a winner is chosen", () => {
    const empty = initialAnswers([question], ctx);
    expect(blockingQuestions([question], empty, ctx)).toEqual([0]);
    expect(buildAnswers([question], empty, ctx)).toEqual({});
  });
});

describe("ranking", () => {
  const question = ranking();

  it("starts in display order and counts only once acted on", () => {
    const answers = initialAnswers([question], ctx);
    expect(blockingQuestions([question], answers, ctx)).toEqual([0]);
    const touched = { ...answers.rank, touched: true } as AnswerState;
    expect(buildAnswers([question], { rank: touched }, ctx)).toEqual({ rank: { order: [["b"], ["a"]] } });
  });

  it("moves a tied candidate out of its group first, then past whole groups", () => {
    const groups = [["a"], ["b", "c"], ["d"]];
    expect(moveCandidate(groups, "c", 1)).toEqual({ groups: [["a"], ["b"], ["c"], ["d"]], index: 2 });
    expect(moveCandidate([["a"], ["b"], ["c"], ["d"]], "c", 1)).toEqual({ groups: [["a"], ["b"], ["d"], ["c"]], index: 3 });
    expect(moveCandidate(groups, "b", -1)).toEqual({ groups: [["a"], ["b"], ["c"], ["d"]], index: 1 });
    expect(moveCandidate(groups, "d", -1)).toEqual({ groups: [["a"], ["d"], ["b", "c"]], index: 1 });
    expect(moveCandidate(groups, "a", -1)).toEqual({ groups, index: 0 });
  });

  it("ties with the one above and unties again", () => {
    const tied = toggleTieAbove([["a"], ["b"], ["c"]], "b");
    expect(tied).toEqual({ groups: [["a", "b"], ["c"]], index: 1 });
    expect(toggleTieAbove(tied.groups, "b")).toEqual({ groups: [["a"], ["b"], ["c"]], index: 1 });
  });

  it("does not restore a tie into a question without ties", () => {
    const saved = { kind: "ranking", groups: [["b", "a"]], touched: true };
    expect(restoreState(ranking({ ties: false }), saved, ctx)).toEqual({
      kind: "ranking",
      groups: [["b"], ["a"]],
      touched: false,
    });
  });
});

describe("rating", () => {
  const question = rating();

  it("needs every candidate × dimension and builds scores by candidate id", () => {
    let state = initialAnswers([question], ctx).quality as Extract<AnswerState, { kind: "rating" }>;
    state = setScore(setScore(setScore(state, "b", "helpfulness", 4), "b", "correctness", 5), "a", "helpfulness", 2);
    expect(blockingQuestions([question], { quality: state }, ctx)).toEqual([0]);
    state = setScore(state, "a", "correctness", 1);
    expect(buildAnswers([question], { quality: state }, ctx)).toEqual({
      quality: { scores: { b: { helpfulness: 4, correctness: 5 }, a: { helpfulness: 2, correctness: 1 } } },
    });
  });

  it("rates the item as a whole when per is item", () => {
    const perItem = rating({ per: "item", dimensions: [{ id: "overall", label: "", min: 0, max: 1, step: 0.5 }] });
    const state = setScore({ kind: "rating", scores: {} }, "item", "overall", 0.5);
    expect(buildAnswers([perItem], { quality: state }, ctx)).toEqual({ quality: { scores: { item: { overall: 0.5 } } } });
  });

  it("maps digits to scale values", () => {
    const dim = { id: "d", label: "", min: 1, max: 5, step: 1 };
    expect(digitToValue(dim, 4)).toBe(4);
    expect(digitToValue(dim, 6)).toBeNull();
    expect(digitToValue({ ...dim, min: 1, max: 10 }, 0)).toBe(10);
    expect(digitToValue({ ...dim, min: 0, max: 4 }, 0)).toBe(0);
    const half = { ...dim, min: 1, max: 3, step: 0.5 };
    expect(scaleValues(half)).toEqual([1, 1.5, 2, 2.5, 3]);
    expect(digitToValue(half, 2)).toBe(1.5);
    expect(valueKeys(half)).toEqual(["1", "2", "3", "4", "5"]);
    expect(digitToValue({ ...dim, min: 0, max: 100 }, 5)).toBeNull();
  });

  it("lets an optional rating stay empty but not half done", () => {
    const optional = rating({ required: false });
    const empty = initialAnswers([optional], ctx);
    expect(blockingQuestions([optional], empty, ctx)).toEqual([]);
    expect(buildAnswers([optional], empty, ctx)).toEqual({});
    const half = { quality: setScore({ kind: "rating", scores: {} }, "b", "helpfulness", 3) };
    expect(blockingQuestions([optional], half, ctx)).toEqual([0]);
  });
});

describe("rubric", () => {
  const question = rubric({
    item_criteria: true,
    criteria: [{ id: "cites", text: "Cites", points: 2 }],
  });
  const withItem: ItemContext = {
    ...ctx,
    itemRubric: [
      { id: "cites", text: "Duplicate of the project's", points: 9 },
      { id: "risk", text: "Mentions risk", points: 1, levels: ["no", "partly", "yes"] },
    ],
  };

  it("uses the project's criteria, then the item's new ones", () => {
    expect(rubricCriteria(question, withItem).map((criterion) => criterion.id)).toEqual(["cites", "risk"]);
  });

  it("needs a level per candidate × criterion and builds criteria by candidate id", () => {
    let state: AnswerState = { kind: "rubric", levels: {} };
    state = setLevel(setLevel(setLevel(state, "b", "cites", "pass"), "b", "risk", "partly"), "a", "cites", "fail");
    expect(blockingQuestions([question], { rubric: state }, withItem)).toEqual([0]);
    state = setLevel(state, "a", "risk", "yes");
    expect(buildAnswers([question], { rubric: state }, withItem)).toEqual({
      rubric: { criteria: { b: { cites: "pass", risk: "partly" }, a: { cites: "fail", risk: "yes" } } },
    });
    expect(rubricTotal(question, state, withItem, "b")).toBe(2.5);
  });
});

describe("labels", () => {
  it("builds per-item labels in option order; a required question may have none", () => {
    const question = labels({ required: true });
    const empty = initialAnswers([question], ctx);
    expect(buildAnswers([question], empty, ctx)).toEqual({ flags: { labels: { item: [] } } });
    let state = empty.flags as Extract<AnswerState, { kind: "labels" }>;
    state = toggleLabel(question, toggleLabel(question, state, "item", "refusal"), "item", "unsafe");
    expect(buildAnswers([question], { flags: state }, ctx)).toEqual({ flags: { labels: { item: ["unsafe", "refusal"] } } });
  });

  it("keeps at most one label per candidate when single choice", () => {
    const question = labels({ multiple: false, per: "candidate", required: false });
    let state: Extract<AnswerState, { kind: "labels" }> = { kind: "labels", labels: {}, touched: false };
    expect(buildAnswers([question], { flags: state }, ctx)).toEqual({});
    state = toggleLabel(question, toggleLabel(question, state, "a", "unsafe"), "a", "refusal");
    expect(buildAnswers([question], { flags: state }, ctx)).toEqual({ flags: { labels: { b: [], a: ["refusal"] } } });
  });
});

describe("text", () => {
  it("is left out when optional and blank, required otherwise", () => {
    expect(buildAnswers([text()], { why: { kind: "text", text: "  " } }, ctx)).toEqual({});
    const required = text({ required: true });
    expect(blockingQuestions([required], { why: { kind: "text", text: "" } }, ctx)).toEqual([0]);
    expect(buildAnswers([required], { why: { kind: "text", text: "Clearer." } }, ctx)).toEqual({
      why: { text: "Clearer." },
    });
  });

  it("blocks text longer than allowed", () => {
    const short = text({ max_length: 3 });
    expect(blockingQuestions([short], { why: { kind: "text", text: "four" } }, ctx)).toEqual([0]);
  });
});

describe("a whole item", () => {
  it("answers all questions in one body once complete", () => {
    const questions = [pairwise(), text()];
    const answers = answersFor(questions, { pref: { kind: "pairwise", winner: "b", strength: null, bothBad: false } });
    expect(blockingQuestions(questions, answers, ctx)).toEqual([]);
    expect(buildAnswers(questions, answers, ctx)).toEqual({ pref: { winner: "b" } });
  });
});
