import { isRecord } from "@/api/client";

/**
 * Flattens a DRF error value (strings, lists, nested objects keyed by field or
 * list index) into readable lines such as "Question 2 › kind: Not a valid choice.".
 */
export function flattenErrors(value: unknown, indexLabel = (index: number) => `Item ${index + 1}`): string[] {
  const lines: string[] = [];

  const visit = (node: unknown, path: string[]) => {
    if (typeof node === "string") {
      lines.push(path.length ? `${path.join(" › ")}: ${node}` : node);
    } else if (Array.isArray(node)) {
      node.forEach((item, index) => {
        // Lists of strings are messages for the same field; lists of objects are per-item errors.
        visit(item, typeof item === "string" ? path : [...path, indexLabel(index)]);
      });
    } else if (isRecord(node)) {
      for (const [key, child] of Object.entries(node)) {
        visit(child, [...path, /^\d+$/.test(key) ? indexLabel(Number(key)) : key]);
      }
    }
  };

  visit(value, []);
  return lines;
}

export interface SplitErrors<F extends string> {
  fields: Partial<Record<F, string>>;
  other: string[];
}

/** Splits a DRF 400 body into messages for known form fields and everything else. */
export function splitFieldErrors<F extends string>(
  body: unknown,
  fields: readonly F[],
  indexLabel?: (index: number) => string,
): SplitErrors<F> {
  const result: SplitErrors<F> = { fields: {}, other: [] };
  if (!isRecord(body)) {
    return result;
  }
  const known = new Set<string>(fields);
  for (const [key, value] of Object.entries(body)) {
    const lines = flattenErrors(value, indexLabel);
    if (known.has(key)) {
      result.fields[key as F] = lines.join("\n");
    } else if (key === "detail" || key === "non_field_errors") {
      result.other.push(...lines);
    } else {
      result.other.push(...lines.map((line) => `${key}: ${line}`));
    }
  }
  return result;
}
