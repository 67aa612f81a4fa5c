import { diffWords } from "diff";

export interface DiffPart {
  text: string;
  /** "same" in both texts, or only in the left ("removed") or right ("added") one. */
  change: "same" | "removed" | "added";
}

/** Word-level differences from `left` to `right`, or null when the texts are too far apart to compare quickly. */
export function wordDiff(left: string, right: string, timeoutMs = 400): DiffPart[] | null {
  const changes = diffWords(left, right, { timeout: timeoutMs });
  if (!changes) {
    return null;
  }
  return changes.map((change) => ({
    text: change.value,
    change: change.added ? "added" : change.removed ? "removed" : "same",
  }));
}

/** The parts one side shows: the left text keeps its removals, the right text its additions. */
export function sideOf(parts: DiffPart[], side: "left" | "right"): DiffPart[] {
  const hidden = side === "left" ? "added" : "removed";
  return parts.filter((part) => part.change !== hidden);
}
