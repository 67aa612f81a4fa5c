import type {
  ItemCriterion,
  LabelsQuestion,
  PairwiseQuestion,
  RankingQuestion,
  RatingQuestion,
  RubricQuestion,
  TextQuestion,
} from "@/api/types";

/** What every answer depends on besides the question: the candidates shown, in display order. */
export interface ItemContext {
  candidateIds: string[];
  itemRubric: ItemCriterion[];
}

export interface PairwiseState {
  kind: "pairwise";
  winner: string | null;
  strength: number | null;
  bothBad: boolean;
}

export interface RankingState {
  kind: "ranking";
  /** Candidate ids, best group first; a group of several is a tie. */
  groups: string[][];
  /** The initial order is the display order; it only counts as an answer once the person acts on it. */
  touched: boolean;
}

export interface RatingState {
  kind: "rating";
  scores: Record<string, Record<string, number>>;
}

export interface RubricState {
  kind: "rubric";
  levels: Record<string, Record<string, string>>;
}

export interface LabelsState {
  kind: "labels";
  labels: Record<string, string[]>;
  touched: boolean;
}

export interface TextState {
  kind: "text";
  text: string;
}

export type AnswerState = PairwiseState | RankingState | RatingState | RubricState | LabelsState | TextState;

/** empty: nothing given; partial: started but not valid yet; complete: a valid canonical value exists. */
export type AnswerStatus = "empty" | "partial" | "complete";

/** A key press as the reducers see it, already filtered of editing contexts. */
export interface KeyInput {
  key: string;
  shift: boolean;
}

/** Where the keyboard is inside one question: a row (rating, rubric, labels, ranking) and a picked-up flag. */
export interface QuestionFocus {
  row: number;
  picked: boolean;
}

export interface KeyResult<S> {
  state: S;
  focus: QuestionFocus;
}

/** The behaviour of one question kind: pure functions over plain data. */
export interface KindModel<Q, S extends AnswerState> {
  init(question: Q, ctx: ItemContext): S;
  status(question: Q, state: S, ctx: ItemContext): AnswerStatus;
  /** The canonical value; only meaningful when `status` is "complete". */
  build(question: Q, state: S, ctx: ItemContext): unknown;
  /** Rebuilds a state from a saved draft, or null when it no longer fits the question or item. */
  restore(question: Q, saved: unknown, ctx: ItemContext): S | null;
  rows(question: Q, state: S, ctx: ItemContext): number;
  /** Handles a key for this question, or returns null when the key means nothing here. */
  key(question: Q, state: S, ctx: ItemContext, focus: QuestionFocus, input: KeyInput): KeyResult<S> | null;
}

export type {
  LabelsQuestion,
  PairwiseQuestion,
  RankingQuestion,
  RatingQuestion,
  RubricQuestion,
  TextQuestion,
};
