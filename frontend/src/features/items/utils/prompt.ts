import type { Item } from "@/api/types";

/** The first line of a prompt (the last user turn of a chat), for tables. */
export function promptSummary(prompt: Item["prompt"]): string {
  const text =
    typeof prompt === "string"
      ? prompt
      : ([...prompt].reverse().find((turn) => turn.role === "user") ?? prompt.at(-1))?.content ?? "";
  return text.trim().split("\n")[0] ?? "";
}
