import { isRecord } from "@/api/client";
import type { Question } from "@/api/types";
import { restoreState, type AnswerState, type ItemContext } from "./answers";
import { keysWithPrefix, readJson, removeKey, writeJson, type KeyValueStore } from "./storage";

/**
 * Drafts keep a person's in-progress answers per assignment, so a reload (which hands back the
 * same assignment) picks up where they were, time spent included.
 */

export const DRAFT_PREFIX = "moot.labeling.draft.";
/** Drafts are kept this long past their assignment's expiry (a late submit may still be accepted). */
const KEEP_AFTER_EXPIRY_MS = 24 * 60 * 60 * 1000;

export interface Draft {
  answers: Record<string, AnswerState>;
  elapsedMs: number;
  expiresAt: string;
  savedAt: number;
}

export function saveDraft(store: KeyValueStore | null, assignmentId: number, draft: Draft): boolean {
  return writeJson(store, DRAFT_PREFIX + assignmentId, draft);
}

export function deleteDraft(store: KeyValueStore | null, assignmentId: number): void {
  removeKey(store, DRAFT_PREFIX + assignmentId);
}

export interface LoadedDraft {
  /** Raw saved states by question id; `restoreAnswers` checks each against its question. */
  answers: Record<string, unknown>;
  elapsedMs: number;
}

export function loadDraft(store: KeyValueStore | null, assignmentId: number): LoadedDraft | null {
  const value = readJson(store, DRAFT_PREFIX + assignmentId);
  if (!isRecord(value) || !isRecord(value.answers)) {
    return null;
  }
  const elapsed = value.elapsedMs;
  return {
    answers: value.answers,
    elapsedMs: typeof elapsed === "number" && Number.isFinite(elapsed) && elapsed > 0 ? elapsed : 0,
  };
}

/** Answer states for every question: the draft's where they still fit, fresh ones elsewhere. */
export function restoreAnswers(
  questions: Question[],
  ctx: ItemContext,
  saved: Record<string, unknown> | null,
): Record<string, AnswerState> {
  return Object.fromEntries(
    questions.map((question) => [question.id, restoreState(question, saved?.[question.id], ctx)]),
  );
}

/** Removes drafts whose assignment expired long ago, and unreadable ones. */
export function purgeDrafts(store: KeyValueStore | null, now: number): void {
  for (const key of keysWithPrefix(store, DRAFT_PREFIX)) {
    const value = readJson(store, key);
    const expires = isRecord(value) && typeof value.expiresAt === "string" ? Date.parse(value.expiresAt) : Number.NaN;
    if (Number.isNaN(expires) || expires + KEEP_AFTER_EXPIRY_MS < now) {
      removeKey(store, key);
    }
  }
}
