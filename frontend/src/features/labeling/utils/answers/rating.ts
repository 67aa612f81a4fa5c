import type { RatingDimension } from "@/api/types";
import { answerTargets } from "../candidates";
import { arrowRow, digitOf, digitPosition, isFiniteNumber, isRecord, recordOf } from "./guards";
import type { ItemContext, KindModel, RatingQuestion, RatingState } from "./types";

/** Scales longer than this get a number field instead of buttons and digit keys. */
export const MAX_BUTTON_VALUES = 11;
const MAX_VALUES = 1000;

/** Every value on a dimension's scale, from min to max by step. */
export function scaleValues(dimension: RatingDimension): number[] {
  const { min, max, step } = dimension;
  if (!(step > 0) || max < min) {
    return [min];
  }
  const values: number[] = [];
  for (let index = 0; values.length < MAX_VALUES; index += 1) {
    // Multiplying keeps fractional steps exact enough (0.5 steps stay 0.5 steps).
    const value = Number((min + index * step).toFixed(10));
    if (value > max + 1e-9) {
      break;
    }
    values.push(value);
  }
  return values;
}

/** Scales of whole numbers within 0..10 are typed as themselves; others by position. */
function typedDirectly(values: number[]): boolean {
  return values.every((value) => Number.isInteger(value) && value >= 0 && value <= 10);
}

/**
 * The value a digit key picks: the digit itself on scales of whole numbers within 0..10 (0 means
 * 10 when the scale has no 0), else the n-th value (1 = first, 0 = tenth). Null when none.
 */
export function digitToValue(dimension: RatingDimension, digit: number): number | null {
  const values = scaleValues(dimension);
  if (values.length > MAX_BUTTON_VALUES) {
    return null;
  }
  if (typedDirectly(values)) {
    if (values.includes(digit)) {
      return digit;
    }
    return digit === 0 && values.includes(10) ? 10 : null;
  }
  return values[digitPosition(digit)] ?? null;
}

/** The key that picks each scale value (aligned with `scaleValues`), or null where no key does. */
export function valueKeys(dimension: RatingDimension): (string | null)[] {
  const values = scaleValues(dimension);
  return values.map((value) => {
    for (const digit of [1, 2, 3, 4, 5, 6, 7, 8, 9, 0]) {
      if (digitToValue(dimension, digit) === value) {
        return String(digit);
      }
    }
    return null;
  });
}

export interface RatingRow {
  target: string;
  dimension: RatingDimension;
}

/** Rows in display order: each target (candidate or item), each dimension. */
export function ratingRows(question: RatingQuestion, ctx: ItemContext): RatingRow[] {
  return answerTargets(question.per, ctx.candidateIds).flatMap((target) =>
    question.dimensions.map((dimension) => ({ target, dimension })),
  );
}

export function setScore(state: RatingState, target: string, dimension: string, value: number | null): RatingState {
  const current = { ...state.scores[target] };
  if (value === null) {
    delete current[dimension];
  } else {
    current[dimension] = value;
  }
  return { ...state, scores: { ...state.scores, [target]: current } };
}

function filled(question: RatingQuestion, state: RatingState, ctx: ItemContext): [number, number] {
  const rows = ratingRows(question, ctx);
  const given = rows.filter((row) => state.scores[row.target]?.[row.dimension.id] !== undefined).length;
  return [given, rows.length];
}

export const ratingModel: KindModel<RatingQuestion, RatingState> = {
  init: () => ({ kind: "rating", scores: {} }),

  status(question, state, ctx) {
    const [given, total] = filled(question, state, ctx);
    if (given === 0) {
      return "empty";
    }
    return given === total ? "complete" : "partial";
  },

  build(question, state, ctx) {
    const scores: Record<string, Record<string, number>> = {};
    for (const { target, dimension } of ratingRows(question, ctx)) {
      const value = state.scores[target]?.[dimension.id];
      if (value !== undefined) {
        scores[target] = { ...scores[target], [dimension.id]: value };
      }
    }
    return { scores };
  },

  restore(question, saved, ctx) {
    if (!isRecord(saved) || saved.kind !== "rating") {
      return null;
    }
    const isScores = (entry: unknown): entry is Record<string, number> => recordOf(entry, isFiniteNumber) !== null;
    const scores = recordOf(saved.scores, isScores);
    if (!scores) {
      return null;
    }
    let state: RatingState = { kind: "rating", scores: {} };
    for (const { target, dimension } of ratingRows(question, ctx)) {
      const value = scores[target]?.[dimension.id];
      if (value !== undefined && scaleValues(dimension).includes(value)) {
        state = setScore(state, target, dimension.id, value);
      }
    }
    return state;
  },

  rows: (question, _state, ctx) => ratingRows(question, ctx).length,

  key(question, state, ctx, focus, input) {
    const rows = ratingRows(question, ctx);
    const row = arrowRow(input.key, focus.row, rows.length);
    if (row !== null) {
      return { state, focus: { ...focus, row } };
    }
    const current = rows[focus.row];
    if (!current) {
      return null;
    }
    if (input.key === "Backspace" || input.key === "Delete") {
      return { state: setScore(state, current.target, current.dimension.id, null), focus };
    }
    const digit = digitOf(input.key);
    const value = digit === null ? null : digitToValue(current.dimension, digit);
    if (value === null) {
      return null;
    }
    return { state: setScore(state, current.target, current.dimension.id, value), focus };
  },
};
