import { isRecord } from "@/api/client";
import { targetLabel } from "./candidates";

export interface AnswerErrors {
  /** Messages by question id, each naming the field it is about. */
  byQuestion: Record<string, string[]>;
  /** Messages the screen cannot place next to a question. */
  other: string[];
}

function messages(value: unknown): string[] {
  if (typeof value === "string") {
    return [value];
  }
  if (Array.isArray(value)) {
    return value.flatMap(messages);
  }
  if (isRecord(value)) {
    return Object.entries(value).flatMap(([key, child]) => messages(child).map((line) => `${key}: ${line}`));
  }
  return [];
}

/** "scores.b.helpfulness" → "Response B › helpfulness" (candidate ids become display letters). */
export function describeField(field: string, candidateIds: readonly string[]): string {
  return field
    .split(".")
    .map((part) => (candidateIds.includes(part) ? targetLabel(part, candidateIds) : part))
    .join(" › ");
}

/**
 * Reads a 400 body from submit: `{"answers": {"<question>": {"<field>": ["message"]}}}`, plus any
 * other field (e.g. `time_spent_ms`) or `detail`. Errors for questions not on screen go to `other`.
 */
export function parseAnswerErrors(
  body: unknown,
  candidateIds: readonly string[],
  questionIds: readonly string[],
): AnswerErrors {
  const result: AnswerErrors = { byQuestion: {}, other: [] };
  if (!isRecord(body)) {
    return result;
  }
  for (const [key, value] of Object.entries(body)) {
    if (key === "answers" && isRecord(value)) {
      for (const [questionId, fields] of Object.entries(value)) {
        const lines = isRecord(fields)
          ? Object.entries(fields).flatMap(([field, text]) =>
              messages(text).map((line) =>
                field === "non_field_errors" ? line : `${describeField(field, candidateIds)}: ${line}`,
              ),
            )
          : messages(fields);
        if (questionIds.includes(questionId)) {
          result.byQuestion[questionId] = [...(result.byQuestion[questionId] ?? []), ...lines];
        } else {
          const prefix = questionId === "non_field_errors" ? "" : `${questionId}: `;
          result.other.push(...lines.map((line) => prefix + line));
        }
      }
    } else if (key === "detail" || key === "non_field_errors") {
      result.other.push(...messages(value));
    } else {
      result.other.push(...messages(value).map((line) => `${key}: ${line}`));
    }
  }
  return result;
}
