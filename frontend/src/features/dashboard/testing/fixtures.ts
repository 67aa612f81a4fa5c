import type { AnnotatorRow, JudgeReport, MetricEstimate, MetricsResponse, PartAgreement, Report } from "@/api/types";

export function estimate(value: number | null, low: number | null = null, high: number | null = null, n = 6): MetricEstimate {
  return { value, low, high, n };
}

export function makePart(overrides: Partial<PartAgreement> = {}): PartAgreement {
  return {
    question: "pref",
    key: "pref",
    label: "pref",
    kind: "pairwise",
    level: "nominal",
    categories: ["first", "second", "tie"],
    units: 6,
    values: 18,
    alpha: estimate(0.4123, 0.21, 0.63),
    fleiss_kappa: estimate(0.39, 0.18, 0.6),
    raw_agreement: estimate(0.72, 0.6, 0.84),
    cohen_kappa: {
      kappa: [
        [null, 0.8, 0.1],
        [0.8, null, -0.3],
        [0.1, -0.3, null],
      ],
      overlap: [
        [6, 6, 5],
        [6, 6, 5],
        [5, 5, 5],
      ],
    },
    ...overrides,
  };
}

export function makeAnnotator(overrides: Partial<AnnotatorRow> = {}): AnnotatorRow {
  return {
    id: 11,
    username: "ana",
    annotations: 6,
    items_per_hour: 120,
    median_seconds: 30,
    consensus_agreement: 0.9,
    consensus_compared: 6,
    gold_answered: 0,
    gold_accuracy: null,
    reliability: 0.95,
    self_agreement: estimate(null, null, null, 0),
    triads: 0,
    cyclic_triads: 0,
    ...overrides,
  };
}

export function makeJudgeReport(overrides: Partial<JudgeReport> = {}): JudgeReport {
  return {
    judge: 7,
    name: "skywork",
    kind: "reward_model",
    predictions: 6,
    parts: [
      {
        question: "pref",
        key: "pref",
        label: "pref",
        level: "nominal",
        categories: ["first", "second", "tie"],
        judged: 6,
        compared: 6,
        accuracy: estimate(0.6667, 0.3333, 1),
        accuracy_without_ties: estimate(0.8, 0.42, 1, 5),
        kappa: 0.43,
        confusion: [
          [2, 1, 0],
          [0, 2, 0],
          [1, 0, 0],
        ],
        spearman: null,
        kendall: null,
        correlated: null,
        calibration: {
          edges: [0, 0.25, 0.5, 0.75, 1],
          predicted: [0.1, null, 0.7, 0.9],
          observed: [0, null, 0.5, 1],
          count: [2, 0, 2, 2],
          ece: 0.2333,
        },
        flip_rate: estimate(0.33, 0, 0.67),
        first_position: estimate(0.75, 0.6, 0.9),
        longer_wins: estimate(0.5, 0.17, 0.83),
      },
    ],
    leaderboards: [
      {
        question: "pref",
        source: "judge",
        models: ["big", "small"],
        scores: [0.3, -0.3],
        low: [-0.2, -0.8],
        high: [0.8, 0.2],
        comparisons: [6, 6],
        tie_parameter: 0.01,
        win_rate: [
          [null, 0.6],
          [0.4, null],
        ],
        counts: [
          [0, 6],
          [6, 0],
        ],
        rank_correlation: { spearman: 1, kendall: 1, n: 2 },
        judge: null,
        judge_name: null,
      },
    ],
    ...overrides,
  };
}

/** Three people and one judge on a pairwise question, shaped like the server's report. */
export function makeReport(overrides: Partial<Report> = {}): Report {
  return {
    progress: { items: 10, items_done: 4, annotations: 18, annotators: 3 },
    annotators_count: 3,
    parts: [makePart()],
    annotators: [
      makeAnnotator({ id: 11, username: "ana", annotations: 6, consensus_agreement: 0.9, items_per_hour: 120 }),
      makeAnnotator({ id: 12, username: "bo", annotations: 9, consensus_agreement: null, consensus_compared: 0, items_per_hour: 45.25 }),
      makeAnnotator({ id: 13, username: "cy", annotations: 3, consensus_agreement: 0.5, items_per_hour: null }),
    ],
    leaderboards: [
      {
        question: "pref",
        source: "people",
        models: ["big", "small"],
        scores: [0.07, -0.07],
        low: [-0.5, -0.84],
        high: [0.84, 0.5],
        comparisons: [18, 18],
        tie_parameter: 0.4,
        win_rate: [
          [null, 0.53],
          [0.47, null],
        ],
        counts: [
          [0, 18],
          [18, 0],
        ],
        rank_correlation: null,
        judge: null,
        judge_name: null,
      },
    ],
    bias: [
      {
        question: "pref",
        source: "people",
        longer_wins: estimate(0.53, 0.27, 0.84, 15),
        first_shown_wins: estimate(0.53, 0.27, 0.84, 15),
      },
    ],
    judges: [makeJudgeReport()],
    ...overrides,
  };
}

export function makeMetrics(overrides: Partial<MetricsResponse> = {}): MetricsResponse {
  return {
    status: "ready",
    computed_at: "2026-11-02T10:00:00Z",
    duration_ms: 420,
    scope: {},
    error: "",
    report: makeReport(),
    ...overrides,
  };
}

/** A `metrics.updated` message as the server sends it on the project channel. */
export function metricsUpdatedEvent(scopeKey = "") {
  return {
    type: "metrics.updated",
    project: 3,
    at: "2026-11-02T10:01:00Z",
    data: { scope_key: scopeKey, computed_at: "2026-11-02T10:01:00Z", duration_ms: 310 },
  };
}
