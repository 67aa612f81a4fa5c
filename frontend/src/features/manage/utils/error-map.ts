import { isRecord } from "@/api/client";

/**
 * Messages keyed by a dotted path into the questions array: `""` for the list
 * itself, `"1"` for the second question, `"1.dimensions.0.max"` for a field.
 * Client validation and server errors use the same keys so both land on the
 * same input.
 */
export type ErrorMap = Record<string, string[]>;

export function joinPath(...parts: (string | number)[]): string {
  return parts.filter((part) => part !== "").join(".");
}

export function addError(errors: ErrorMap, path: string, message: string) {
  const list = (errors[path] ??= []);
  if (!list.includes(message)) {
    list.push(message);
  }
}

/** One string for an input's `error` prop (the theme shows one line per message), or undefined. */
export function errorAt(errors: ErrorMap, path: string): string | undefined {
  const messages = errors[path];
  return messages?.length ? messages.join("\n") : undefined;
}

/**
 * Turns a DRF error value for `questions` into an ErrorMap: nested objects
 * keyed by index or field become path segments, `non_field_errors` belongs to
 * the object that holds it.
 */
export function errorMapFromServer(value: unknown): ErrorMap {
  const errors: ErrorMap = {};
  const visit = (node: unknown, path: string) => {
    if (typeof node === "string") {
      addError(errors, path, node);
    } else if (Array.isArray(node)) {
      node.forEach((child, index) => visit(child, typeof child === "string" ? path : joinPath(path, index)));
    } else if (isRecord(node)) {
      for (const [key, child] of Object.entries(node)) {
        visit(child, key === "non_field_errors" ? path : joinPath(path, key));
      }
    }
  };
  visit(value, "");
  return errors;
}

export function mergeErrors(...maps: ErrorMap[]): ErrorMap {
  const merged: ErrorMap = {};
  for (const map of maps) {
    for (const [path, messages] of Object.entries(map)) {
      messages.forEach((message) => addError(merged, path, message));
    }
  }
  return merged;
}

export function hasErrors(errors: ErrorMap): boolean {
  return Object.values(errors).some((messages) => messages.length > 0);
}

/** The messages under `prefix` (itself included), with paths relative to it. */
export function errorsUnder(errors: ErrorMap, prefix: string): ErrorMap {
  const result: ErrorMap = {};
  for (const [path, messages] of Object.entries(errors)) {
    if (path === prefix) {
      result[""] = messages;
    } else if (path.startsWith(`${prefix}.`)) {
      result[path.slice(prefix.length + 1)] = messages;
    }
  }
  return result;
}
