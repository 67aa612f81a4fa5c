import type { SessionKey } from "./keyboard";

/** Marks question cards: Tab moves between questions only when focus is inside one. */
export const QUESTION_ATTR = "data-question";

/** Marks elements whose arrow keys scroll (candidate panels); the labeling keys leave those alone. */
export const SCROLL_REGION_ATTR = "data-scroll-region";

const SCROLL_KEYS = new Set(["ArrowUp", "ArrowDown", " ", "PageUp", "PageDown", "Home", "End"]);
const NON_TEXT_INPUTS = new Set(["checkbox", "radio", "button", "submit", "reset", "range", "color", "file"]);

function isTextField(element: Element): boolean {
  if (element instanceof HTMLTextAreaElement || element instanceof HTMLSelectElement) {
    return true;
  }
  if (element instanceof HTMLInputElement) {
    return !NON_TEXT_INPUTS.has(element.type);
  }
  return element instanceof HTMLElement && element.isContentEditable;
}

const CONTROLS = 'button, a[href], input, select, [role="button"], [role="checkbox"], [role="switch"]';

function isControl(element: Element): boolean {
  return element.closest(CONTROLS) !== null;
}

/**
 * Turns a browser key event into what the labeling reducer reads, or null when the page should
 * leave it alone: IME composition, Alt chords, held-down repeats of one-shot keys, keys inside a
 * dialog, Enter/Space on a focused control (which activate it), and scrolling keys in a panel.
 */
export function keyInputFromEvent(event: KeyboardEvent): SessionKey | null {
  if (event.defaultPrevented || event.isComposing || event.altKey) {
    return null;
  }
  const target = event.target instanceof Element ? event.target : null;
  if (target?.closest('[role="dialog"]')) {
    return null;
  }
  const isArrow = event.key === "ArrowUp" || event.key === "ArrowDown";
  if (event.repeat && !isArrow) {
    return null;
  }
  const inText = target !== null && isTextField(target);
  if (!inText && target && (event.key === "Enter" || event.key === " ") && isControl(target)) {
    return null;
  }
  if (!inText && SCROLL_KEYS.has(event.key) && target?.closest(`[${SCROLL_REGION_ATTR}]`)) {
    return null;
  }
  const inQuestion = target?.closest(`[${QUESTION_ATTR}]`) != null;
  const atRest = target === null || target === document.body || target === document.documentElement;
  return { key: event.key, shift: event.shiftKey, mod: event.ctrlKey || event.metaKey, inText, inQuestion, atRest };
}
