import { describe, expect, it } from "vitest";
import { positionLetter, readPairwise, readRating, readRubric, rubricCriteria } from "./answers";

describe("answer readers", () => {
  it("read well-formed values and refuse others", () => {
    expect(readPairwise({ winner: "b", strength: 2, both_bad: true })).toEqual({ winner: "b", strength: 2, bothBad: true });
    expect(readPairwise({ winner: 1 })).toBeNull();
    expect(readRating({ scores: { a: { helpfulness: 4 } } })).toEqual({ scores: { a: { helpfulness: 4 } } });
    expect(readRating({ scores: { a: { helpfulness: "4" } } })).toBeNull();
    expect(readRubric({ criteria: { a: { cites: "pass" } } })).toEqual({ criteria: { a: { cites: "pass" } }, totals: null });
  });

  it("adds an item's own criteria after the project's, skipping ids already used", () => {
    const question = {
      id: "r",
      kind: "rubric" as const,
      prompt: "",
      required: true,
      help: "",
      criteria: [{ id: "cites", text: "Cites", points: 2, levels: ["fail", "pass"] }],
      item_criteria: true,
    };
    const fromItem = [
      { id: "cites", text: "dup", points: 1 },
      { id: "risk", text: "Mentions risk", points: 1 },
    ];
    expect(rubricCriteria(question, fromItem).map((criterion) => criterion.id)).toEqual(["cites", "risk"]);
    expect(rubricCriteria({ ...question, item_criteria: false }, fromItem)).toHaveLength(1);
  });

  it("names display positions with letters", () => {
    expect([0, 1, 25, 26, 27].map(positionLetter)).toEqual(["A", "B", "Z", "AA", "AB"]);
  });
});
