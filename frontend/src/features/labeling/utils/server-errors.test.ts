import { describe, expect, it } from "vitest";
import { parseAnswerErrors } from "./server-errors";

describe("parseAnswerErrors", () => {
  it("places messages by question, naming fields with display letters", () => {
    const errors = parseAnswerErrors(
      {
        answers: {
          quality: { "scores.a.helpfulness": ["Expected a value from 1 to 5."] },
          pref: { non_field_errors: ["This question needs an answer."] },
        },
        time_spent_ms: ["Too large."],
        extra: "ignored field",
      },
      ["b", "a"],
      ["pref", "quality"],
    );
    expect(errors).toEqual({
      byQuestion: {
        quality: ["scores › Response B › helpfulness: Expected a value from 1 to 5."],
        pref: ["This question needs an answer."],
      },
      other: ["time_spent_ms: Too large.", "extra: ignored field"],
    });
  });
});
