import type { QueryClient } from "@tanstack/react-query";
import { isRecord } from "@/api/client";
import { exportKeys } from "../api/keys";
import type { Export, ExportStatus } from "../types";
import { changeCachedExport } from "./export-cache";

/** The data of an `export.progress` event: the counters of a snapshot being built. */
export type ExportProgress = Pick<Export, "status" | "items_total" | "items_done" | "rows" | "error"> & {
  export: number;
};

const STATUSES: readonly ExportStatus[] = ["queued", "running", "done", "failed"];

const isCount = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value) && value >= 0;

export function isFinished(status: ExportStatus): boolean {
  return status === "done" || status === "failed";
}

/** The event's data when it has the documented shape, else null (the event is ignored). */
export function parseExportProgress(data: unknown): ExportProgress | null {
  if (!isRecord(data)) return null;
  const { export: id, status, items_total, items_done, rows, error } = data;
  if (
    !isCount(id) ||
    typeof status !== "string" ||
    !STATUSES.includes(status as ExportStatus) ||
    !isCount(items_total) ||
    !isCount(items_done) ||
    !isCount(rows) ||
    typeof error !== "string"
  ) {
    return null;
  }
  return { export: id, status: status as ExportStatus, items_total, items_done, rows, error };
}

/**
 * Writes an export's progress into the cached list, so its bar moves without a request per
 * event. The event lacks what a successful build adds (size, hashes, manifest, download link)
 * and everything about an export the cache doesn't hold yet (started in another tab), so in
 * those cases the list is fetched again; a failure's error comes with the event.
 */
export function applyExportProgress(queryClient: QueryClient, projectId: number, progress: ExportProgress) {
  const { export: exportId, ...counters } = progress;
  const changed = changeCachedExport(queryClient, projectId, exportId, (snapshot) =>
    // Events arrive in order, but a list fetched meanwhile can be older than the last one seen:
    // a finished export never goes back.
    isFinished(snapshot.status) && !isFinished(progress.status) ? snapshot : { ...snapshot, ...counters },
  );
  if (!changed || progress.status === "done") {
    void queryClient.invalidateQueries({ queryKey: exportKeys.list(projectId) });
  }
}

/** Items read out of the project's total, and that share in percent (a finished build is full). */
export function exportProgress(snapshot: Pick<Export, "status" | "items_done" | "items_total">) {
  const { status, items_done: done, items_total: total } = snapshot;
  let percent = total > 0 ? Math.min(100, (done / total) * 100) : 0;
  if (status === "done") percent = 100;
  return { done, total, percent };
}
