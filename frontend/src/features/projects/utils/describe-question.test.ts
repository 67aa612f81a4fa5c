import { describe, expect, it } from "vitest";
import type { Question } from "@/api/types";
import { describeQuestion } from "./describe-question";

const common = { prompt: "", required: true, help: "" };

describe("describeQuestion", () => {
  it("summarises a pairwise question", () => {
    const question: Question = {
      ...common,
      id: "pref",
      kind: "pairwise",
      tie: true,
      strength: ["slightly", "much"],
      both_bad: true,
      pairs: "all",
    };
    expect(describeQuestion(question)).toBe("tie allowed · strength: slightly / much · both bad");
  });

  it("lists rating dimensions with their scales", () => {
    const question: Question = {
      ...common,
      id: "q",
      kind: "rating",
      per: "candidate",
      dimensions: [
        { id: "helpfulness", label: "", min: 1, max: 5, step: 1, labels: {} },
        { id: "safety", label: "", min: 0, max: 1, step: 1, labels: {} },
      ],
    };
    expect(describeQuestion(question)).toBe("per candidate · helpfulness 1–5, safety 0–1");
  });

  it("summarises labels, rubric, ranking and text questions", () => {
    const labels: Question = {
      ...common,
      id: "f",
      kind: "labels",
      options: ["unsafe", "refusal"],
      multiple: true,
      per: "item",
    };
    const rubric: Question = { ...common, id: "r", kind: "rubric", criteria: [], item_criteria: true };
    const ranking: Question = { ...common, id: "k", kind: "ranking", ties: false };
    const text: Question = { ...common, id: "t", kind: "text", max_length: 200 };

    expect(describeQuestion(labels)).toBe("unsafe, refusal · several per item");
    expect(describeQuestion(rubric)).toBe("0 criteria · plus each item's own");
    expect(describeQuestion(ranking)).toBe("strict order");
    expect(describeQuestion(text)).toBe("up to 200 characters");
  });
});
