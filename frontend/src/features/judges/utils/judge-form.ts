/**
 * The judge form's values, the request body built from them, and the server's 400 errors mapped
 * back onto the form's fields. The API types `config` as free JSON; which fields each kind takes
 * is documented in judges/config.py on the server.
 */
import { isRecord } from "@/api/client";
import type { Judge, JudgeKind, JudgeRequest, Question, RatingQuestion } from "@/api/types";
import { flattenErrors, splitFieldErrors } from "@/features/projects/utils/field-errors";

export const DTYPES = ["auto", "float32", "bfloat16", "float16"] as const;
export type Dtype = (typeof DTYPES)[number];
export const LOGPROBS = ["auto", "always", "never"] as const;
export type Logprobs = (typeof LOGPROBS)[number];
/** What a preference head embeds: the response alone, or the response with the prompt. */
export const HEAD_FEATURES = ["candidate_prompt", "candidate"] as const;
export type HeadFeatures = (typeof HEAD_FEATURES)[number];
/** The server's default encoder, installed with the workers so it loads offline. */
export const DEFAULT_ENCODER = "all-MiniLM-L6-v2";

/** Number inputs hold "" while empty. */
type NumberValue = number | string;

/** How a reward model scores one rating dimension: which head, and the rewards at the scale's ends. */
export interface RatingMappingValues {
  head: NumberValue;
  /**
   * The rewards that map to the scale's ends. Empty: fitted to the project's human ratings when
   * the run finishes, or squashed onto the scale (reward 0 in the middle) without them.
   */
  low: NumberValue;
  high: NumberValue;
}

export const EMPTY_MAPPING: RatingMappingValues = { head: "", low: "", high: "" };
const MAPPING_FIELDS = ["head", "low", "high"] as const;

/** One dimension's entry in `config.ratings` as the server takes it. */
type HeadMapping = Partial<Record<keyof RatingMappingValues, number>>;

/** Question id → dimension id → mapping. Ids are kept as keys, never split on dots. */
export type RatingMappings = Record<string, Record<string, RatingMappingValues>>;

export interface JudgeFormValues {
  name: string;
  kind: JudgeKind;
  questions: string[];
  model: string;
  revision: string;
  dtype: Dtype;
  device: string;
  max_length: NumberValue;
  head: NumberValue;
  base_url: string;
  api_key_env: string;
  max_concurrency: NumberValue;
  timeout_s: NumberValue;
  max_retries: NumberValue;
  logprobs: Logprobs;
  system_prompt: string;
  position_swap: boolean;
  rationale: boolean;
  /** Template per kind (pairwise, rating, …); empty or absent means the server's default. */
  templates: Record<string, string>;
  ratings: RatingMappings;
  /** Preference heads: the sentence encoder and how the head is fitted. */
  encoder: string;
  features: HeadFeatures;
  l2: NumberValue;
  folds: NumberValue;
  min_pairs: NumberValue;
  ties: boolean;
}

export const EMPTY_JUDGE: JudgeFormValues = {
  name: "",
  kind: "reward_model",
  questions: [],
  model: "",
  revision: "",
  dtype: "auto",
  device: "auto",
  max_length: "",
  head: 0,
  base_url: "",
  api_key_env: "",
  max_concurrency: 8,
  timeout_s: 60,
  max_retries: 5,
  logprobs: "auto",
  system_prompt: "",
  position_swap: true,
  rationale: false,
  templates: {},
  ratings: {},
  encoder: DEFAULT_ENCODER,
  features: "candidate_prompt",
  l2: 300,
  folds: 5,
  min_pairs: 10,
  ties: true,
};

const LOCAL_FIELDS = ["model", "revision", "dtype", "device", "max_length"];
const PROMPT_FIELDS = ["templates", "system_prompt", "position_swap", "rationale"];
const API_FIELDS = ["base_url", "model", "api_key_env", "max_concurrency", "timeout_s", "max_retries", "logprobs"];
const HEAD_FORM_FIELDS = ["encoder", "device", "features", "l2", "folds", "min_pairs", "ties"];

/** Config fields each kind accepts; the server refuses any other. */
export const CONFIG_FIELDS: Record<JudgeKind, readonly string[]> = {
  reward_model: [...LOCAL_FIELDS, "head", "ratings"],
  local_llm: [...LOCAL_FIELDS, ...PROMPT_FIELDS],
  api: [...API_FIELDS, ...PROMPT_FIELDS],
  preference_head: [...HEAD_FORM_FIELDS, "revision", "max_length", "pooling", "train_on"],
};

/** Config fields that have their own input in the form (server errors land on them). */
const FORM_CONFIG_FIELDS = new Set([
  ...LOCAL_FIELDS,
  ...API_FIELDS,
  ...HEAD_FORM_FIELDS,
  "head",
  "system_prompt",
  "position_swap",
  "rationale",
]);

