/**
 * Judges' verdicts as one readable line. A verdict has the same canonical shape as a person's
 * answer (keyed by canonical candidate ids); the caller says how to name each candidate, e.g.
 * "a (model-x)" in the item browser or "A" on the labeling screen.
 */
import type { ItemCriterion, Question } from "@/api/types";
import { readPairwise, readRanking, readRating, readRubric, rubricCriteria } from "@/features/items/utils/answers";

export interface VerdictNaming {
  /** How to name a candidate (or "item" for per-item targets). */
  name: (key: string) => string;
  /** Candidate ids in the order to list them; other targets follow. */
  order?: readonly string[];
  /** The item's own rubric criteria, for rubric questions that use them. */
  itemRubric?: ItemCriterion[];
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2).replace(/\.?0+$/, "");
}

function ordered(keys: string[], order: readonly string[] = []): string[] {
  return [...order.filter((key) => keys.includes(key)), ...keys.filter((key) => !order.includes(key))];
}

/** "82%", or null when there is no probability. */
export function formatProbability(probability: number | null | undefined): string | null {
  return probability === null || probability === undefined ? null : `${Math.round(probability * 100)}%`;
}

/**
 * The verdict in words: "A is better", "Tie", "B > A = C", "A: Helpfulness 4/5; B: …",
 * "A: Cites a source pass (2/2 pt)". Null when the value doesn't fit the question's kind, so
 * the caller can show the raw JSON instead.
 */
export function describeVerdict(question: Question | undefined, value: unknown, naming: VerdictNaming): string | null {
  const { name, order } = naming;
  switch (question?.kind) {
    case "pairwise": {
      const answer = readPairwise(value);
      if (!answer) return null;
      return answer.winner === "tie" ? "Tie" : `${name(answer.winner)} is better`;
    }
    case "ranking": {
      const answer = readRanking(value);
      if (!answer) return null;
      return answer.order.map((group) => group.map(name).join(" = ")).join(" > ");
    }
    case "rating": {
      const answer = readRating(value);
      if (!answer) return null;
      return ordered(Object.keys(answer.scores), order)
        .map((target) => {
          const scores = answer.scores[target] ?? {};
          const parts = question.dimensions
            .filter((dimension) => scores[dimension.id] !== undefined)
            .map((dimension) => {
              const score = scores[dimension.id] ?? 0;
              return `${dimension.label || dimension.id} ${formatNumber(score)}/${formatNumber(dimension.max)}`;
            });
          return `${name(target)}: ${parts.join(", ")}`;
        })
        .join("; ");
    }
    case "rubric": {
      const answer = readRubric(value);
      if (!answer) return null;
      const criteria = rubricCriteria(question, naming.itemRubric ?? []);
      const maxTotal = criteria.reduce((total, criterion) => total + (criterion.points ?? 1), 0);
      return ordered(Object.keys(answer.criteria), order)
        .map((target) => {
          const levels = answer.criteria[target] ?? {};
          const parts = criteria
            .filter((criterion) => levels[criterion.id] !== undefined)
            .map((criterion) => `${criterion.text || criterion.id} ${levels[criterion.id]}`);
          const total = answer.totals?.[target];
          const points = total === undefined ? "" : ` (${formatNumber(total)}/${formatNumber(maxTotal)} pt)`;
          return `${name(target)}: ${parts.join(", ")}${points}`;
        })
        .join("; ");
    }
    default:
      return null;
  }
}
