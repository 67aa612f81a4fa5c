import { isRecord } from "./guards";
import type { KindModel, TextQuestion, TextState } from "./types";

export const textModel: KindModel<TextQuestion, TextState> = {
  init: () => ({ kind: "text", text: "" }),

  status(question, state) {
    if (!state.text.trim()) {
      return "empty";
    }
    return state.text.length > question.max_length ? "partial" : "complete";
  },

  build: (_question, state) => ({ text: state.text }),

  restore(_question, saved) {
    if (!isRecord(saved) || saved.kind !== "text" || typeof saved.text !== "string") {
      return null;
    }
    return { kind: "text", text: saved.text };
  },

  rows: () => 1,

  // The textarea owns its keys; nothing to do while it is not focused.
  key: () => null,
};
