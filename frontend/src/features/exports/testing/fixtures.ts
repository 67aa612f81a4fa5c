import type { Export } from "../types";
import type { ExportProgress } from "../utils/progress";

const SETTINGS = {
  format: "preference",
  file_type: "jsonl",
  aggregation: "majority",
  min_agreement: 0.75,
  ties: "drop",
  reviewed_only: false,
  exclude_gold: false,
  include_model_labels: false,
  judges: [],
  question: "pref",
  dimension: null,
  weights: null,
  margin: "none",
};

export const CONTENT_SHA = "c0ffee".padEnd(64, "0");
export const FILE_SHA = "f17e".padEnd(64, "1");

/** A snapshot as `GET /api/projects/3/exports/` lists it. */
export function makeExport(overrides: Partial<Export> = {}): Export {
  return {
    id: 12,
    project: 3,
    status: "queued",
    format: "preference",
    file_type: "jsonl",
    options: SETTINGS,
    items_total: 0,
    items_done: 0,
    rows: 0,
    content_sha256: "",
    file_sha256: "",
    size_bytes: 0,
    manifest: null,
    error: "",
    hub_repo: "",
    hub_url: "",
    hub_error: "",
    created_by: "demo",
    created_at: "2026-11-02T10:00:00Z",
    started_at: null,
    finished_at: null,
    download_url: null,
    ...overrides,
  };
}

/** The manifest the server writes for a finished preference export. */
export function makeManifest(overrides: Record<string, unknown> = {}) {
  return {
    schema_version: 1,
    export: 12,
    project: { id: 3, name: "helpfulness-v3" },
    format: "preference",
    file_type: "jsonl",
    file_name: "helpfulness-v3-preference-12.jsonl",
    settings: SETTINGS,
    conversational: false,
    counts: { items: 10, rows: 8, human_rows: 8, model_rows: 0 },
    columns: [
      { name: "prompt", type: "string" },
      { name: "chosen", type: "string" },
      { name: "rejected", type: "string" },
    ],
    content_sha256: CONTENT_SHA,
    file_sha256: FILE_SHA,
    size_bytes: 2048,
    created_at: "2026-11-02T10:00:00+00:00",
    finished_at: "2026-11-02T10:00:03+00:00",
    ...overrides,
  };
}

/** A finished snapshot, with its file and manifest. */
export function makeDoneExport(overrides: Partial<Export> = {}): Export {
  return makeExport({
    status: "done",
    items_total: 10,
    items_done: 10,
    rows: 8,
    content_sha256: CONTENT_SHA,
    file_sha256: FILE_SHA,
    size_bytes: 2048,
    manifest: makeManifest(),
    started_at: "2026-11-02T10:00:01Z",
    finished_at: "2026-11-02T10:00:03Z",
    download_url: "/api/exports/12/download/",
    ...overrides,
  });
}

/** An `export.progress` message as the server sends it on the project channel. */
export function exportProgressEvent(data: Partial<ExportProgress> = {}) {
  return {
    type: "export.progress",
    project: 3,
    at: "2026-11-02T10:00:02Z",
    data: { export: 12, status: "running", items_total: 10, items_done: 0, rows: 0, error: "", ...data },
  };
}
