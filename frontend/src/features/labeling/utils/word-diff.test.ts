import { describe, expect, it } from "vitest";
import { sideOf, wordDiff } from "./word-diff";

describe("wordDiff", () => {
  it("marks words only on the left as removed and only on the right as added", () => {
    const parts = wordDiff("the quick fox", "the slow fox") ?? [];
    expect(sideOf(parts, "left").map((part) => [part.change, part.text.trim()])).toEqual([
      ["same", "the"],
      ["removed", "quick"],
      ["same", "fox"],
    ]);
    expect(sideOf(parts, "right").filter((part) => part.change !== "same").map((part) => part.text)).toEqual(["slow"]);
  });
});
