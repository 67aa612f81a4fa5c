import { describe, expect, it } from "vitest";
import { flattenErrors, splitFieldErrors } from "./field-errors";

describe("flattenErrors", () => {
  it("flattens strings, lists and nested index/field objects", () => {
    expect(flattenErrors(["Required."])).toEqual(["Required."]);
    expect(flattenErrors({ "0": { prompt: ["Too long."] } }, (i) => `Question ${i + 1}`)).toEqual([
      "Question 1 › prompt: Too long.",
    ]);
    expect(flattenErrors([{}, { kind: ["Bad."] }])).toEqual(["Item 2 › kind: Bad."]);
  });
});

describe("splitFieldErrors", () => {
  it("separates known fields from the rest", () => {
    expect(
      splitFieldErrors(
        { name: ["Required.", "Too short."], non_field_errors: ["Nope."], blind: ["Bad."] },
        ["name", "questions"] as const,
      ),
    ).toEqual({ fields: { name: "Required.\nToo short." }, other: ["Nope.", "blind: Bad."] });
  });

  it("ignores bodies that are not objects", () => {
    expect(splitFieldErrors("oops", ["name"] as const)).toEqual({ fields: {}, other: [] });
  });
});
