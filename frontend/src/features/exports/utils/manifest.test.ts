import { describe, expect, it } from "vitest";
import { makeManifest } from "../testing/fixtures";
import { parseManifest } from "./manifest";

describe("parseManifest", () => {
  it("reads counts, settings, hashes and columns in a stable order", () => {
    // As PostgreSQL's jsonb hands it back: keys ordered by length, not as written.
    const manifest = parseManifest(
      makeManifest({
        counts: { rows: 8, items: 10, model_rows: 1, human_rows: 7 },
        settings: { ties: "drop", format: "preference", judges: [], weights: null, min_agreement: 0.75, reviewed_only: true },
      }),
    );
    expect(manifest?.counts).toEqual([
      { label: "Items", value: 10 },
      { label: "Rows", value: 8 },
      { label: "Rows from people", value: 7 },
      { label: "Rows from judges", value: 1 },
    ]);
    expect(manifest?.settings).toEqual([
      { name: "format", value: "preference" },
      { name: "weights", value: "—" },
      { name: "min_agreement", value: "0.75" },
      { name: "ties", value: "drop" },
      { name: "reviewed_only", value: "true" },
      { name: "judges", value: "—" },
    ]);
    expect(manifest?.columns.map((column) => column.name)).toEqual(["prompt", "chosen", "rejected"]);
    expect(manifest?.fileName).toBe("helpfulness-v3-preference-12.jsonl");
    expect(manifest?.conversational).toBe(false);
  });

  it("keeps what it can of a manifest with an unexpected shape", () => {
    expect(parseManifest(null)).toBeNull();
    expect(parseManifest(["not", "an", "object"])).toBeNull();
    const partial = parseManifest({ counts: { rows: "8" }, columns: [{ name: "prompt" }, { type: "string" }], settings: 3 });
    expect(partial).toMatchObject({ counts: [], settings: [], columns: [{ name: "prompt", type: "" }], contentSha256: null });
  });
});
