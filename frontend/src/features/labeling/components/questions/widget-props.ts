import type { CSSProperties } from "react";
import type { ItemContext, QuestionFocus } from "../../utils/answers";

export interface WidgetProps<Q, S> {
  question: Q;
  state: S;
  ctx: ItemContext;
  focus: QuestionFocus;
  /** Whether this question is the active one (its focused row is highlighted). */
  active: boolean;
  disabled: boolean;
  onChange: (state: S) => void;
  onRow: (row: number) => void;
}

/** Widget controls are reached by their shortcuts (and the mouse), not by Tab: Tab moves between questions. */
export const WIDGET_CONTROL = { tabIndex: -1 } as const;

export function rowStyle(focused: boolean): CSSProperties {
  return {
    borderRadius: "var(--mantine-radius-sm)",
    borderLeft: `3px solid ${focused ? "var(--mantine-primary-color-filled)" : "transparent"}`,
    background: focused ? "var(--mantine-color-default-hover)" : undefined,
    paddingInline: "var(--mantine-spacing-xs)",
    paddingBlock: 4,
  };
}
