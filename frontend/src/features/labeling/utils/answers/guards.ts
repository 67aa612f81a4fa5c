import { isRecord } from "@/api/client";

/** Narrowing helpers for data read back from storage, which may be stale or hand-edited. */

export function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((entry) => typeof entry === "string");
}

export function recordOf<T>(value: unknown, check: (entry: unknown) => entry is T): Record<string, T> | null {
  if (!isRecord(value)) {
    return null;
  }
  const out: Record<string, T> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (!check(entry)) {
      return null;
    }
    out[key] = entry;
  }
  return out;
}

export function isFiniteNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

export function isString(value: unknown): value is string {
  return typeof value === "string";
}

export { isRecord };

/** Digit keys as numbers ("1" → 1, "0" → 0), else null. */
export function digitOf(key: string): number | null {
  return /^[0-9]$/.test(key) ? Number(key) : null;
}

/** Digit to a 0-based position: 1 → 0, …, 9 → 8, 0 → 9 (the tenth). */
export function digitPosition(digit: number): number {
  return digit === 0 ? 9 : digit - 1;
}

export function clampRow(row: number, count: number): number {
  return Math.max(0, Math.min(row, Math.max(0, count - 1)));
}

/** Up/Down within `count` rows; null for other keys. */
export function arrowRow(key: string, row: number, count: number): number | null {
  if (key === "ArrowDown") {
    return clampRow(row + 1, count);
  }
  if (key === "ArrowUp") {
    return clampRow(row - 1, count);
  }
  return null;
}
