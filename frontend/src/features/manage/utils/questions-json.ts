import { isRecord } from "@/api/client";
import type { Question, QuestionKind, RatingDimension, RubricCriterion } from "@/api/types";
import { QUESTION_KINDS } from "./question-kinds";

class ShapeError extends Error {}

/**
 * Reads typed fields out of a JSON object, filling the server's defaults for
 * missing ones and refusing values of the wrong type (naming where they are).
 */
class FieldReader {
  constructor(
    private readonly source: Record<string, unknown>,
    private readonly where: string,
  ) {}

  private fail(key: string, expected: string): never {
    throw new ShapeError(`${this.where} › ${key}: expected ${expected}.`);
  }

  string(key: string, fallback: string): string {
    const value = this.source[key];
    if (value === undefined) return fallback;
    return typeof value === "string" ? value : this.fail(key, "text");
  }

  boolean(key: string, fallback: boolean): boolean {
    const value = this.source[key];
    if (value === undefined) return fallback;
    return typeof value === "boolean" ? value : this.fail(key, "true or false");
  }

  number(key: string, fallback: number): number {
    const value = this.source[key];
    if (value === undefined) return fallback;
    return typeof value === "number" ? value : this.fail(key, "a number");
  }

  strings(key: string, fallback: string[]): string[] {
    const value = this.source[key];
    if (value === undefined) return fallback;
    return Array.isArray(value) && value.every((entry) => typeof entry === "string")
      ? value
      : this.fail(key, "a list of text");
  }

  choice<T extends string>(key: string, choices: readonly T[], fallback: T): T {
    const value = this.source[key];
    if (value === undefined) return fallback;
    return choices.find((choice) => choice === value) ?? this.fail(key, choices.join(" or "));
  }

  objects(key: string): Record<string, unknown>[] {
    const value = this.source[key];
    if (value === undefined) return [];
    return Array.isArray(value) && value.every(isRecord) ? value : this.fail(key, "a list of objects");
  }

  labels(key: string): Record<string, string> {
    const value = this.source[key];
    if (value === undefined) return {};
    return isRecord(value) && Object.values(value).every((entry) => typeof entry === "string")
      ? (value as Record<string, string>)
      : this.fail(key, "an object of names by scale value");
  }
}

const PER = ["candidate", "item"] as const;

function readDimension(source: Record<string, unknown>, where: string): RatingDimension {
  const read = new FieldReader(source, where);
  return {
    ...source,
    id: read.string("id", ""),
    label: read.string("label", ""),
    min: read.number("min", 1),
    max: read.number("max", 5),
    step: read.number("step", 1),
    labels: read.labels("labels"),
  };
}

function readCriterion(source: Record<string, unknown>, where: string): RubricCriterion {
  const read = new FieldReader(source, where);
  return {
    ...source,
    id: read.string("id", ""),
    text: read.string("text", ""),
    points: read.number("points", 1),
    levels: read.strings("levels", ["fail", "pass"]),
  };
}

function readQuestion(source: unknown, index: number): Question {
  const where = `Question ${index + 1}`;
  if (!isRecord(source)) {
    throw new ShapeError(`${where}: expected an object.`);
  }
  const kind = QUESTION_KINDS.map((info) => info.kind).find((known) => known === source.kind);
  if (!kind) {
    const choices = QUESTION_KINDS.map((info) => info.kind).join(", ");
    throw new ShapeError(`${where} › kind: use one of ${choices}.`);
  }
  const read = new FieldReader(source, where);
  // Unknown keys are kept so validation can point at them, as the server would.
  const common = {
    ...source,
    id: read.string("id", ""),
    prompt: read.string("prompt", ""),
    required: read.boolean("required", true),
    help: read.string("help", ""),
  };
  return readKind(kind, common, read, where);
}

function readKind(
  kind: QuestionKind,
  common: { id: string; prompt: string; required: boolean; help: string },
  read: FieldReader,
  where: string,
): Question {
  switch (kind) {
    case "pairwise":
      return {
        ...common,
        kind,
        tie: read.boolean("tie", true),
        strength: read.strings("strength", []),
        both_bad: read.boolean("both_bad", false),
        pairs: read.choice("pairs", ["all", "sampled"] as const, "all"),
      };
    case "ranking":
      return { ...common, kind, ties: read.boolean("ties", true) };
    case "rating":
      return {
        ...common,
        kind,
        per: read.choice("per", PER, "candidate"),
        dimensions: read
          .objects("dimensions")
          .map((dimension, d) => readDimension(dimension, `${where} › dimension ${d + 1}`)),
      };
    case "rubric":
      return {
        ...common,
        kind,
        criteria: read
          .objects("criteria")
          .map((criterion, c) => readCriterion(criterion, `${where} › criterion ${c + 1}`)),
        item_criteria: read.boolean("item_criteria", false),
      };
    case "labels":
      return {
        ...common,
        kind,
        options: read.strings("options", []),
        multiple: read.boolean("multiple", false),
        per: read.choice("per", PER, "item"),
      };
    case "text":
      return { ...common, kind, max_length: read.number("max_length", 10000) };
  }
}

export type ParsedQuestions = { ok: true; questions: Question[] } | { ok: false; error: string };

/** Parses the JSON tab's text into questions the form editor can show, or says what is wrong. */
export function parseQuestionsJson(text: string): ParsedQuestions {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `Not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (!Array.isArray(value)) {
    return { ok: false, error: "Questions must be a JSON array." };
  }
  try {
    return { ok: true, questions: value.map((entry, index) => readQuestion(entry, index)) };
  } catch (error) {
    if (error instanceof ShapeError) {
      return { ok: false, error: error.message };
    }
    throw error;
  }
}

export function questionsToJson(questions: readonly Question[]): string {
  // NaN (an emptied number box) has no JSON form; null makes the gap visible.
  return JSON.stringify(questions, null, 2);
}
