import { isRecord } from "@/api/client";
import type { ImportError } from "@/api/types";

/** The row errors of a failed import, or null when the body is not an `{errors: [...]}` report. */
export function importErrorsFrom(body: unknown): ImportError[] | null {
  if (!isRecord(body) || !Array.isArray(body.errors)) {
    return null;
  }
  return body.errors.filter(isRecord).map((entry) => ({
    line: typeof entry.line === "number" ? entry.line : 0,
    field: typeof entry.field === "string" ? entry.field : null,
    message: typeof entry.message === "string" ? entry.message : JSON.stringify(entry.message),
    file: typeof entry.file === "string" ? entry.file : "",
  }));
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
