import { isRecord } from "@/api/client";

/** What a finished snapshot's manifest says about it (the API types it as any JSON). */
export interface Manifest {
  schemaVersion: number | null;
  fileName: string | null;
  conversational: boolean | null;
  counts: { label: string; value: number }[];
  /** The options the export was built with, in the server's canonical order. */
  settings: { name: string; value: string }[];
  columns: { name: string; type: string }[];
  contentSha256: string | null;
  fileSha256: string | null;
}

const COUNT_LABELS: Record<string, string> = {
  items: "Items",
  rows: "Rows",
  human_rows: "Rows from people",
  model_rows: "Rows from judges",
};

// The server stores the manifest as JSON whose key order the database may not keep: shown in
// this order, anything else after.
const SETTING_ORDER = [
  "format",
  "file_type",
  "question",
  "dimension",
  "weights",
  "aggregation",
  "min_agreement",
  "ties",
  "margin",
  "reviewed_only",
  "exclude_gold",
  "include_model_labels",
  "judges",
];

function inOrder<T>(entries: [string, T][], order: readonly string[]): [string, T][] {
  const rank = (key: string) => {
    const index = order.indexOf(key);
    return index === -1 ? order.length : index;
  };
  return [...entries].sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
}

const text = (value: unknown): string | null => (typeof value === "string" ? value : null);

function settingText(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "string") return value;
  if (Array.isArray(value) && value.length === 0) return "—";
  return JSON.stringify(value);
}

/** The manifest's parts that have the documented shape; null when it is no object at all. */
export function parseManifest(value: unknown): Manifest | null {
  if (!isRecord(value)) return null;
  const counts = isRecord(value.counts)
    ? inOrder(
        Object.entries(value.counts).filter((entry): entry is [string, number] => typeof entry[1] === "number"),
        Object.keys(COUNT_LABELS),
      ).map(([key, count]) => ({ label: COUNT_LABELS[key] ?? key, value: count }))
    : [];
  const settings = isRecord(value.settings)
    ? inOrder(Object.entries(value.settings), SETTING_ORDER).map(([name, setting]) => ({ name, value: settingText(setting) }))
    : [];
  const columns = Array.isArray(value.columns)
    ? value.columns.filter(isRecord).flatMap((column) => {
        const name = text(column.name);
        return name === null ? [] : [{ name, type: text(column.type) ?? "" }];
      })
    : [];
  return {
    schemaVersion: typeof value.schema_version === "number" ? value.schema_version : null,
    fileName: text(value.file_name),
    conversational: typeof value.conversational === "boolean" ? value.conversational : null,
    counts,
    settings,
    columns,
    contentSha256: text(value.content_sha256),
    fileSha256: text(value.file_sha256),
  };
}
