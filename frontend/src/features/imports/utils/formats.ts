import type { ImportFileType, ImportFormat } from "@/api/types";

export interface FormatInfo {
  value: ImportFormat;
  label: string;
  description: string;
}

export const IMPORT_FORMATS: readonly FormatInfo[] = [
  {
    value: "auto",
    label: "Detect automatically",
    description: "Chosen from the first row's fields: any of the layouts below except a custom mapping.",
  },
  {
    value: "native",
    label: "Moot native",
    description: "external_id, prompt (text or [{role, content}]), candidates [{id, text, model, meta}], meta, rubric, gold.",
  },
  {
    value: "raw",
    label: "Moot raw export",
    description: "A raw export of another project: items with every annotation, its versions and reviews.",
  },
  {
    value: "trl",
    label: "TRL preference",
    description: "prompt, chosen, rejected as text or lists of messages; or whole chosen/rejected conversations.",
  },
  {
    value: "hh",
    label: "Anthropic HH",
    description: "chosen and rejected as full Human:/Assistant: transcripts that share a prefix.",
  },
  {
    value: "ultrafeedback",
    label: "UltraFeedback",
    description: "instruction with completions [{model, response, annotations}]; one candidate per completion, ratings kept.",
  },
  {
    value: "arena",
    label: "Chatbot Arena",
    description: "model_a, model_b, conversation_a, conversation_b and winner, one battle per row.",
  },
  {
    value: "mapping",
    label: "Custom mapping",
    description: "Any other layout, through a JSON field mapping of dotted paths; group_by joins rows into one item.",
  },
];

export const FILE_TYPES: readonly { value: ImportFileType; label: string }[] = [
  { value: "jsonl", label: "JSONL" },
  { value: "csv", label: "CSV" },
  { value: "parquet", label: "Parquet" },
];

export const MAPPING_TEMPLATE = `{
  "external_id": "id",
  "prompt": "question",
  "candidates": [
    {"text": "answer_a", "model": "model_a"},
    {"text": "answer_b", "model": "model_b"}
  ]
}`;

/** What the drop zone takes: by extension, since browsers give JSONL and Parquet no MIME type. */
export const ACCEPTED_FILES: Record<string, string[]> = {
  "application/jsonl": [".jsonl", ".ndjson", ".json"],
  "text/csv": [".csv"],
  "application/vnd.apache.parquet": [".parquet"],
  "application/gzip": [".gz"],
};
