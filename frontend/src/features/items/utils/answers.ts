/**
 * Readers for stored answer values (the API types them as unknown). Each
 * returns null when a value doesn't have its kind's shape, so the caller can
 * fall back to showing raw JSON instead of guessing.
 */
import { isRecord } from "@/api/client";
import type { ItemCriterion, Question, RubricCriterion } from "@/api/types";

export interface PairwiseAnswer {
  winner: string;
  strength?: number;
  bothBad?: boolean;
}
export interface RankingAnswer {
  order: string[][];
}
/** Scores by target (a candidate id, or "item") then by dimension id. */
export interface RatingAnswer {
  scores: Record<string, Record<string, number>>;
}
export interface RubricAnswer {
  criteria: Record<string, Record<string, string>>;
  totals: Record<string, number> | null;
}
export interface LabelsAnswer {
  labels: Record<string, string[]>;
}
export interface TextAnswer {
  text: string;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((entry) => typeof entry === "string");
}

function recordOf<T>(value: unknown, check: (entry: unknown) => entry is T): Record<string, T> | null {
  if (!isRecord(value)) return null;
  return Object.values(value).every(check) ? (value as Record<string, T>) : null;
}

const isNumber = (value: unknown): value is number => typeof value === "number";
const isString = (value: unknown): value is string => typeof value === "string";

export function readPairwise(value: unknown): PairwiseAnswer | null {
  if (!isRecord(value) || typeof value.winner !== "string") return null;
  return {
    winner: value.winner,
    strength: typeof value.strength === "number" ? value.strength : undefined,
    bothBad: typeof value.both_bad === "boolean" ? value.both_bad : undefined,
  };
}

export function readRanking(value: unknown): RankingAnswer | null {
  if (!isRecord(value) || !Array.isArray(value.order) || !value.order.every(isStringArray)) return null;
  return { order: value.order };
}

export function readRating(value: unknown): RatingAnswer | null {
  if (!isRecord(value)) return null;
  const scores = recordOf(value.scores, (entry): entry is Record<string, number> => recordOf(entry, isNumber) !== null);
  return scores ? { scores } : null;
}

export function readRubric(value: unknown): RubricAnswer | null {
  if (!isRecord(value)) return null;
  const criteria = recordOf(value.criteria, (entry): entry is Record<string, string> => recordOf(entry, isString) !== null);
  if (!criteria) return null;
  return { criteria, totals: recordOf(value.totals, isNumber) };
}

export function readLabels(value: unknown): LabelsAnswer | null {
  if (!isRecord(value)) return null;
  const labels = recordOf(value.labels, isStringArray);
  return labels ? { labels } : null;
}

export function readText(value: unknown): TextAnswer | null {
  return isRecord(value) && typeof value.text === "string" ? { text: value.text } : null;
}

/** An item's own rubric criteria (the API types the field as unknown). */
export function itemCriteria(rubric: unknown): ItemCriterion[] {
  if (!Array.isArray(rubric)) return [];
  return rubric.filter(
    (entry): entry is ItemCriterion =>
      isRecord(entry) && typeof entry.id === "string" && typeof entry.text === "string",
  );
}

/** The criteria a rubric question applies to an item: the project's, then the item's own if enabled. */
export function rubricCriteria(question: Extract<Question, { kind: "rubric" }>, fromItem: ItemCriterion[]): RubricCriterion[] {
  const criteria: RubricCriterion[] = [...(question.criteria ?? [])];
  if (question.item_criteria) {
    const taken = new Set(criteria.map((criterion) => criterion.id));
    for (const criterion of fromItem) {
      if (!taken.has(criterion.id)) {
        criteria.push({ ...criterion, points: criterion.points ?? 1 });
      }
    }
  }
  return criteria;
}

/** "A", "B", … "Z", "AA": how candidates are named in the order someone saw them. */
export function positionLetter(index: number): string {
  let n = index;
  let letters = "";
  do {
    letters = String.fromCharCode(65 + (n % 26)) + letters;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return letters;
}
