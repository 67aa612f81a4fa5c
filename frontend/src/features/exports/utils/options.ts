/**
 * The export form's choices and how they depend on each other, mirroring the server's checks
 * (`annotator/exports/options.py`) so a choice it would refuse is not offered.
 */
import type { Question, QuestionKind } from "@/api/types";
import type { Aggregation, ExportFileType, ExportFormat, ExportRequest, Margin, Ties } from "../types";

interface Choice<T extends string> {
  value: T;
  label: string;
  description: string;
}

export const EXPORT_FORMATS: readonly Choice<ExportFormat>[] = [
  {
    value: "preference",
    label: "Preference pairs",
    description: "prompt, chosen, rejected: one row per pair with a winner (DPO, reward models).",
  },
  {
    value: "unpaired",
    label: "Unpaired",
    description: "prompt, completion, label: each response marked desirable or not (KTO).",
  },
  { value: "ranking", label: "Rankings", description: "prompt, the responses and their order, from a ranking question." },
  { value: "ratings", label: "Ratings", description: "prompt, completion and a score per dimension of a rating question." },
  { value: "rubric", label: "Rubric grades", description: "prompt, completion, the grade of each criterion and the total." },
  { value: "raw", label: "Raw annotations", description: "Every item with all its annotations and predictions, nothing aggregated." },
];

export const FILE_TYPES: readonly Choice<ExportFileType>[] = [
  { value: "jsonl", label: "JSONL", description: "One JSON object per line." },
  { value: "parquet", label: "Parquet", description: "Columnar, typed; reads straight into pandas or datasets." },
  { value: "hf", label: "Hugging Face dataset", description: "A tar of a saved datasets folder (load_from_disk)." },
  { value: "csv", label: "CSV", description: "Flat rows; lists and objects become JSON text." },
];

export const AGGREGATIONS: readonly Choice<Aggregation>[] = [
  { value: "majority", label: "Majority", description: "The label most annotators gave." },
  { value: "unanimous", label: "Unanimous", description: "Only labels every annotator agreed on." },
  { value: "min_agreement", label: "Minimum agreement", description: "Labels with at least this share of the votes." },
  {
    value: "dawid_skene",
    label: "Dawid-Skene",
    description: "Votes weighed by each annotator's estimated reliability.",
  },
  { value: "per_annotator", label: "Per annotator", description: "No aggregation: one row per annotator's answer." },
];

export const MARGINS: readonly Choice<Margin>[] = [
  { value: "none", label: "No margin", description: "" },
  { value: "agreement", label: "Agreement", description: "How far the votes agreed." },
  { value: "strength", label: "Strength", description: "How strongly the winner was preferred." },
  { value: "both", label: "Agreement × strength", description: "Both together." },
];

/** Formats whose rows are pairs of responses, and the question kinds pairs come from. */
const PAIR_FORMATS: readonly ExportFormat[] = ["preference", "unpaired"];
const READS: Record<ExportFormat, readonly QuestionKind[]> = {
  preference: ["pairwise", "ranking", "rating"],
  unpaired: ["pairwise", "ranking", "rating"],
  ranking: ["ranking"],
  ratings: ["rating"],
  rubric: ["rubric"],
  raw: [],
};
/** CSV holds flat rows only. */
const CSV_FORMATS: readonly ExportFormat[] = ["preference", "unpaired", "ratings", "rubric"];
/** Formats where a tie is an outcome that can be kept or dropped. */
const TIE_FORMATS: readonly ExportFormat[] = ["preference", "unpaired", "ranking"];

