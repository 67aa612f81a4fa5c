import type { Question } from "@/api/types";
import { labelsModel } from "./labels";
import { pairwiseModel } from "./pairwise";
import { rankingModel } from "./ranking";
import { ratingModel } from "./rating";
import { rubricModel } from "./rubric";
import { textModel } from "./text";
import type { AnswerState, AnswerStatus, ItemContext, KeyInput, KindModel, QuestionFocus } from "./types";

export type * from "./types";

/** One question with its state, behind a kind-independent interface. */
export interface BoundAnswer {
  state: AnswerState;
  status(): AnswerStatus;
  build(): unknown;
  rows(): number;
  key(focus: QuestionFocus, input: KeyInput): { state: AnswerState; focus: QuestionFocus } | null;
}

function bind<Q, S extends AnswerState>(model: KindModel<Q, S>, question: Q, state: S, ctx: ItemContext): BoundAnswer {
  return {
    state,
    status: () => model.status(question, state, ctx),
    build: () => model.build(question, state, ctx),
    rows: () => model.rows(question, state, ctx),
    key: (focus, input) => model.key(question, state, ctx, focus, input),
  };
}

/** Pairs a question with its state; a state of another kind (a changed project) starts over. */
export function bindAnswer(question: Question, state: AnswerState | undefined, ctx: ItemContext): BoundAnswer {
  switch (question.kind) {
    case "pairwise":
      return bind(pairwiseModel, question, state?.kind === "pairwise" ? state : pairwiseModel.init(question, ctx), ctx);
    case "ranking":
      return bind(rankingModel, question, state?.kind === "ranking" ? state : rankingModel.init(question, ctx), ctx);
    case "rating":
      return bind(ratingModel, question, state?.kind === "rating" ? state : ratingModel.init(question, ctx), ctx);
    case "rubric":
      return bind(rubricModel, question, state?.kind === "rubric" ? state : rubricModel.init(question, ctx), ctx);
    case "labels":
      return bind(labelsModel, question, state?.kind === "labels" ? state : labelsModel.init(question, ctx), ctx);
    case "text":
      return bind(textModel, question, state?.kind === "text" ? state : textModel.init(question, ctx), ctx);
  }
}

/** A saved state when it still fits the question and item, else a fresh one. */
export function restoreState(question: Question, saved: unknown, ctx: ItemContext): AnswerState {
  switch (question.kind) {
    case "pairwise":
      return pairwiseModel.restore(question, saved, ctx) ?? pairwiseModel.init(question, ctx);
    case "ranking":
      return rankingModel.restore(question, saved, ctx) ?? rankingModel.init(question, ctx);
    case "rating":
      return ratingModel.restore(question, saved, ctx) ?? ratingModel.init(question, ctx);
    case "rubric":
      return rubricModel.restore(question, saved, ctx) ?? rubricModel.init(question, ctx);
    case "labels":
      return labelsModel.restore(question, saved, ctx) ?? labelsModel.init(question, ctx);
    case "text":
      return textModel.restore(question, saved, ctx) ?? textModel.init(question, ctx);
  }
}

export function initialAnswers(questions: Question[], ctx: ItemContext): Record<string, AnswerState> {
  return Object.fromEntries(questions.map((question) => [question.id, bindAnswer(question, undefined, ctx).state]));
}

export function answerStatus(question: Question, state: AnswerState | undefined, ctx: ItemContext): AnswerStatus {
  return bindAnswer(question, state, ctx).status();
}

/**
 * Why a question holds up submitting, or null when it does not: a required question must be
 * complete; an optional one may be empty but not half done (the server would reject it).
 */
export function blockingReason(question: Question, state: AnswerState | undefined, ctx: ItemContext): string | null {
  const status = answerStatus(question, state, ctx);
  if (status === "complete" || (status === "empty" && !question.required)) {
    return null;
  }
  return status === "partial" ? "Finish or clear this answer." : "This question needs an answer.";
}

/** Indices of the questions that hold up submitting, in project order. */
export function blockingQuestions(
  questions: Question[],
  answers: Record<string, AnswerState>,
  ctx: ItemContext,
): number[] {
  return questions.flatMap((question, index) =>
    blockingReason(question, answers[question.id], ctx) === null ? [] : [index],
  );
}

/** The request body's `answers`: canonical values for every complete question; empty optional ones are left out. */
export function buildAnswers(
  questions: Question[],
  answers: Record<string, AnswerState>,
  ctx: ItemContext,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const question of questions) {
    const bound = bindAnswer(question, answers[question.id], ctx);
    if (bound.status() === "complete") {
      out[question.id] = bound.build();
    }
  }
  return out;
}
