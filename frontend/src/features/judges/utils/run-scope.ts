import { isRecord } from "@/api/client";
import type { RunStartRequest } from "@/api/types";
import type { ItemFilters } from "@/features/items/utils/filters";

export type ScopeChoice = "all" | "unlabeled" | "filter";

export interface ScopeValues {
  choice: ScopeChoice;
  status: "any" | "open" | "done";
  /** Source model of the candidates, as in the item browser's filter. */
  model: string;
}

export const DEFAULT_SCOPE: ScopeValues = { choice: "all", status: "any", model: "" };

/** The request body for starting a run, or why it can't be sent yet. */
export function runStartBody(values: ScopeValues): { body: RunStartRequest } | { problem: string } {
  if (values.choice !== "filter") {
    return { body: { scope: { kind: values.choice } } };
  }
  const filter: ItemFilters = {};
  if (values.status !== "any") filter.status = values.status;
  const model = values.model.trim();
  if (model) filter.model = model;
  if (Object.keys(filter).length === 0) {
    return { problem: "Choose a status or a source model to filter by." };
  }
  return { body: { scope: { kind: "filter", filter } } };
}

const FILTER_NAMES: Record<string, string> = {
  status: "status",
  gold: "gold",
  min_annotations: "at least annotations",
  max_annotations: "at most annotations",
  model: "model",
  external_id: "external id",
};

/** A run's scope in a few words, e.g. "Unlabeled items" or "Items with status open, model x". */
export function describeScope(scope: unknown): string {
  if (!isRecord(scope) || scope.kind === "all" || scope.kind === undefined) return "All items";
  if (scope.kind === "unlabeled") return "Unlabeled items";
  if (scope.kind === "filter" && isRecord(scope.filter)) {
    const parts = Object.entries(scope.filter).map(([key, value]) => `${FILTER_NAMES[key] ?? key} ${String(value)}`);
    return parts.length ? `Items with ${parts.join(", ")}` : "All items";
  }
  return JSON.stringify(scope);
}
