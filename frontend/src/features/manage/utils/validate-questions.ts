import type { Question, RatingDimension, RubricCriterion } from "@/api/types";
import { addError, joinPath, type ErrorMap } from "./error-map";
import { COMMON_FIELDS, KIND_FIELDS } from "./question-kinds";

/** The limits the server enforces (annotator/questions.py); kept in step by the tests on both sides. */
export const LIMITS = {
  questions: 50,
  slug: 64,
  prompt: 2000,
  help: 10000,
  strengthLabels: 10,
  strengthLabel: 64,
  dimensions: 50,
  dimensionLabel: 200,
  criteria: 100,
  criterionText: 2000,
  levels: { min: 2, max: 20 },
  level: 64,
  options: 100,
  option: 100,
  maxLength: { min: 1, max: 100000 },
} as const;

const SLUG = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

function checkSlug(errors: ErrorMap, path: string, value: unknown) {
  if (typeof value !== "string" || value === "") {
    addError(errors, path, "Enter an id.");
  } else if (value.length > LIMITS.slug) {
    addError(errors, path, `At most ${LIMITS.slug} characters.`);
  } else if (!SLUG.test(value)) {
    addError(errors, path, "Use letters, digits, _ . or -, starting with a letter or digit.");
  }
}

function checkLength(errors: ErrorMap, path: string, value: string | undefined, max: number) {
  if (typeof value === "string" && value.length > max) {
    addError(errors, path, `At most ${max} characters.`);
  }
}

function isNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

function formatNumber(value: number): string {
  return String(Number(value.toPrecision(12)));
}

/** Flags duplicates after their first occurrence, as the server does. */
function checkUnique(errors: ErrorMap, values: readonly string[], pathOf: (index: number) => string, what: string) {
  const first = new Map<string, number>();
  values.forEach((value, index) => {
    const earlier = first.get(value);
    if (earlier === undefined) {
      first.set(value, index);
    } else if (value !== "") {
      addError(errors, pathOf(index), `Duplicate ${what} "${value}" (also #${earlier + 1}).`);
    }
  });
}

/** A list of short labels: each non-empty, not too long, all different. */
function checkLabelList(
  errors: ErrorMap,
  path: string,
  values: readonly string[],
  { maxLength, what }: { maxLength: number; what: string },
) {
  values.forEach((value, index) => {
    if (value.trim() === "") {
      addError(errors, joinPath(path, index), `Enter text for this ${what}, or remove it.`);
    } else {
      checkLength(errors, joinPath(path, index), value, maxLength);
    }
  });
  checkUnique(errors, values, (index) => joinPath(path, index), what);
}

function checkDimension(errors: ErrorMap, path: string, dimension: RatingDimension) {
  checkSlug(errors, joinPath(path, "id"), dimension.id);
  checkLength(errors, joinPath(path, "label"), dimension.label, LIMITS.dimensionLabel);
  const { min, max, step } = dimension;
  if (!isNumber(min)) addError(errors, joinPath(path, "min"), "Enter a number.");
  if (!isNumber(max)) {
    addError(errors, joinPath(path, "max"), "Enter a number.");
  } else if (isNumber(min) && max <= min) {
    addError(errors, joinPath(path, "max"), `Max must be greater than min (${formatNumber(min)}).`);
  }
  if (!isNumber(step)) {
    addError(errors, joinPath(path, "step"), "Enter a number.");
  } else if (step <= 0) {
    addError(errors, joinPath(path, "step"), "Step must be greater than 0.");
  }
}

function checkCriterion(errors: ErrorMap, path: string, criterion: RubricCriterion) {
  checkSlug(errors, joinPath(path, "id"), criterion.id);
  if (!criterion.text?.trim()) {
    addError(errors, joinPath(path, "text"), "Describe the criterion.");
  } else {
    checkLength(errors, joinPath(path, "text"), criterion.text, LIMITS.criterionText);
  }
  if (!isNumber(criterion.points)) {
    addError(errors, joinPath(path, "points"), "Enter a number.");
  } else if (criterion.points < 0) {
    addError(errors, joinPath(path, "points"), "Points can't be negative.");
  }
  const levels = criterion.levels ?? ["fail", "pass"];
  if (levels.length < LIMITS.levels.min) {
    addError(errors, joinPath(path, "levels"), "Give at least two levels, worst first.");
  } else if (levels.length > LIMITS.levels.max) {
    addError(errors, joinPath(path, "levels"), `At most ${LIMITS.levels.max} levels.`);
  }
  checkLabelList(errors, joinPath(path, "levels"), levels, { maxLength: LIMITS.level, what: "level" });
}

