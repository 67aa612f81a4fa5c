import type { AssignmentStrategy, ProjectRequest, Question } from "@/api/types";

/** Project settings as a form holds them: number inputs are "" while being retyped. */
export interface ProjectSettingsValues {
  name: string;
  guidelines: string;
  overlap: number | string;
  assignment: AssignmentStrategy;
  blind: boolean;
  /** Show judges' suggestions to annotators (never while blind). */
  suggestions: boolean;
  lock_timeout_s: number | string;
  gold_rate: number | string;
}

/** The form fields that server errors can be shown on. */
export const PROJECT_SETTING_FIELDS = [
  "name",
  "guidelines",
  "overlap",
  "assignment",
  "blind",
  "suggestions",
  "lock_timeout_s",
  "gold_rate",
] as const;

/** The request body for creating or saving a project from the settings form and its questions. */
export function projectBody(values: ProjectSettingsValues, questions: Question[]): ProjectRequest {
  return {
    name: values.name.trim(),
    guidelines: values.guidelines,
    questions,
    overlap: Number(values.overlap),
    assignment: values.assignment,
    blind: values.blind,
    suggestions: values.suggestions,
    lock_timeout_s: Number(values.lock_timeout_s),
    gold_rate: Number(values.gold_rate),
  };
}