/** The error key of one rating mapping input, as the server names it ("ratings.q.d.head"). */
export function ratingErrorKey(questionId: string, dimensionId: string, field: keyof RatingMappingValues): string {
  return `ratings.${questionId}.${dimensionId}.${field}`;
}

const text = (value: unknown, fallback = ""): string => (typeof value === "string" ? value : fallback);
const count = (value: unknown, fallback: NumberValue): NumberValue => (typeof value === "number" ? value : fallback);
const oneOf = <T extends string>(options: readonly T[], value: unknown, fallback: T): T =>
  options.includes(value as T) ? (value as T) : fallback;
const record = (value: unknown): Record<string, unknown> => (isRecord(value) ? value : {});

function ratingsFromConfig(value: unknown): RatingMappings {
  return Object.fromEntries(
    Object.entries(record(value)).map(([questionId, dimensions]) => [
      questionId,
      Object.fromEntries(
        Object.entries(record(dimensions)).map(([dimensionId, mapping]) => {
          const { head, low, high } = record(mapping);
          return [dimensionId, { head: count(head, ""), low: count(low, ""), high: count(high, "") }];
        }),
      ),
    ]),
  );
}

/** The form's values for an existing judge. */
export function valuesFromJudge(judge: Judge): JudgeFormValues {
  const config = record(judge.config);
  return {
    name: judge.name,
    kind: judge.kind,
    questions: [...judge.questions],
    model: text(config.model),
    revision: text(config.revision),
    dtype: oneOf(DTYPES, config.dtype, "auto"),
    device: text(config.device, "auto"),
    max_length: count(config.max_length, ""),
    head: count(config.head, 0),
    base_url: text(config.base_url),
    api_key_env: text(config.api_key_env),
    max_concurrency: count(config.max_concurrency, EMPTY_JUDGE.max_concurrency),
    timeout_s: count(config.timeout_s, EMPTY_JUDGE.timeout_s),
    max_retries: count(config.max_retries, EMPTY_JUDGE.max_retries),
    logprobs: oneOf(LOGPROBS, config.logprobs, "auto"),
    system_prompt: text(config.system_prompt),
    position_swap: typeof config.position_swap === "boolean" ? config.position_swap : true,
    rationale: config.rationale === true,
    templates: Object.fromEntries(
      Object.entries(record(config.templates)).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
    ),
    ratings: ratingsFromConfig(config.ratings),
    encoder: text(config.encoder, DEFAULT_ENCODER),
    features: oneOf(HEAD_FEATURES, config.features, EMPTY_JUDGE.features),
    l2: count(config.l2, EMPTY_JUDGE.l2),
    folds: count(config.folds, EMPTY_JUDGE.folds),
    min_pairs: count(config.min_pairs, EMPTY_JUDGE.min_pairs),
    ties: typeof config.ties === "boolean" ? config.ties : true,
  };
}

function numberOrNull(value: NumberValue): number | null {
  if (typeof value === "number") return value;
  return value.trim() === "" ? null : Number(value);
}

/** The chosen questions a reward model can map onto a scale: ratings of each response. */
export function mappedRatingQuestions(chosen: readonly string[], questions: readonly Question[]): RatingQuestion[] {
  return questions.filter(
    (question): question is RatingQuestion =>
      question.kind === "rating" && question.per === "candidate" && chosen.includes(question.id),
  );
}

/**
 * `config.ratings` for the chosen rating questions and their current dimensions. Empty inputs
 * are left out (the server's head is 0; without low and high the scale is fitted), and so is a
 * dimension or question with nothing set.
 */
export function ratingsConfig(values: JudgeFormValues, questions: readonly Question[]) {
  const ratings: Record<string, Record<string, HeadMapping>> = {};
  for (const question of mappedRatingQuestions(values.questions, questions)) {
    const dimensions: Record<string, HeadMapping> = {};
    for (const dimension of question.dimensions) {
      const mapping = values.ratings[question.id]?.[dimension.id];
      if (!mapping) continue;
      const entry: HeadMapping = {};
      for (const field of MAPPING_FIELDS) {
        const parsed = numberOrNull(mapping[field]);
        if (parsed !== null) entry[field] = parsed;
      }
      if (Object.keys(entry).length) dimensions[dimension.id] = entry;
    }
    if (Object.keys(dimensions).length) ratings[question.id] = dimensions;
  }
  return ratings;
}

export interface ConfigContext {
  /** The project's questions, to know which rating mappings apply. */
  questions: readonly Question[];
  /** The saved config, when editing. */
  previous?: unknown;
}

/**
 * The judge's config for the server. Starts from the saved config (when editing) so settings
 * without an input here are kept; then sets every field the form shows for this kind. Empty
 * optional fields are left to the server's defaults; an empty template means the default
 * template.
 */
