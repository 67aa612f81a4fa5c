import type { Question } from "@/api/types";
import { bindAnswer, type ItemContext, type KeyInput } from "./answers";
import { focusOf, moveActive, setAnswer, type Session } from "./session";

/** Side effects a key asks the screen for; the reducer itself stays pure. */
export type KeyCommand = "submit" | "skip" | "guidelines" | "help" | "diff" | "leave-text";

export interface SessionKey extends KeyInput {
  /** Ctrl or Cmd held. */
  mod: boolean;
  /** The key went to a text field, where typing must stay typing. */
  inText: boolean;
  /** Focus is inside a question card (Tab moves between questions only from there). */
  inQuestion?: boolean;
  /** Nothing has focus (page just loaded, or the next item just came): Tab enters the active question. */
  atRest?: boolean;
}

export interface KeyOutcome {
  session: Session;
  command: KeyCommand | null;
}

const GLOBAL: Record<string, KeyCommand> = { s: "skip", g: "guidelines", "?": "help", d: "diff" };

function navigate(session: Session, questions: Question[], input: SessionKey): Session | null {
  const tab = input.key === "Tab" && input.inQuestion === true;
  const forward = input.key === "j" || (tab && !input.shift);
  const backward = input.key === "k" || (tab && input.shift);
  if (!forward && !backward) {
    return null;
  }
  const target = session.active + (forward ? 1 : -1);
  if (target < 0 || target >= questions.length) {
    // Tab past either end leaves the questions the normal way; j/k simply stop.
    return input.key === "Tab" ? null : session;
  }
  return moveActive(session, questions, target);
}

/**
 * What a key press does on the labeling screen: the active question's own keys first, then
 * moving between questions and the screen-wide shortcuts. Returns null for keys it leaves alone,
 * so the browser's default (typing, scrolling, Tab past the last question) goes ahead.
 */
export function reduceKey(
  session: Session,
  questions: Question[],
  ctx: ItemContext,
  input: SessionKey,
): KeyOutcome | null {
  if (input.mod) {
    return input.key === "Enter" ? { session, command: "submit" } : null;
  }
  if (input.inText) {
    if (input.key === "Escape") {
      return { session, command: "leave-text" };
    }
    const moved = input.key === "Tab" ? navigate(session, questions, input) : null;
    return moved ? { session: moved, command: null } : null;
  }
  const question = questions[session.active];
  if (question) {
    const handled = bindAnswer(question, session.answers[question.id], ctx).key(
      focusOf(session, question.id),
      input,
    );
    if (handled) {
      const next = setAnswer(session, question.id, handled.state);
      return { session: { ...next, focus: { ...next.focus, [question.id]: handled.focus } }, command: null };
    }
  }
  const moved = navigate(session, questions, input);
  if (moved) {
    return { session: moved, command: null };
  }
  if (input.key === "Tab" && input.atRest && !input.shift && questions.length > 0) {
    return { session: { ...session, focusTick: session.focusTick + 1 }, command: null };
  }
  if (input.key === "Enter") {
    return { session, command: "submit" };
  }
  const command = GLOBAL[input.key];
  return command ? { session, command } : null;
}
