import { answerTargets } from "../candidates";
import { arrowRow, digitOf, digitPosition, isRecord, isStringArray, recordOf } from "./guards";
import type { ItemContext, KindModel, LabelsQuestion, LabelsState } from "./types";

export function labelTargets(question: LabelsQuestion, ctx: ItemContext): string[] {
  return answerTargets(question.per, ctx.candidateIds);
}

/** Toggles one option for a target; with single choice, picking another option replaces the first. */
export function toggleLabel(question: LabelsQuestion, state: LabelsState, target: string, option: string): LabelsState {
  const current = state.labels[target] ?? [];
  let next: string[];
  if (current.includes(option)) {
    next = current.filter((label) => label !== option);
  } else if (question.multiple) {
    // Kept in the question's option order so equal answers look equal.
    next = question.options.filter((label) => label === option || current.includes(label));
  } else {
    next = [option];
  }
  return { ...state, labels: { ...state.labels, [target]: next }, touched: true };
}

function anyChosen(state: LabelsState): boolean {
  return Object.values(state.labels).some((chosen) => chosen.length > 0);
}

export const labelsModel: KindModel<LabelsQuestion, LabelsState> = {
  init: () => ({ kind: "labels", labels: {}, touched: false }),

  // "No label applies" is a valid answer, so a required labels question is always answerable;
  // an optional one counts as unanswered until something is chosen.
  status: (question, state) => (question.required || anyChosen(state) ? "complete" : "empty"),

  build(question, state, ctx) {
    return {
      labels: Object.fromEntries(labelTargets(question, ctx).map((target) => [target, state.labels[target] ?? []])),
    };
  },

  restore(question, saved, ctx) {
    if (!isRecord(saved) || saved.kind !== "labels" || typeof saved.touched !== "boolean") {
      return null;
    }
    const labels = recordOf(saved.labels, isStringArray);
    if (!labels) {
      return null;
    }
    const restored: Record<string, string[]> = {};
    for (const target of labelTargets(question, ctx)) {
      const chosen = (labels[target] ?? []).filter((label) => question.options.includes(label));
      restored[target] = question.multiple ? chosen : chosen.slice(0, 1);
    }
    return { kind: "labels", labels: restored, touched: saved.touched };
  },

  rows: (question, _state, ctx) => labelTargets(question, ctx).length,

  key(question, state, ctx, focus, input) {
    const targets = labelTargets(question, ctx);
    const row = arrowRow(input.key, focus.row, targets.length);
    if (row !== null) {
      return { state, focus: { ...focus, row } };
    }
    const target = targets[focus.row];
    if (target === undefined) {
      return null;
    }
    if (input.key === "Backspace" || input.key === "Delete") {
      return { state: { ...state, labels: { ...state.labels, [target]: [] }, touched: true }, focus };
    }
    const digit = digitOf(input.key);
    const option = digit === null ? undefined : question.options[digitPosition(digit)];
    if (option === undefined) {
      return null;
    }
    return { state: toggleLabel(question, state, target, option), focus };
  },
};
