import { describe, expect, it } from "vitest";
import type { Question } from "@/api/types";
import { labels, pairwise, ranking, rating, text } from "../testing/fixtures";
import { buildAnswers, initialAnswers, type ItemContext } from "./answers";
import { reduceKey, type KeyCommand, type SessionKey } from "./keyboard";
import { createSession, type Session } from "./session";

const ctx: ItemContext = { candidateIds: ["b", "a", "c"], itemRubric: [] };
const pairCtx: ItemContext = { candidateIds: ["b", "a"], itemRubric: [] };

function press(questions: Question[], keys: (string | Partial<SessionKey>)[], context = ctx, start?: Session) {
  let session = start ?? createSession(initialAnswers(questions, context));
  const commands: (KeyCommand | null)[] = [];
  const unhandled: string[] = [];
  for (const entry of keys) {
    const input: SessionKey = {
      shift: false,
      mod: false,
      inText: false,
      ...(typeof entry === "string" ? { key: entry } : { key: "", ...entry }),
    };
    const outcome = reduceKey(session, questions, context, input);
    if (outcome) {
      session = outcome.session;
      commands.push(outcome.command);
    } else {
      unhandled.push(input.key);
    }
  }
  return { session, commands, unhandled, answers: buildAnswers(questions, session.answers, context) };
}

describe("pairwise keys", () => {
  const questions = [pairwise({ strength: ["slightly", "clearly"], both_bad: true })];

  it("1 picks the left response, 3 the right, 2 a tie — by candidate id", () => {
    expect(press(questions, ["1"], pairCtx).answers).toEqual({ pref: { winner: "b", both_bad: false } });
    expect(press(questions, ["3"], pairCtx).answers).toEqual({ pref: { winner: "a", both_bad: false } });
    expect(press(questions, ["2"], pairCtx).answers).toEqual({ pref: { winner: "tie", both_bad: false } });
  });

  it("q/w pick the strength and x toggles both bad", () => {
    expect(press(questions, ["3", "w", "x"], pairCtx).answers).toEqual({
      pref: { winner: "a", strength: 1, both_bad: true },
    });
  });

  it("ignores 2 when ties are not allowed", () => {
    const noTie = [pairwise({ tie: false })];
    const result = press(noTie, ["2"], pairCtx);
    expect(result.answers).toEqual({});
    expect(result.unhandled).toEqual(["2"]);
  });
});

describe("rating keys", () => {
  const questions = [rating()];

  it("digits set the focused row; arrows move between candidate × dimension rows", () => {
    const result = press(questions, ["4", "ArrowDown", "5", "ArrowDown", "2", "ArrowDown", "3"]);
    expect(result.session.answers.quality).toEqual({
      kind: "rating",
      scores: { b: { helpfulness: 4, correctness: 5 }, a: { helpfulness: 2, correctness: 3 } },
    });
  });

  it("ignores digits outside the scale and stops at the last row", () => {
    const result = press(questions, ["7", ...Array<string>(9).fill("ArrowDown"), "1"]);
    expect(result.unhandled).toEqual(["7"]);
    expect(result.session.answers.quality).toEqual({ kind: "rating", scores: { c: { correctness: 1 } } });
  });
});

describe("ranking keys", () => {
  const questions = [ranking()];

  it("space picks up, arrows carry the response, space drops it", () => {
    const result = press(questions, ["ArrowDown", "ArrowDown", " ", "ArrowUp", "ArrowUp", " "]);
    expect(result.answers).toEqual({ rank: { order: [["c"], ["b"], ["a"]] } });
    expect(result.session.focus.rank).toEqual({ row: 0, picked: false });
  });

  it("arrows without a pick only move the focus; t ties with the one above", () => {
    const result = press(questions, ["ArrowDown", "t"]);
    expect(result.answers).toEqual({ rank: { order: [["b", "a"], ["c"]] } });
  });

  it("needs an action before it counts as answered", () => {
    expect(press(questions, ["ArrowDown"]).answers).toEqual({});
    expect(press(questions, ["c"]).answers).toEqual({ rank: { order: [["b"], ["a"], ["c"]] } });
  });
});

describe("labels keys", () => {
  it("digits toggle options on the focused target", () => {
    const questions = [labels({ per: "candidate" })];
    const result = press(questions, ["1", "3", "ArrowDown", "2", "2", "ArrowDown", "2"]);
    expect(result.answers).toEqual({
      flags: { labels: { b: ["unsafe", "refusal"], a: [], c: ["hallucination"] } },
    });
  });
});

describe("moving and commands", () => {
  const questions: Question[] = [pairwise(), rating(), text()];

  it("j/k and Tab move between questions and bump the focus tick", () => {
    const result = press(questions, ["j", "j", "j", "k"], pairCtx);
    expect(result.session.active).toBe(1);
    expect(result.session.focusTick).toBe(3); // the third j stops at the last question
    const tab = { key: "Tab", inQuestion: true };
    const tabs = press(questions, [tab, { ...tab, shift: true }], pairCtx);
    expect(tabs.session.active).toBe(0);
    expect(tabs.session.focusTick).toBe(2);
    // Outside the questions (header buttons, panels) Tab keeps its usual meaning…
    expect(press(questions, ["Tab"], pairCtx).unhandled).toEqual(["Tab"]);
    // …but with nothing focused it enters the active question.
    const entered = press(questions, [{ key: "Tab", atRest: true }], pairCtx).session;
    expect([entered.active, entered.focusTick]).toEqual([0, 1]);
  });

  it("Tab past the last question is left to the browser", () => {
    const tab = { key: "Tab", inQuestion: true };
    const result = press(questions, [tab, tab, tab], pairCtx);
    expect(result.unhandled).toEqual(["Tab"]);
  });

  it("Enter submits; s, g, ? and d ask for their actions", () => {
    const result = press(questions, ["1", "Enter", "s", "g", { key: "?", shift: true }, "d"], pairCtx);
    expect(result.commands).toEqual([null, "submit", "skip", "guidelines", "help", "diff"]);
  });

  it("inside a text field only Escape, Tab and Ctrl+Enter act", () => {
    const result = press(
      questions,
      [
        { key: "s", inText: true },
        { key: "Enter", inText: true },
        { key: "Escape", inText: true },
        { key: "Enter", inText: true, mod: true },
      ],
      pairCtx,
    );
    expect(result.unhandled).toEqual(["s", "Enter"]);
    expect(result.commands).toEqual(["leave-text", "submit"]);
  });
});
