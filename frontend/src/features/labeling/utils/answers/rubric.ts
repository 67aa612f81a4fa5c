import type { RubricCriterion } from "@/api/types";
import { arrowRow, digitOf, digitPosition, isRecord, isString, recordOf } from "./guards";
import type { ItemContext, KindModel, RubricQuestion, RubricState } from "./types";

export const DEFAULT_LEVELS = ["fail", "pass"];

/** The project's criteria, then the item's own when enabled (skipping ids the project already has). */
export function rubricCriteria(question: RubricQuestion, ctx: ItemContext): RubricCriterion[] {
  const criteria = [...(question.criteria ?? [])];
  if (question.item_criteria) {
    const taken = new Set(criteria.map((criterion) => criterion.id));
    for (const criterion of ctx.itemRubric) {
      if (!taken.has(criterion.id)) {
        criteria.push(criterion);
        taken.add(criterion.id);
      }
    }
  }
  return criteria;
}

export function criterionLevels(criterion: Pick<RubricCriterion, "levels">): string[] {
  return criterion.levels && criterion.levels.length > 0 ? criterion.levels : DEFAULT_LEVELS;
}

export interface RubricRow {
  candidate: string;
  criterion: RubricCriterion;
}

/** Rows in display order: each shown candidate, each criterion. */
export function rubricRows(question: RubricQuestion, ctx: ItemContext): RubricRow[] {
  const criteria = rubricCriteria(question, ctx);
  return ctx.candidateIds.flatMap((candidate) => criteria.map((criterion) => ({ candidate, criterion })));
}

export function setLevel(state: RubricState, candidate: string, criterion: string, level: string | null): RubricState {
  const current = { ...state.levels[candidate] };
  if (level === null) {
    delete current[criterion];
  } else {
    current[criterion] = level;
  }
  return { ...state, levels: { ...state.levels, [candidate]: current } };
}

/** Points a candidate earns so far: each criterion scales linearly from 0 (worst level) to its points. */
export function rubricTotal(question: RubricQuestion, state: RubricState, ctx: ItemContext, candidate: string): number {
  return rubricCriteria(question, ctx).reduce((total, criterion) => {
    const levels = criterionLevels(criterion);
    const index = levels.indexOf(state.levels[candidate]?.[criterion.id] ?? "");
    return index < 0 || levels.length < 2 ? total : total + (criterion.points * index) / (levels.length - 1);
  }, 0);
}

function given(state: RubricState, row: RubricRow): string | undefined {
  const level = state.levels[row.candidate]?.[row.criterion.id];
  return level !== undefined && criterionLevels(row.criterion).includes(level) ? level : undefined;
}

export const rubricModel: KindModel<RubricQuestion, RubricState> = {
  init: () => ({ kind: "rubric", levels: {} }),

  status(question, state, ctx) {
    const rows = rubricRows(question, ctx);
    const count = rows.filter((row) => given(state, row) !== undefined).length;
    if (count === 0) {
      return rows.length === 0 ? "complete" : "empty";
    }
    return count === rows.length ? "complete" : "partial";
  },

  build(question, state, ctx) {
    const criteria: Record<string, Record<string, string>> = Object.fromEntries(
      ctx.candidateIds.map((candidate) => [candidate, {}]),
    );
    for (const row of rubricRows(question, ctx)) {
      const level = given(state, row);
      if (level !== undefined) {
        criteria[row.candidate] = { ...criteria[row.candidate], [row.criterion.id]: level };
      }
    }
    return { criteria };
  },

  restore(question, saved, ctx) {
    if (!isRecord(saved) || saved.kind !== "rubric") {
      return null;
    }
    const isLevels = (entry: unknown): entry is Record<string, string> => recordOf(entry, isString) !== null;
    const levels = recordOf(saved.levels, isLevels);
    if (!levels) {
      return null;
    }
    let state: RubricState = { kind: "rubric", levels: {} };
    for (const row of rubricRows(question, ctx)) {
      const level = levels[row.candidate]?.[row.criterion.id];
      if (level !== undefined && criterionLevels(row.criterion).includes(level)) {
        state = setLevel(state, row.candidate, row.criterion.id, level);
      }
    }
    return state;
  },

  rows: (question, _state, ctx) => rubricRows(question, ctx).length,

  key(question, state, ctx, focus, input) {
    const rows = rubricRows(question, ctx);
    const row = arrowRow(input.key, focus.row, rows.length);
    if (row !== null) {
      return { state, focus: { ...focus, row } };
    }
    const current = rows[focus.row];
    if (!current) {
      return null;
    }
    if (input.key === "Backspace" || input.key === "Delete") {
      return { state: setLevel(state, current.candidate, current.criterion.id, null), focus };
    }
    const digit = digitOf(input.key);
    const level = digit === null ? undefined : criterionLevels(current.criterion)[digitPosition(digit)];
    if (level === undefined) {
      return null;
    }
    return { state: setLevel(state, current.candidate, current.criterion.id, level), focus };
  },
};
