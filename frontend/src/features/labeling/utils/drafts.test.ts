import { describe, expect, it } from "vitest";
import { memoryStore, pairwise, rating, text } from "../testing/fixtures";
import { setScore } from "./answers/rating";
import type { ItemContext, RatingState } from "./answers";
import { DRAFT_PREFIX, deleteDraft, loadDraft, purgeDrafts, restoreAnswers, saveDraft } from "./drafts";

const ctx: ItemContext = { candidateIds: ["b", "a"], itemRubric: [] };
const questions = [pairwise(), rating(), text()];

describe("drafts", () => {
  it("restores the answers saved for the same assignment", () => {
    const store = memoryStore();
    const answers = restoreAnswers(questions, ctx, null);
    answers.pref = { kind: "pairwise", winner: "a", strength: null, bothBad: false };
    answers.quality = setScore(answers.quality as RatingState, "b", "helpfulness", 4);
    answers.why = { kind: "text", text: "B is vague." };
    saveDraft(store, 11, { answers, elapsedMs: 5_300, expiresAt: "2099-01-01T00:00:00Z", savedAt: 1 });

    const loaded = loadDraft(store, 11);
    expect(loaded?.elapsedMs).toBe(5_300);
    expect(restoreAnswers(questions, ctx, loaded?.answers ?? null)).toEqual(answers);
    expect(loadDraft(store, 12)).toBeNull();
  });

  it("drops saved values that no longer fit the question or the shown candidates", () => {
    const saved = {
      pref: { kind: "pairwise", winner: "zzz", strength: null, bothBad: false },
      quality: { kind: "rating", scores: { b: { helpfulness: 9, correctness: 2 } } },
      why: { kind: "labels", labels: {}, touched: true },
    };
    expect(restoreAnswers(questions, ctx, saved)).toEqual({
      pref: { kind: "pairwise", winner: null, strength: null, bothBad: false },
      quality: { kind: "rating", scores: { b: { correctness: 2 } } },
      why: { kind: "text", text: "" },
    });
  });

  it("ignores unreadable drafts and purges expired ones", () => {
    const store = memoryStore({ [`${DRAFT_PREFIX}1`]: "{not json", [`${DRAFT_PREFIX}2`]: "null" });
    expect(loadDraft(store, 1)).toBeNull();
    saveDraft(store, 3, { answers: {}, elapsedMs: 0, expiresAt: "2026-01-01T00:00:00Z", savedAt: 0 });
    saveDraft(store, 4, { answers: {}, elapsedMs: 0, expiresAt: "2026-01-03T00:00:00Z", savedAt: 0 });
    purgeDrafts(store, Date.parse("2026-01-02T12:00:00Z"));
    expect([...store.data.keys()]).toEqual([`${DRAFT_PREFIX}4`]);
    deleteDraft(store, 4);
    expect(store.data.size).toBe(0);
  });
});