export function judgeConfig(values: JudgeFormValues, { questions, previous }: ConfigContext): Record<string, unknown> {
  const allowed = CONFIG_FIELDS[values.kind];
  const config: Record<string, unknown> = Object.fromEntries(
    Object.entries(isRecord(previous) ? previous : {}).filter(([key]) => allowed.includes(key)),
  );
  const setNumber = (key: string, value: NumberValue, emptyIsNull = false) => {
    const parsed = numberOrNull(value);
    if (parsed !== null) config[key] = parsed;
    else if (emptyIsNull) config[key] = null;
    else delete config[key];
  };
  const setModel = () => {
    config.model = values.model.trim();
    config.revision = values.revision.trim() || null;
    config.dtype = values.dtype;
    config.device = values.device.trim() || "auto";
    setNumber("max_length", values.max_length, true);
  };
  const setPrompting = () => {
    config.templates = Object.fromEntries(
      Object.entries(values.templates).filter(([, template]) => template.trim() !== ""),
    );
    config.system_prompt = values.system_prompt;
    config.position_swap = values.position_swap;
    config.rationale = values.rationale;
  };
  switch (values.kind) {
    case "reward_model": {
      setModel();
      setNumber("head", values.head);
      const ratings = ratingsConfig(values, questions);
      if (Object.keys(ratings).length) config.ratings = ratings;
      else delete config.ratings;
      break;
    }
    case "local_llm":
      setModel();
      setPrompting();
      break;
    case "api":
      config.base_url = values.base_url.trim();
      config.model = values.model.trim();
      config.api_key_env = values.api_key_env.trim() || null;
      setNumber("max_concurrency", values.max_concurrency);
      setNumber("timeout_s", values.timeout_s);
      setNumber("max_retries", values.max_retries);
      config.logprobs = values.logprobs;
      setPrompting();
      break;
    case "preference_head":
      config.encoder = values.encoder.trim() || DEFAULT_ENCODER;
      config.device = values.device.trim() || "auto";
      config.features = values.features;
      setNumber("l2", values.l2);
      setNumber("folds", values.folds);
      setNumber("min_pairs", values.min_pairs);
      config.ties = values.ties;
      break;
  }
  return config;
}

export function judgeRequest(values: JudgeFormValues, context: ConfigContext): JudgeRequest {
  return {
    name: values.name.trim(),
    kind: values.kind,
    config: judgeConfig(values, context),
    questions: values.questions,
  };
}

export interface JudgeErrors {
  /** Messages by form path: "name", "questions", "model", "templates.rating", … */
  fields: Record<string, string>;
  /** Everything that has no input of its own. */
  other: string[];
}

// The server names the template in its message: "rating template: unknown field {x} …".
const TEMPLATE_MESSAGE = /^(\w+) template: /;
const RATING_INPUT = /^ratings\..+\.(head|low|high)$/;

function addField(errors: JudgeErrors, field: string, lines: string[]) {
  const previous = errors.fields[field];
  errors.fields[field] = [...(previous ? [previous] : []), ...lines].join("\n");
}

function configErrors(errors: JudgeErrors, config: unknown) {
  if (!isRecord(config)) {
    errors.other.push(...flattenErrors(config).map((line) => `Configuration: ${line}`));
    return;
  }
  for (const [path, value] of Object.entries(config)) {
    const lines = flattenErrors(value);
    if (FORM_CONFIG_FIELDS.has(path) || RATING_INPUT.test(path)) {
      addField(errors, path, lines);
    } else if (/^templates\.\w+$/.test(path)) {
      addField(errors, path, lines);
    } else if (path === "templates") {
      for (const line of lines) {
        const kind = TEMPLATE_MESSAGE.exec(line)?.[1];
        if (kind) addField(errors, `templates.${kind}`, [line]);
        else errors.other.push(`Templates: ${line}`);
      }
    } else if (path === "non_field_errors") {
      errors.other.push(...lines.map((line) => `Configuration: ${line}`));
    } else {
      errors.other.push(...lines.map((line) => `Configuration › ${path}: ${line}`));
    }
  }
}

/** Splits a 400 body from creating or changing a judge into field messages and the rest. */
export function judgeErrors(body: unknown): JudgeErrors {
  const errors: JudgeErrors = { fields: {}, other: [] };
  if (!isRecord(body)) return errors;
  const { config, ...rest } = body;
  const split = splitFieldErrors(rest, ["name", "kind", "questions"] as const);
  for (const [field, message] of Object.entries(split.fields)) {
    if (message) errors.fields[field] = message;
  }
  errors.other.push(...split.other);
  if (config !== undefined) configErrors(errors, config);
  return errors;
}
