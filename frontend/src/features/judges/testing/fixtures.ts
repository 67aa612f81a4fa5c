import type { ItemPrediction, Judge, JudgeRun, JudgeTemplates, Prediction } from "@/api/types";

export function makeJudge(overrides: Partial<Judge> = {}): Judge {
  return {
    id: 7,
    project: 3,
    name: "skywork",
    kind: "reward_model",
    config: { model: "/models/rm", revision: null, dtype: "auto", device: "auto", max_length: null, head: 0, ratings: {} },
    questions: ["pref"],
    latest_run: null,
    created_at: "2026-11-01T10:00:00Z",
    updated_at: "2026-11-01T10:00:00Z",
    ...overrides,
  };
}

export function makeRun(overrides: Partial<JudgeRun> = {}): JudgeRun {
  return {
    id: 40,
    judge: 7,
    status: "queued",
    scope: { kind: "all" },
    questions: ["pref"],
    total_items: 10,
    done_items: 0,
    failed_items: 0,
    items_per_s: null,
    eta_s: null,
    error: "",
    created_at: "2026-11-02T10:00:00Z",
    started_at: null,
    finished_at: null,
    ...overrides,
  };
}

export function makePrediction(overrides: Partial<Prediction> = {}): Prediction {
  return {
    id: 300,
    run: 40,
    judge: 7,
    item: 12,
    question_id: "pref",
    value: { winner: "a" },
    probability: 0.82,
    details: {},
    swap_inconsistency: null,
    error: "",
    updated_at: "2026-11-02T10:05:00Z",
    ...overrides,
  };
}

export function makeItemPrediction(overrides: Partial<ItemPrediction> = {}): ItemPrediction {
  return { ...makePrediction(), judge_name: "skywork", ...overrides };
}

/** A `judge_run.progress` message as the server sends it on the project channel. */
export function progressEvent(data: Partial<Record<keyof JudgeRun | "run", unknown>>) {
  return {
    type: "judge_run.progress",
    project: 3,
    at: "2026-11-02T10:01:00Z",
    data: {
      run: 40,
      judge: 7,
      status: "running",
      total_items: 10,
      done_items: 0,
      failed_items: 0,
      items_per_s: null,
      eta_s: null,
      error: "",
      started_at: null,
      finished_at: null,
      ...data,
    },
  };
}

/** A `judge.changed` message as the server sends it on the project channel. */
export function judgeChangedEvent(judge: number, action: "created" | "updated" | "deleted") {
  return { type: "judge.changed", project: 3, at: "2026-11-02T10:01:00Z", data: { judge, action } };
}

/** `GET /api/judge-templates/` as the server answers it (shortened templates). */
export function makeJudgeTemplates(): JudgeTemplates {
  const pairwiseFields = ["choices", "prompt", "question", "response_a", "response_b"];
  return {
    templates: {
      pairwise: "Compare:\n{response_a}\n{response_b}\nAnswer with one of: {choices}.",
      rating: "Rate {response} for {dimension}: {choices}.",
      rubric: "Grade {response} on {criterion}: {choices}.",
      rationale: "Explain which of {response_a} and {response_b} is better.",
    },
    template_fields: {
      pairwise: pairwiseFields,
      rating: ["choices", "dimension", "prompt", "question", "response", "scale"],
      rubric: ["choices", "criterion", "prompt", "response", "scale"],
      rationale: pairwiseFields,
    },
  };
}
