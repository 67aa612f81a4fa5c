import { isRecord } from "@/api/client";
import type { AssignmentStrategy, Judge } from "@/api/types";
import type { ActiveLearning } from "../types";

/** How long the page polls while a training runs or an asked-for refresh has not landed. */
export const POLL_MS = 5_000;
/** A refresh that hasn't landed by then (no worker, say) stops being waited for. */
export const AWAIT_REFRESH_MS = 120_000;

/** A priority refresh this page asked for: the queue's time before it, and when it was asked. */
export interface AwaitedRefresh {
  refreshedAt: string | null;
  askedAt: number;
}

/**
 * The query's refetch interval: every few seconds while a training is queued or running, or
 * while a refresh asked for here has not changed `refreshed_at` yet; otherwise live events say
 * when to refetch.
 */
export function pollInterval(data: ActiveLearning | undefined, awaiting: AwaitedRefresh | null, now: number): number | false {
  if (!data) return false;
  if (data.training) return POLL_MS;
  if (awaiting && data.refreshed_at === awaiting.refreshedAt && now - awaiting.askedAt < AWAIT_REFRESH_MS) return POLL_MS;
  return false;
}

const plural = (count: number, word: string) => `${count.toLocaleString("en-US")} ${word}${count === 1 ? "" : "s"}`;

/**
 * Human labels since the head was last trained. The server subtracts the labels the last version
 * saw from today's count, which goes below 0 when labels were withdrawn since; none are new then.
 */
export function labelsSinceTraining(active: ActiveLearning): number {
  return Math.max(0, active.labels_since_training);
}

/** When the head is next retrained: "Retraining…", "Retrains in 12 labels", … */
export function retrainStatus(active: ActiveLearning): string {
  if (active.training) return "Retraining…";
  if (active.head === null || active.head === undefined) return "No head to retrain";
  const every = active.retrain_every ?? 0;
  if (every <= 0) return "Retrains only when asked";
  const left = Math.max(0, every - labelsSinceTraining(active));
  return left === 0 ? "Retrains with the next label" : `Retrains in ${plural(left, "label")}`;
}

const ORDER_NAMES: Record<AssignmentStrategy, string> = {
  sequential: "sequential (import)",
  random: "random",
  priority: "item priority",
  active: "active-learning",
};

/** The assignment order as a phrase: "The project hands out items in <phrase> order". */
export function assignmentPhrase(assignment: AssignmentStrategy | undefined): string {
  return ORDER_NAMES[assignment ?? "sequential"];
}

/** The project's preference heads, the judges that can be chosen as the head. */
export function preferenceHeads(judges: readonly Judge[]): Judge[] {
  return judges.filter((judge) => judge.kind === "preference_head");
}

/** The fewest labeled pairs the head trains on, from its saved config; null when not known. */
export function minPairsOf(judge: Judge | undefined): number | null {
  const value = isRecord(judge?.config) ? judge.config.min_pairs : undefined;
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}
