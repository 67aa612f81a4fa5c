/**
 * The strategy-mix form: its values from the saved settings, the PATCH body built from them, and
 * the server's 400 errors mapped back onto its inputs.
 */
import { isRecord } from "@/api/client";
import { flattenErrors } from "@/features/projects/utils/field-errors";
import type { ActiveLearning, ActiveLearningPatch } from "../types";
import { isStrategy, normalisedShares, parseWeight, STRATEGY_NAMES, type Strategy, type WeightValue } from "./strategies";

export interface MixFormValues {
  weights: Record<Strategy, WeightValue>;
  retrain_every: WeightValue;
  extra_labels: WeightValue;
}

/** The form's values for the saved settings; a strategy left out of the mix has weight 0. */
export function valuesFromSettings(active: ActiveLearning): MixFormValues {
  const saved = active.strategies ?? {};
  return {
    weights: Object.fromEntries(STRATEGY_NAMES.map((name) => [name, saved[name] ?? 0])) as Record<Strategy, number>,
    retrain_every: active.retrain_every ?? "",
    extra_labels: active.extra_labels ?? "",
  };
}

/** Form path of a strategy's weight input. */
export const weightPath = (name: Strategy) => `weights.${name}`;

/** Why the mix can't be saved as it is, for the form's own check before sending. */
export function mixProblem(values: MixFormValues): string | null {
  return normalisedShares(values.weights) ? null : "Give at least one strategy a weight above 0.";
}

function count(value: WeightValue): number | undefined {
  const parsed = parseWeight(value);
  return parsed === null ? undefined : parsed;
}

/**
 * The PATCH body: the strategies with a weight above 0 (a strategy left out weighs nothing),
 * and the counts; an empty count is left as it is on the server.
 */
export function mixRequest(values: MixFormValues): ActiveLearningPatch {
  const strategies: Record<string, number> = {};
  for (const name of STRATEGY_NAMES) {
    const weight = parseWeight(values.weights[name]);
    if (weight !== null && weight > 0) strategies[name] = weight;
  }
  const body: ActiveLearningPatch = { strategies };
  const retrainEvery = count(values.retrain_every);
  if (retrainEvery !== undefined) body.retrain_every = retrainEvery;
  const extraLabels = count(values.extra_labels);
  if (extraLabels !== undefined) body.extra_labels = extraLabels;
  return body;
}

export interface MixErrors {
  /** Messages by form path: "weights.uncertainty", "retrain_every", "strategies" (the whole mix), … */
  fields: Record<string, string>;
  /** Everything that has no input of its own. */
  other: string[];
}

const FIELDS = new Set(["head", "retrain_every", "extra_labels", "seed"]);
// The server names the strategy a weight message is about: "weight of 'random' must not be negative, …".
const NAMED_WEIGHT = /^weight of '(\w+)'/;

function add(errors: MixErrors, path: string, lines: string[]) {
  if (!lines.length) return;
  const previous = errors.fields[path];
  errors.fields[path] = [...(previous ? [previous] : []), ...lines].join("\n");
}

/**
 * Splits a 400 body from saving the settings: a strategy's messages go under its weight (the
 * serializer keys them by strategy; the service names it in the message), other mix messages
 * under the mix as a whole, and the counts' under their inputs.
 */
export function mixErrors(body: unknown): MixErrors {
  const errors: MixErrors = { fields: {}, other: [] };
  if (!isRecord(body)) return errors;
  for (const [key, value] of Object.entries(body)) {
    if (FIELDS.has(key)) {
      add(errors, key, flattenErrors(value));
    } else if (key === "strategies") {
      if (isRecord(value)) {
        for (const [name, messages] of Object.entries(value)) {
          const lines = flattenErrors(messages);
          if (isStrategy(name)) add(errors, weightPath(name), lines);
          else add(errors, "strategies", lines.map((line) => `${name}: ${line}`));
        }
      } else {
        for (const line of flattenErrors(value)) {
          const name = NAMED_WEIGHT.exec(line)?.[1];
          add(errors, name && isStrategy(name) ? weightPath(name) : "strategies", [line]);
        }
      }
    } else if (key === "detail" || key === "non_field_errors") {
      errors.other.push(...flattenErrors(value));
    } else {
      errors.other.push(...flattenErrors(value).map((line) => `${key}: ${line}`));
    }
  }
  return errors;
}