export const MIN_AGREEMENT_DEFAULT = 0.75;
/** A Hub repository id, as the server checks it. */
const HUB_REPO = /^[A-Za-z0-9][A-Za-z0-9._-]{0,95}\/[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/;

export interface ExportFormValues {
  format: ExportFormat;
  file_type: ExportFileType;
  aggregation: Aggregation;
  /** A NumberInput's value: a number, or the text while it is not one. */
  min_agreement: number | string;
  ties: Ties;
  reviewed_only: boolean;
  exclude_gold: boolean;
  include_model_labels: boolean;
  question: string | null;
  dimension: string | null;
  margin: Margin;
  /** A Hugging Face Hub dataset repository (org/name) to push the file to once built; empty for none. */
  push_to_hub: string;
}

export const EXPORT_FIELDS = [
  "format",
  "file_type",
  "aggregation",
  "min_agreement",
  "ties",
  "reviewed_only",
  "exclude_gold",
  "include_model_labels",
  "question",
  "dimension",
  "margin",
  "push_to_hub",
] as const satisfies readonly (keyof ExportFormValues)[];

export function isPairFormat(format: ExportFormat): boolean {
  return PAIR_FORMATS.includes(format);
}

export function readsKinds(format: ExportFormat): readonly QuestionKind[] {
  return READS[format];
}

/** Why `fileType` cannot hold `format`, or null when it can. */
export function fileTypeProblem(format: ExportFormat, fileType: ExportFileType): string | null {
  if (fileType === "csv" && !CSV_FORMATS.includes(format)) {
    return `${formatLabel(format)} rows hold lists, which CSV cannot; use JSONL, Parquet or a Hugging Face dataset.`;
  }
  return null;
}

export function aggregationsFor(format: ExportFormat): readonly Choice<Aggregation>[] {
  if (format === "raw") return [];
  return AGGREGATIONS.filter((choice) => choice.value !== "dawid_skene" || isPairFormat(format));
}

export function tiesApply(format: ExportFormat): boolean {
  return TIE_FORMATS.includes(format);
}

/** The project's questions the format can read (pairs need ratings given per response). */
export function questionsFor(format: ExportFormat, questions: readonly Question[]): Question[] {
  const kinds = READS[format];
  return questions.filter(
    (question) =>
      kinds.includes(question.kind) && !(isPairFormat(format) && question.kind === "rating" && question.per === "item"),
  );
}

/** The dimensions to compare responses on, when pairs come from a rating question; else empty. */
export function dimensionsFor(format: ExportFormat, question: Question | undefined): { id: string; label: string }[] {
  if (!isPairFormat(format) || question?.kind !== "rating") return [];
  return question.dimensions.map((dimension) => ({ id: dimension.id, label: dimension.label || dimension.id }));
}

export function formatLabel(format: string): string {
  return EXPORT_FORMATS.find((choice) => choice.value === format)?.label ?? format;
}

/** The question kinds a format reads, as words: "pairwise, ranking or rating". */
export function kindsText(format: ExportFormat): string {
  const kinds = [...READS[format]];
  const last = kinds.pop();
  return kinds.length ? `${kinds.join(", ")} or ${last}` : (last ?? "");
}

export function fileTypeLabel(fileType: string): string {
  return FILE_TYPES.find((choice) => choice.value === fileType)?.label ?? fileType;
}

export function initialValues(questions: readonly Question[]): ExportFormValues {
  return withFormat(
    {
      format: "preference",
      file_type: "jsonl",
      aggregation: "majority",
      min_agreement: MIN_AGREEMENT_DEFAULT,
      ties: "drop",
      reviewed_only: false,
      exclude_gold: false,
      include_model_labels: false,
      question: null,
      dimension: null,
      margin: "none",
      push_to_hub: "",
    },
    "preference",
    questions,
  );
}

/**
 * The values after choosing `format`: choices it doesn't allow fall back to a default, and the
 * question becomes the first one it reads unless the current one still fits.
 */
export function withFormat(values: ExportFormValues, format: ExportFormat, questions: readonly Question[]): ExportFormValues {
  const readable = questionsFor(format, questions);
  const question = readable.find((entry) => entry.id === values.question) ?? readable[0];
  const aggregation = aggregationsFor(format).some((choice) => choice.value === values.aggregation)
    ? values.aggregation
    : "majority";
  return withQuestion(
    {
      ...values,
      format,
      file_type: fileTypeProblem(format, values.file_type) ? "jsonl" : values.file_type,
      aggregation,
      margin: format === "preference" ? values.margin : "none",
      question: question?.id ?? null,
    },
    question?.id ?? null,
    questions,
  );
}

/** The values after choosing a question: a dimension that question lacks is cleared (one alone is chosen). */
export function withQuestion(values: ExportFormValues, questionId: string | null, questions: readonly Question[]): ExportFormValues {
  const dimensions = dimensionsFor(
    values.format,
    questions.find((question) => question.id === questionId),
  );
  const kept = dimensions.some((dimension) => dimension.id === values.dimension) ? values.dimension : null;
  return { ...values, question: questionId, dimension: kept ?? (dimensions.length === 1 ? (dimensions[0]?.id ?? null) : null) };
}

/** Problems the server would report, found before sending; keyed by field. */
export function validateExport(values: ExportFormValues, questions: readonly Question[]): Partial<Record<keyof ExportFormValues, string>> {
  const errors: Partial<Record<keyof ExportFormValues, string>> = {};
  const fileType = fileTypeProblem(values.format, values.file_type);
  if (fileType) errors.file_type = fileType;
  if (values.format !== "raw") {
    if (questionsFor(values.format, questions).length === 0) {
      errors.question = `${formatLabel(values.format)} needs a ${kindsText(values.format)} question; this project has none.`;
    } else if (values.question === null) {
      errors.question = "Choose the question to export.";
    } else if (
      dimensionsFor(values.format, questions.find((question) => question.id === values.question)).length > 1 &&
      values.dimension === null
    ) {
      errors.dimension = "Choose the dimension to compare responses on.";
    }
  }
  const repo = values.push_to_hub.trim();
  if (repo && !HUB_REPO.test(repo)) {
    errors.push_to_hub = "Name the dataset repository as org/name.";
  } else if (repo && values.file_type === "hf") {
    errors.push_to_hub = "The Hub takes JSONL, Parquet or CSV files; choose one of those.";
  }
  if (values.format !== "raw" && values.aggregation === "min_agreement") {
    const share = typeof values.min_agreement === "number" ? values.min_agreement : Number.NaN;
    if (!(share > 0.5 && share <= 1)) {
      errors.min_agreement = "Enter a share above 0.5 and at most 1.";
    }
  }
  return errors;
}

/** The request body for valid values; options that don't apply to the format are left at their defaults. */
export function exportRequest(values: ExportFormValues): ExportRequest {
  const raw = values.format === "raw";
  return {
    format: values.format,
    file_type: values.file_type,
    aggregation: raw ? "majority" : values.aggregation,
    min_agreement:
      !raw && values.aggregation === "min_agreement" && typeof values.min_agreement === "number"
        ? values.min_agreement
        : MIN_AGREEMENT_DEFAULT,
    ties: tiesApply(values.format) ? values.ties : "drop",
    reviewed_only: values.reviewed_only,
    exclude_gold: values.exclude_gold,
    include_model_labels: !raw && values.include_model_labels,
    judges: [],
    question: raw ? null : values.question,
    dimension: raw ? null : values.dimension,
    margin: values.format === "preference" ? values.margin : "none",
    push_to_hub: values.push_to_hub.trim(),
  };
}
