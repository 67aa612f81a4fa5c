import { describe, expect, it } from "vitest";
import { createTestQueryClient } from "@/testing/render";
import { page } from "@/testing/fixtures";
import { exportKeys } from "../api/keys";
import { makeDoneExport, makeExport } from "../testing/fixtures";
import { cachedExports, type ExportPages } from "./export-cache";
import { applyExportProgress, exportProgress, parseExportProgress, type ExportProgress } from "./progress";

const progress = (overrides: Partial<ExportProgress> = {}): ExportProgress => ({
  export: 12,
  status: "running",
  items_total: 10,
  items_done: 3,
  rows: 0,
  error: "",
  ...overrides,
});

function cacheWith(...exports: ReturnType<typeof makeExport>[]) {
  const queryClient = createTestQueryClient();
  queryClient.setQueryData<ExportPages>(exportKeys.list(3), { pages: [page(exports)], pageParams: [1] });
  const stale = () => queryClient.getQueryState(exportKeys.list(3))?.isInvalidated;
  const read = () => cachedExports(queryClient.getQueryData<ExportPages>(exportKeys.list(3)));
  return { queryClient, stale, read };
}

describe("export.progress events", () => {
  it("accepts the documented shape only", () => {
    expect(parseExportProgress(progress())).toEqual(progress());
    expect(parseExportProgress({ ...progress(), status: "cancelled" })).toBeNull();
    expect(parseExportProgress({ ...progress(), items_done: "3" })).toBeNull();
    expect(parseExportProgress({ ...progress(), error: null })).toBeNull();
    expect(parseExportProgress(null)).toBeNull();
  });

  it("writes counters into the cached export without fetching", () => {
    const { queryClient, stale, read } = cacheWith(makeExport(), makeExport({ id: 11 }));
    applyExportProgress(queryClient, 3, progress());
    expect(read()[0]).toMatchObject({ id: 12, status: "running", items_done: 3, items_total: 10 });
    expect(read()[1]).toEqual(makeExport({ id: 11 }));
    expect(stale()).toBe(false);
    applyExportProgress(queryClient, 3, progress({ status: "failed", error: "disk full" }));
    expect(read()[0]).toMatchObject({ status: "failed", error: "disk full" });
    expect(stale()).toBe(false);
  });

  it("fetches the list for a finished build or an export it doesn't hold", () => {
    const done = cacheWith(makeExport());
    applyExportProgress(done.queryClient, 3, progress({ status: "done", items_done: 10, rows: 8 }));
    expect(done.read()[0]).toMatchObject({ status: "done", rows: 8 });
    expect(done.stale()).toBe(true);

    const unknown = cacheWith(makeExport());
    applyExportProgress(unknown.queryClient, 3, progress({ export: 99 }));
    expect(unknown.stale()).toBe(true);
  });

  it("never moves a finished export back", () => {
    const { queryClient, read } = cacheWith(makeDoneExport());
    applyExportProgress(queryClient, 3, progress({ status: "running", items_done: 9 }));
    expect(read()[0]).toEqual(makeDoneExport());
  });

  it("fills the bar for a finished build even when some items gave no rows", () => {
    expect(exportProgress({ status: "queued", items_done: 0, items_total: 0 }).percent).toBe(0);
    expect(exportProgress({ status: "running", items_done: 5, items_total: 20 }).percent).toBe(25);
    expect(exportProgress({ status: "done", items_done: 8, items_total: 10 }).percent).toBe(100);
  });
});
