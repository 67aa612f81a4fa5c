import type { JudgeRun, JudgeRunStatus } from "@/api/types";

export const RUN_STATUS_COLORS: Record<JudgeRunStatus, string> = {
  queued: "gray",
  running: "blue",
  done: "teal",
  failed: "red",
  cancelled: "yellow",
};

/** Queued and running runs can still be cancelled. */
export function isActive(status: JudgeRunStatus): boolean {
  return status === "queued" || status === "running";
}

/** Items handled (done or failed) out of the run's total, and that share in percent. */
export function runProgress(run: Pick<JudgeRun, "done_items" | "failed_items" | "total_items">) {
  const handled = run.done_items + run.failed_items;
  const percent = run.total_items > 0 ? Math.min(100, (handled / run.total_items) * 100) : 100;
  return { handled, total: run.total_items, percent };
}

export function formatRate(itemsPerS: number | null): string {
  if (itemsPerS === null) return "—";
  const digits = itemsPerS >= 10 ? 0 : itemsPerS >= 1 ? 1 : 2;
  return `${itemsPerS.toFixed(digits)} items/s`;
}

/** Seconds left as "42 s", "3 min 5 s" or "2 h 7 min". */
export function formatEta(seconds: number | null): string {
  if (seconds === null) return "—";
  const total = Math.max(0, Math.round(seconds));
  if (total < 60) return `${total} s`;
  const minutes = Math.floor(total / 60);
  if (minutes < 60) return `${minutes} min ${total % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