function checkQuestion(errors: ErrorMap, index: number, question: Question) {
  const at = (...parts: (string | number)[]) => joinPath(index, ...parts);
  checkSlug(errors, at("id"), question.id);
  checkLength(errors, at("prompt"), question.prompt, LIMITS.prompt);
  checkLength(errors, at("help"), question.help, LIMITS.help);

  const allowed = new Set([...COMMON_FIELDS, ...(KIND_FIELDS[question.kind] ?? [])]);
  for (const key of Object.keys(question)) {
    if (!allowed.has(key)) {
      addError(errors, at(key), `Unknown field for a ${question.kind} question.`);
    }
  }

  switch (question.kind) {
    case "pairwise": {
      const strength = question.strength ?? [];
      if (strength.length > LIMITS.strengthLabels) {
        addError(errors, at("strength"), `At most ${LIMITS.strengthLabels} strength labels.`);
      }
      checkLabelList(errors, at("strength"), strength, { maxLength: LIMITS.strengthLabel, what: "label" });
      break;
    }
    case "ranking":
      break;
    case "rating": {
      if (question.dimensions.length === 0) {
        addError(errors, at("dimensions"), "Add at least one dimension.");
      } else if (question.dimensions.length > LIMITS.dimensions) {
        addError(errors, at("dimensions"), `At most ${LIMITS.dimensions} dimensions.`);
      }
      question.dimensions.forEach((dimension, d) => checkDimension(errors, at("dimensions", d), dimension));
      checkUnique(
        errors,
        question.dimensions.map((dimension) => dimension.id),
        (d) => at("dimensions", d, "id"),
        "dimension id",
      );
      break;
    }
    case "rubric": {
      const criteria = question.criteria ?? [];
      if (criteria.length === 0 && !question.item_criteria) {
        addError(errors, at("criteria"), "A rubric needs criteria, or each item's own criteria switched on.");
      } else if (criteria.length > LIMITS.criteria) {
        addError(errors, at("criteria"), `At most ${LIMITS.criteria} criteria.`);
      }
      criteria.forEach((criterion, c) => checkCriterion(errors, at("criteria", c), criterion));
      checkUnique(
        errors,
        criteria.map((criterion) => criterion.id),
        (c) => at("criteria", c, "id"),
        "criterion id",
      );
      break;
    }
    case "labels": {
      if (question.options.length === 0) {
        addError(errors, at("options"), "Add at least one option.");
      } else if (question.options.length > LIMITS.options) {
        addError(errors, at("options"), `At most ${LIMITS.options} options.`);
      }
      checkLabelList(errors, at("options"), question.options, { maxLength: LIMITS.option, what: "option" });
      break;
    }
    case "text": {
      const { max_length: maxLength } = question;
      if (!isNumber(maxLength) || !Number.isInteger(maxLength)) {
        addError(errors, at("max_length"), "Enter a whole number.");
      } else if (maxLength < LIMITS.maxLength.min || maxLength > LIMITS.maxLength.max) {
        addError(errors, at("max_length"), `Between ${LIMITS.maxLength.min} and ${LIMITS.maxLength.max}.`);
      }
      break;
    }
  }
}

/** Checks questions against the rules the server applies, so mistakes show while typing. */
export function validateQuestions(questions: readonly Question[]): ErrorMap {
  const errors: ErrorMap = {};
  if (questions.length === 0) {
    addError(errors, "", "A project needs at least one question.");
  } else if (questions.length > LIMITS.questions) {
    addError(errors, "", `At most ${LIMITS.questions} questions.`);
  }
  questions.forEach((question, index) => checkQuestion(errors, index, question));
  const first = new Map<string, number>();
  questions.forEach((question, index) => {
    const earlier = first.get(question.id);
    if (earlier === undefined) {
      first.set(question.id, index);
    } else if (question.id !== "") {
      addError(errors, joinPath(index, "id"), `Duplicate question id "${question.id}" (also question ${earlier + 1}).`);
    }
  });
  return errors;
}
