import { digitOf, isFiniteNumber, isRecord, isString } from "./guards";
import type { KindModel, PairwiseQuestion, PairwiseState } from "./types";

/** Keys for the strength scale, weakest first (chosen to avoid the global shortcuts). */
export const STRENGTH_KEYS = ["q", "w", "e", "r", "t", "y", "u", "i", "o", "p"] as const;

export const TIE = "tie";

export function strengthLabels(question: PairwiseQuestion): string[] {
  return question.strength ?? [];
}

/** Choosing a tie drops any strength: a tie has none. */
export function chooseWinner(state: PairwiseState, winner: string | null): PairwiseState {
  return { ...state, winner, strength: winner === TIE ? null : state.strength };
}

export function chooseStrength(state: PairwiseState, strength: number | null): PairwiseState {
  if (state.winner === TIE) {
    return state;
  }
  return { ...state, strength: state.strength === strength ? null : strength };
}

export function toggleBothBad(state: PairwiseState): PairwiseState {
  return { ...state, bothBad: !state.bothBad };
}

export const pairwiseModel: KindModel<PairwiseQuestion, PairwiseState> = {
  init: () => ({ kind: "pairwise", winner: null, strength: null, bothBad: false }),

  status(_question, state) {
    if (state.winner !== null) {
      return "complete";
    }
    return state.bothBad || state.strength !== null ? "partial" : "empty";
  },

  build(question, state) {
    const value: { winner: string; strength?: number; both_bad?: boolean } = { winner: state.winner ?? TIE };
    if (state.strength !== null && state.winner !== TIE) {
      value.strength = state.strength;
    }
    if (question.both_bad) {
      value.both_bad = state.bothBad;
    }
    return value;
  },

  restore(question, saved, ctx) {
    if (!isRecord(saved) || saved.kind !== "pairwise") {
      return null;
    }
    const { winner, strength, bothBad } = saved;
    const winnerOk =
      winner === null || (isString(winner) && (ctx.candidateIds.includes(winner) || (winner === TIE && question.tie)));
    const strengthOk =
      strength === null ||
      (isFiniteNumber(strength) &&
        Number.isInteger(strength) &&
        strength >= 0 &&
        strength < strengthLabels(question).length);
    if (!winnerOk || !strengthOk || typeof bothBad !== "boolean") {
      return null;
    }
    return { kind: "pairwise", winner, strength, bothBad: bothBad && question.both_bad };
  },

  rows: () => 1,

  key(question, state, ctx, focus, input) {
    const [first, second] = ctx.candidateIds;
    if (first === undefined || second === undefined || ctx.candidateIds.length !== 2) {
      return null;
    }
    const digit = digitOf(input.key);
    if (digit === 1) {
      return { state: chooseWinner(state, first), focus };
    }
    if (digit === 2 && question.tie) {
      return { state: chooseWinner(state, TIE), focus };
    }
    if (digit === 3) {
      return { state: chooseWinner(state, second), focus };
    }
    if (input.key === "x" && question.both_bad) {
      return { state: toggleBothBad(state), focus };
    }
    if (input.key === "Backspace" || input.key === "Delete") {
      return { state: pairwiseModel.init(question, ctx), focus };
    }
    const strength = STRENGTH_KEYS.indexOf(input.key as (typeof STRENGTH_KEYS)[number]);
    if (strength >= 0 && strength < strengthLabels(question).length && state.winner !== TIE) {
      return { state: chooseStrength(state, strength), focus };
    }
    return null;
  },
};
