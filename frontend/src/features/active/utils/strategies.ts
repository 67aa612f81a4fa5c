/**
 * The acquisition strategies the server mixes into item priorities, in the server's order
 * (judges/acquisition.py), with what each one looks for.
 */

export const STRATEGY_NAMES = [
  "uncertainty",
  "judge_disagreement",
  "position_inconsistency",
  "human_disagreement",
  "diversity",
  "random",
] as const;

export type Strategy = (typeof STRATEGY_NAMES)[number];

export interface StrategyInfo {
  name: Strategy;
  label: string;
  description: string;
  /** A Mantine colour, the same in the mix, the queue's bars and its badges. */
  color: string;
}

export const STRATEGIES: readonly StrategyInfo[] = [
  {
    name: "uncertainty",
    label: "Uncertainty",
    description: "Pairs where the trained head's P(A ≻ B) is near ½: it can't tell which response people prefer.",
    color: "blue",
  },
  {
    name: "judge_disagreement",
    label: "Judge disagreement",
    description: "Items on which the project's judges give different verdicts.",
    color: "orange",
  },
  {
    name: "position_inconsistency",
    label: "Position inconsistency",
    description: "Items where a judge's verdict flips when the responses swap places.",
    color: "grape",
  },
  {
    name: "human_disagreement",
    label: "Human disagreement",
    description: "Items people disagree on: one more annotator is asked, up to the extra labels per item.",
    color: "teal",
  },
  {
    name: "diversity",
    label: "Diversity",
    description: "Items unlike anything labeled so far, measured over their embeddings.",
    color: "lime",
  },
  {
    name: "random",
    label: "Random",
    description: "Items at random, so the labels stay a fair sample of the project.",
    color: "gray",
  },
];

export function isStrategy(name: string): name is Strategy {
  return (STRATEGY_NAMES as readonly string[]).includes(name);
}

export function strategyInfo(name: string): StrategyInfo | undefined {
  return STRATEGIES.find((info) => info.name === name);
}

/** A weight as typed: a number, or the text of a number input ("" while empty). */
export type WeightValue = number | string;

/** The weight when it is a usable one (finite, not negative), else null. */
export function parseWeight(value: WeightValue | undefined): number | null {
  if (value === undefined) return null;
  const number = typeof value === "number" ? value : value.trim() === "" ? Number.NaN : Number(value);
  return Number.isFinite(number) && number >= 0 ? number : null;
}

/**
 * Each strategy's share of the mix (weight / sum of weights), as the server normalises it;
 * unusable weights count as 0. Null when no weight is above 0, which the server refuses.
 */
export function normalisedShares(weights: Partial<Record<string, WeightValue>>): Record<Strategy, number> | null {
  const parsed = STRATEGY_NAMES.map((name) => [name, parseWeight(weights[name]) ?? 0] as const);
  const total = parsed.reduce((sum, [, weight]) => sum + weight, 0);
  if (!(total > 0) || !Number.isFinite(total)) return null;
  return Object.fromEntries(parsed.map(([name, weight]) => [name, weight / total])) as Record<Strategy, number>;
}

/** A queue entry's contributions, largest first, without strategies that added nothing. */
export function contributions(scores: Record<string, number>): { name: string; value: number }[] {
  return Object.entries(scores)
    .filter(([, value]) => Number.isFinite(value) && value > 0)
    .map(([name, value]) => ({ name, value }))
    .sort((a, b) => b.value - a.value || orderOf(a.name) - orderOf(b.name));
}

function orderOf(name: string): number {
  const index = (STRATEGY_NAMES as readonly string[]).indexOf(name);
  return index === -1 ? STRATEGY_NAMES.length : index;
}
