import { describe, expect, it } from "vitest";
import { ALL_KINDS } from "@/features/items/testing/fixtures";
import type { Question } from "@/api/types";
import {
  aggregationsFor,
  exportRequest,
  fileTypeProblem,
  initialValues,
  questionsFor,
  validateExport,
  withFormat,
  withQuestion,
} from "./options";

const perItemRating: Question = {
  id: "overall",
  kind: "rating",
  prompt: "Overall",
  required: true,
  help: "",
  per: "item",
  dimensions: [{ id: "score", label: "", min: 1, max: 5, step: 1, labels: {} }],
};

describe("export options", () => {
  it("starts as preference JSONL of the first question pairs come from", () => {
    const values = initialValues(ALL_KINDS);
    expect(values).toMatchObject({ format: "preference", file_type: "jsonl", question: "pref", dimension: null });
    expect(validateExport(values, ALL_KINDS)).toEqual({});
  });

  it("lists the questions each format reads; pairs never come from per-item ratings", () => {
    const questions = [...ALL_KINDS, perItemRating];
    const ids = (format: Parameters<typeof questionsFor>[0]) => questionsFor(format, questions).map((question) => question.id);
    expect(ids("preference")).toEqual(["pref", "rank", "quality"]);
    expect(ids("unpaired")).toEqual(["pref", "rank", "quality"]);
    expect(ids("ranking")).toEqual(["rank"]);
    expect(ids("ratings")).toEqual(["quality", "overall"]);
    expect(ids("rubric")).toEqual(["rubric"]);
    expect(ids("raw")).toEqual([]);
  });

  it("allows CSV for flat formats only, and Dawid-Skene for pairs only", () => {
    expect(fileTypeProblem("preference", "csv")).toBeNull();
    expect(fileTypeProblem("ratings", "csv")).toBeNull();
    expect(fileTypeProblem("ranking", "csv")).toMatch(/CSV cannot/);
    expect(fileTypeProblem("raw", "csv")).toMatch(/CSV cannot/);
    expect(fileTypeProblem("raw", "parquet")).toBeNull();
    expect(aggregationsFor("unpaired").map((choice) => choice.value)).toContain("dawid_skene");
    expect(aggregationsFor("ratings").map((choice) => choice.value)).not.toContain("dawid_skene");
    expect(aggregationsFor("raw")).toEqual([]);
  });

  it("drops choices a new format doesn't allow", () => {
    const preference = {
      ...initialValues(ALL_KINDS),
      file_type: "csv" as const,
      aggregation: "dawid_skene" as const,
      margin: "both" as const,
    };
    expect(withFormat(preference, "ranking", ALL_KINDS)).toMatchObject({
      format: "ranking",
      file_type: "jsonl",
      aggregation: "majority",
      margin: "none",
      question: "rank",
    });
    // The question stays when the new format reads it too.
    const ranked = withQuestion(preference, "rank", ALL_KINDS);
    expect(withFormat(ranked, "unpaired", ALL_KINDS)).toMatchObject({ question: "rank", aggregation: "dawid_skene", file_type: "csv" });
  });

  it("asks for a dimension when pairs come from a rating question with several", () => {
    const values = withQuestion(initialValues(ALL_KINDS), "quality", ALL_KINDS);
    expect(values.dimension).toBeNull();
    expect(validateExport(values, ALL_KINDS)).toEqual({ dimension: "Choose the dimension to compare responses on." });
    const chosen = { ...values, dimension: "helpfulness" };
    expect(validateExport(chosen, ALL_KINDS)).toEqual({});
    expect(exportRequest(chosen)).toMatchObject({ question: "quality", dimension: "helpfulness" });
    // A single dimension is chosen for you; a question without dimensions clears it.
    const single: Question = { ...perItemRating, id: "single", per: "candidate" };
    expect(withQuestion(chosen, "single", [...ALL_KINDS, single]).dimension).toBe("score");
    expect(withQuestion(chosen, "pref", ALL_KINDS).dimension).toBeNull();
  });

  it("checks the agreement share and that the project has a question to read", () => {
    const values = { ...initialValues(ALL_KINDS), aggregation: "min_agreement" as const };
    expect(validateExport({ ...values, min_agreement: 0.5 }, ALL_KINDS)).toHaveProperty("min_agreement");
    expect(validateExport({ ...values, min_agreement: "" }, ALL_KINDS)).toHaveProperty("min_agreement");
    expect(validateExport({ ...values, min_agreement: 1 }, ALL_KINDS)).toEqual({});
    const textOnly = ALL_KINDS.filter((question) => question.kind === "text");
    expect(validateExport(initialValues(textOnly), textOnly)).toEqual({
      question: "Preference pairs needs a pairwise, ranking or rating question; this project has none.",
    });
    expect(validateExport(withFormat(initialValues(textOnly), "raw", textOnly), textOnly)).toEqual({});
  });

  it("checks a Hub repository's name and that the Hub takes the file type", () => {
    const values = initialValues(ALL_KINDS);
    expect(validateExport({ ...values, push_to_hub: " acme/prefs-v2 " }, ALL_KINDS)).toEqual({});
    expect(exportRequest({ ...values, push_to_hub: " acme/prefs-v2 " }).push_to_hub).toBe("acme/prefs-v2");
    expect(validateExport({ ...values, push_to_hub: "prefs" }, ALL_KINDS)).toHaveProperty("push_to_hub");
    expect(validateExport({ ...values, push_to_hub: "acme/prefs", file_type: "hf" }, ALL_KINDS)).toHaveProperty("push_to_hub");
  });

  it("sends only the options that apply to the format", () => {
    const raw = {
      ...withFormat(initialValues(ALL_KINDS), "raw", ALL_KINDS),
      aggregation: "unanimous" as const,
      include_model_labels: true,
      exclude_gold: true,
    };
    expect(exportRequest(raw)).toEqual({
      format: "raw",
      file_type: "jsonl",
      aggregation: "majority",
      min_agreement: 0.75,
      ties: "drop",
      reviewed_only: false,
      exclude_gold: true,
      include_model_labels: false,
      judges: [],
      question: null,
      dimension: null,
      margin: "none",
      push_to_hub: "",
    });
    const strict = { ...initialValues(ALL_KINDS), aggregation: "min_agreement" as const, min_agreement: 0.9, ties: "keep" as const };
    expect(exportRequest(strict)).toMatchObject({ aggregation: "min_agreement", min_agreement: 0.9, ties: "keep" });
    expect(exportRequest({ ...strict, format: "ratings" })).toMatchObject({ ties: "drop", margin: "none" });
  });
});
