import { arrowRow, isRecord, isStringArray } from "./guards";
import type { KindModel, RankingQuestion, RankingState } from "./types";

/** Where a candidate sits: its group and its place in the flattened list. */
function locate(groups: string[][], id: string): { group: number; flat: number } | null {
  let flat = 0;
  for (const [group, members] of groups.entries()) {
    const inGroup = members.indexOf(id);
    if (inGroup >= 0) {
      return { group, flat: flat + inGroup };
    }
    flat += members.length;
  }
  return null;
}

export function flatOrder(groups: string[][]): string[] {
  return groups.flat();
}

/** 1-based rank of each group, shared by tied members (competition ranking: 1, 1, 3). */
export function ranksOf(groups: string[][]): Map<string, number> {
  const ranks = new Map<string, number>();
  let rank = 1;
  for (const members of groups) {
    members.forEach((id) => ranks.set(id, rank));
    rank += members.length;
  }
  return ranks;
}

function without(groups: string[][], group: number, id: string): string[][] {
  return groups.map((members, index) => (index === group ? members.filter((m) => m !== id) : members));
}

/**
 * Moves a candidate one step: out of its tie first (just below or above its partners), then
 * past the whole neighbouring group. Returns the new groups and the candidate's new flat index.
 */
export function moveCandidate(
  groups: string[][],
  id: string,
  direction: -1 | 1,
): { groups: string[][]; index: number } {
  const at = locate(groups, id);
  if (!at) {
    return { groups, index: 0 };
  }
  const members = groups[at.group] ?? [];
  let next: string[][];
  if (members.length > 1) {
    next = without(groups, at.group, id);
    next.splice(direction === 1 ? at.group + 1 : at.group, 0, [id]);
  } else {
    const other = at.group + direction;
    if (other < 0 || other >= groups.length) {
      return { groups, index: at.flat };
    }
    next = [...groups];
    next[at.group] = groups[other] ?? [];
    next[other] = members;
  }
  return { groups: next, index: locate(next, id)?.flat ?? 0 };
}

/** Ties a candidate with the group above it, or unties it when it is already tied with the one above. */
export function toggleTieAbove(groups: string[][], id: string): { groups: string[][]; index: number } {
  const at = locate(groups, id);
  if (!at) {
    return { groups, index: 0 };
  }
  const members = groups[at.group] ?? [];
  let next: string[][];
  if (members.indexOf(id) > 0) {
    next = without(groups, at.group, id);
    next.splice(at.group + 1, 0, [id]);
  } else if (at.group > 0) {
    next = without(groups, at.group, id).map((group, index) => (index === at.group - 1 ? [...group, id] : group));
  } else {
    return { groups, index: at.flat };
  }
  next = next.filter((group) => group.length > 0);
  return { groups: next, index: locate(next, id)?.flat ?? 0 };
}

export const rankingModel: KindModel<RankingQuestion, RankingState> = {
  init: (_question, ctx) => ({ kind: "ranking", groups: ctx.candidateIds.map((id) => [id]), touched: false }),

  status: (_question, state) => (state.touched ? "complete" : "empty"),

  build: (_question, state) => ({ order: state.groups.map((group) => [...group]) }),

  restore(question, saved, ctx) {
    if (!isRecord(saved) || saved.kind !== "ranking" || typeof saved.touched !== "boolean") {
      return null;
    }
    const groups = saved.groups;
    if (!Array.isArray(groups) || !groups.every((group) => isStringArray(group) && group.length > 0)) {
      return null;
    }
    const typed = groups as string[][];
    const flat = typed.flat();
    const sameSet = flat.length === ctx.candidateIds.length && ctx.candidateIds.every((id) => flat.includes(id));
    if (!sameSet || (!question.ties && typed.some((group) => group.length > 1))) {
      return null;
    }
    return { kind: "ranking", groups: typed, touched: saved.touched };
  },

  rows: (_question, state) => flatOrder(state.groups).length,

  key(question, state, ctx, focus, input) {
    const order = flatOrder(state.groups);
    const focused = order[focus.row];
    if (input.key === "ArrowUp" || input.key === "ArrowDown") {
      if (focus.picked && focused !== undefined) {
        const moved = moveCandidate(state.groups, focused, input.key === "ArrowUp" ? -1 : 1);
        return { state: { ...state, groups: moved.groups, touched: true }, focus: { row: moved.index, picked: true } };
      }
      return { state, focus: { ...focus, row: arrowRow(input.key, focus.row, order.length) ?? focus.row } };
    }
    if (input.key === " ") {
      return { state: { ...state, touched: true }, focus: { ...focus, picked: !focus.picked } };
    }
    if (input.key === "t" && question.ties && focused !== undefined) {
      const tied = toggleTieAbove(state.groups, focused);
      return { state: { ...state, groups: tied.groups, touched: true }, focus: { ...focus, row: tied.index } };
    }
    if (input.key === "Escape" && focus.picked) {
      return { state, focus: { ...focus, picked: false } };
    }
    if (input.key === "c") {
      return { state: { ...state, touched: true }, focus };
    }
    if (input.key === "Backspace" || input.key === "Delete") {
      return { state: rankingModel.init(question, ctx), focus: { row: 0, picked: false } };
    }
    return null;
  },
};
