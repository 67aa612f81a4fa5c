/** Display names for candidates and answer targets; ids stay canonical, letters are only for people. */

/** "A", "B", … by display position (numbers past "Z"). */
export function responseLetter(index: number): string {
  return index < 26 ? String.fromCharCode(65 + index) : String(index + 1);
}

/** "Response A", "Response B", … by display position. */
export function responseLabel(index: number): string {
  return `Response ${responseLetter(index)}`;
}

export const ITEM_TARGET = "item";

/** The keys an answer is given for: every shown candidate, or the item as a whole. */
export function answerTargets(per: "candidate" | "item", candidateIds: readonly string[]): string[] {
  return per === "item" ? [ITEM_TARGET] : [...candidateIds];
}

/** A person-facing name for a target key ("Response B", or "Item"). */
export function targetLabel(target: string, candidateIds: readonly string[]): string {
  const index = candidateIds.indexOf(target);
  if (index >= 0) {
    return responseLabel(index);
  }
  return target === ITEM_TARGET ? "Item" : target;
}
