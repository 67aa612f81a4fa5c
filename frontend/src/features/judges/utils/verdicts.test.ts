import { describe, expect, it } from "vitest";
import { ALL_KINDS } from "@/features/items/testing/fixtures";
import { describeVerdict, formatProbability } from "./verdicts";

const question = (id: string) => ALL_KINDS.find((entry) => entry.id === id);
const naming = { name: (key: string) => ({ a: "A", b: "B", c: "C" })[key] ?? key, order: ["b", "a"] };

describe("describeVerdict", () => {
  it("names the winner of a pairwise verdict, or a tie", () => {
    expect(describeVerdict(question("pref"), { winner: "a" }, naming)).toBe("A is better");
    expect(describeVerdict(question("pref"), { winner: "tie" }, naming)).toBe("Tie");
  });

  it("writes a ranking best first, with ties joined", () => {
    expect(describeVerdict(question("rank"), { order: [["c"], ["a", "b"]] }, naming)).toBe("C > A = B");
  });

  it("lists rating scores per response in display order, with the dimension's label and scale", () => {
    const value = { scores: { a: { helpfulness: 4, safety: 1 }, b: { helpfulness: 2.5, safety: 0 } } };
    expect(describeVerdict(question("quality"), value, naming)).toBe(
      "B: Helpfulness 2.5/5, safety 0/1; A: Helpfulness 4/5, safety 1/1",
    );
  });

  it("lists rubric levels per response with the total", () => {
    const value = { criteria: { a: { cites: "pass", clear: "partly" } }, totals: { a: 2.5 } };
    expect(describeVerdict(question("rubric"), value, naming)).toBe("A: Cites a source pass, Is clear partly (2.5/3 pt)");
  });

  it("gives up on values that don't fit the question, and on unknown questions", () => {
    expect(describeVerdict(question("pref"), { order: [["a"]] }, naming)).toBeNull();
    expect(describeVerdict(undefined, { winner: "a" }, naming)).toBeNull();
    expect(describeVerdict(question("why"), { text: "x" }, naming)).toBeNull();
  });
});

describe("formatProbability", () => {
  it("rounds to a whole percent", () => {
    expect(formatProbability(0.824)).toBe("82%");
    expect(formatProbability(1)).toBe("100%");
    expect(formatProbability(null)).toBeNull();
  });
});
