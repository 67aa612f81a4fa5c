import type { Question } from "@/api/types";
import { bindAnswer, type AnswerState, type ItemContext, type QuestionFocus } from "./answers";
import { clampRow } from "./answers/guards";

/** Everything the labeling screen tracks for one assignment, besides the clock. */
export interface Session {
  answers: Record<string, AnswerState>;
  /** Index of the active question. */
  active: number;
  focus: Record<string, QuestionFocus>;
  /** Bumped whenever the keyboard moves between questions, so the active one takes DOM focus. */
  focusTick: number;
}

export const NO_FOCUS: QuestionFocus = { row: 0, picked: false };

export function createSession(answers: Record<string, AnswerState>): Session {
  return { answers, active: 0, focus: {}, focusTick: 0 };
}

export function focusOf(session: Session, questionId: string): QuestionFocus {
  return session.focus[questionId] ?? NO_FOCUS;
}

export function setAnswer(session: Session, questionId: string, state: AnswerState): Session {
  return { ...session, answers: { ...session.answers, [questionId]: state } };
}

/** Makes a question active without moving DOM focus (a click or focus already inside it). */
export function activate(session: Session, index: number): Session {
  return index === session.active ? session : { ...session, active: index };
}

/** Moves to another question by the keyboard (j/k, Tab), putting down any picked-up ranking entry. */
export function moveActive(session: Session, questions: Question[], index: number): Session {
  const current = questions[session.active];
  const focus = { ...session.focus };
  if (current && focus[current.id]?.picked) {
    focus[current.id] = { ...focusOf(session, current.id), picked: false };
  }
  return { ...session, active: clampRow(index, questions.length), focus, focusTick: session.focusTick + 1 };
}

/** Activates a question and sets its row focus (kept inside its rows), e.g. on a click in a row. */
export function setRow(session: Session, questions: Question[], ctx: ItemContext, index: number, row: number): Session {
  const question = questions[index];
  if (!question) {
    return session;
  }
  const rows = bindAnswer(question, session.answers[question.id], ctx).rows();
  return {
    ...session,
    active: index,
    focus: { ...session.focus, [question.id]: { row: clampRow(row, rows), picked: false } },
  };
}
