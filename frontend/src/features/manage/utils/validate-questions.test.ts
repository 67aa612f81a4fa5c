import { describe, expect, it } from "vitest";
import type { Question } from "@/api/types";
import { cardLevelErrors } from "./card-errors";
import { errorMapFromServer, errorsUnder } from "./error-map";
import { newQuestion } from "./question-kinds";
import { parseQuestionsJson } from "./questions-json";
import { validateQuestions } from "./validate-questions";

describe("validateQuestions", () => {
  it("accepts every kind's defaults", () => {
    const kinds = ["pairwise", "ranking", "rating", "rubric", "labels", "text"] as const;
    const questions = kinds.reduce<Question[]>((list, kind) => [...list, newQuestion(kind, list)], []);
    expect(validateQuestions(questions)).toEqual({});
  });

  it("mirrors the server's rules with paths the editor shows", () => {
    const common = { prompt: "", required: true, help: "" };
    const errors = validateQuestions([
      { ...common, id: "-bad", kind: "pairwise", tie: true, strength: ["much", "much"], both_bad: false, pairs: "all" },
      {
        ...common,
        id: "pref",
        kind: "rating",
        per: "candidate",
        dimensions: [
          { id: "d", label: "", min: 3, max: 3, step: 0, labels: {} },
          { id: "d", label: "", min: Number.NaN, max: 5, step: 1, labels: {} },
        ],
      },
      { ...common, id: "pref", kind: "labels", options: [], multiple: false, per: "item" },
      { ...common, id: "r", kind: "rubric", criteria: [], item_criteria: false },
      { ...common, id: "why", kind: "text", max_length: 0 },
    ]);
    expect(errors).toEqual({
      "0.id": ["Use letters, digits, _ . or -, starting with a letter or digit."],
      "0.strength.1": ['Duplicate label "much" (also #1).'],
      "1.dimensions.0.max": ["Max must be greater than min (3)."],
      "1.dimensions.0.step": ["Step must be greater than 0."],
      "1.dimensions.1.min": ["Enter a number."],
      "1.dimensions.1.id": ['Duplicate dimension id "d" (also #1).'],
      "2.options": ["Add at least one option."],
      "2.id": ['Duplicate question id "pref" (also question 2).'],
      "3.criteria": ["A rubric needs criteria, or each item's own criteria switched on."],
      "4.max_length": ["Between 1 and 100000."],
    });
  });

  it("needs at least one question and flags fields a kind doesn't take", () => {
    expect(validateQuestions([])).toEqual({ "": ["A project needs at least one question."] });
    const parsed = parseQuestionsJson('[{"id": "t", "kind": "text", "tie": true}]');
    expect(parsed.ok && validateQuestions(parsed.questions)).toEqual({ "0.tie": ["Unknown field for a text question."] });
  });
});

describe("errorMapFromServer", () => {
  it("turns DRF's nested errors into the editor's paths", () => {
    const errors = errorMapFromServer({
      "1": {
        dimensions: { "0": { max: ["max must be greater than min (5)"] } },
        non_field_errors: ["a rubric needs criteria, or item_criteria set to true"],
      },
      "2": { options: { "0": ["String should have at least 1 character"] } },
    });
    expect(errors).toEqual({
      "1.dimensions.0.max": ["max must be greater than min (5)"],
      "1": ["a rubric needs criteria, or item_criteria set to true"],
      "2.options.0": ["String should have at least 1 character"],
    });
    expect(errorsUnder(errors, "1")).toEqual({
      "dimensions.0.max": ["max must be greater than min (5)"],
      "": ["a rubric needs criteria, or item_criteria set to true"],
    });
    expect(errorMapFromServer(["A project needs at least one question."])).toEqual({
      "": ["A project needs at least one question."],
    });
  });
});

describe("refusals that protect existing answers", () => {
  it("keeps a question's refusal on its card and a removal refusal on the list", () => {
    const change = "3 existing annotation(s) would no longer fit this question; change it so that what they answered stays valid.";
    const removal = "Question 'x' has 2 answer(s) and cannot be removed.";
    const errors = errorMapFromServer({ "1": { non_field_errors: [change] }, non_field_errors: [removal] });
    expect(errors).toEqual({ "1": [change], "": [removal] });
    // On the card, a message for the question itself is listed as it is.
    expect(cardLevelErrors("rating", errorsUnder(errors, "1"))).toEqual([change]);
    expect(errorsUnder(errors, "0")).toEqual({});
  });
});

describe("parseQuestionsJson", () => {
  it("fills the server's defaults and rejects wrong shapes with their place", () => {
    expect(parseQuestionsJson('[{"id": "q", "kind": "ranking"}]')).toEqual({
      ok: true,
      questions: [{ id: "q", kind: "ranking", prompt: "", required: true, help: "", ties: true }],
    });
    expect(parseQuestionsJson('[{"id": "q", "kind": "rating", "dimensions": [{"id": "d", "max": "5"}]}]')).toEqual({
      ok: false,
      error: "Question 1 › dimension 1 › max: expected a number.",
    });
    expect(parseQuestionsJson('{"id": "q"}')).toEqual({ ok: false, error: "Questions must be a JSON array." });
  });
});
