import type { QuestionKind } from "@/api/types";
import type { ErrorMap } from "./error-map";

/** Paths (relative to a question) that some input shows; any other error is listed on the card. */
const SHOWN_PATHS: Record<QuestionKind, RegExp[]> = {
  pairwise: [/^(tie|both_bad|pairs|strength)$/, /^strength\.\d+$/],
  ranking: [/^ties$/],
  rating: [/^(per|dimensions)$/, /^dimensions\.\d+\.(id|label|min|max|step)$/, /^dimensions\.\d+\.labels(\..+)?$/],
  rubric: [/^(item_criteria|criteria)$/, /^criteria\.\d+\.(id|text|points|levels)$/, /^criteria\.\d+\.levels\.\d+$/],
  labels: [/^(per|multiple|options)$/, /^options\.\d+$/],
  text: [/^max_length$/],
};
const COMMON_PATHS = /^(id|prompt|required|help)$/;

function readablePath(path: string): string {
  return path
    .split(".")
    .map((part) => (/^\d+$/.test(part) ? `#${Number(part) + 1}` : part))
    .join(" › ");
}

/** Messages no input on the card shows: the question's own, and those for fields it has no input for. */
export function cardLevelErrors(kind: QuestionKind, errors: ErrorMap): string[] {
  const lines: string[] = [];
  for (const [path, messages] of Object.entries(errors)) {
    if (path === "") {
      lines.push(...messages);
    } else if (!COMMON_PATHS.test(path) && !(SHOWN_PATHS[kind] ?? []).some((pattern) => pattern.test(path))) {
      lines.push(...messages.map((message) => `${readablePath(path)}: ${message}`));
    }
  }
  return lines;
}
