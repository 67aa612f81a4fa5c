import { describe, expect, it } from "vitest";
import { ALL_KINDS } from "@/features/items/testing/fixtures";
import { makeJudge } from "../testing/fixtures";
import {
  EMPTY_JUDGE,
  EMPTY_MAPPING,
  judgeErrors,
  judgeRequest,
  valuesFromJudge,
  type JudgeFormValues,
} from "./judge-form";

const values = (overrides: Partial<JudgeFormValues>): JudgeFormValues => ({ ...EMPTY_JUDGE, ...overrides });
const context = { questions: ALL_KINDS };

describe("judgeRequest", () => {
  it("sends a reward model's model settings and head, leaving empty fields to the server", () => {
    expect(
      judgeRequest(values({ name: " rm ", questions: ["pref"], model: " /models/rm ", device: "cpu", head: 1 }), context),
    ).toEqual({
      name: "rm",
      kind: "reward_model",
      questions: ["pref"],
      config: { model: "/models/rm", revision: null, dtype: "auto", device: "cpu", max_length: null, head: 1 },
    });
  });

  it("sends an API judge's endpoint, the key's variable name and only the templates that were changed", () => {
    const body = judgeRequest(
      values({
        kind: "api",
        name: "gpt",
        questions: ["pref", "rubric"],
        base_url: "https://api.example/v1",
        model: "gpt-x",
        api_key_env: "OPENAI_API_KEY",
        max_concurrency: "",
        system_prompt: "Be strict.",
        position_swap: false,
        rationale: true,
        templates: { pairwise: "Which? {response_a} {response_b}", rating: "   ", rubric: "", rationale: "Why? {prompt}" },
      }),
      context,
    );
    expect(body.config).toEqual({
      base_url: "https://api.example/v1",
      model: "gpt-x",
      api_key_env: "OPENAI_API_KEY",
      timeout_s: 60,
      max_retries: 5,
      logprobs: "auto",
      templates: { pairwise: "Which? {response_a} {response_b}", rationale: "Why? {prompt}" },
      system_prompt: "Be strict.",
      position_swap: false,
      rationale: true,
    });
    expect(JSON.stringify(body)).not.toMatch(/api_key"/);
  });

  it("keeps saved settings the form has no field for, but none that the kind doesn't take", () => {
    const judge = makeJudge({ config: { model: "/m", head: 0, future: { x: 1 }, templates: {} } });
    const body = judgeRequest({ ...valuesFromJudge(judge), model: "/m2" }, { ...context, previous: judge.config });
    expect(body.config).toEqual({
      model: "/m2",
      revision: null,
      dtype: "auto",
      device: "auto",
      max_length: null,
      head: 0,
    });
  });

  it("sends a reward model's rating mappings for the chosen rating questions, leaving out empty ones", () => {
    const body = judgeRequest(
      values({
        model: "/m",
        questions: ["pref", "quality"],
        ratings: {
          quality: {
            helpfulness: { head: 1, low: -2.5, high: "" },
            safety: { ...EMPTY_MAPPING },
            gone: { head: 3, low: "", high: "" },
          },
          // Not a chosen question: kept in the form, not sent.
          other: { helpfulness: { head: 2, low: "", high: "" } },
        },
      }),
      context,
    );
    expect(body.config).toMatchObject({ ratings: { quality: { helpfulness: { head: 1, low: -2.5 } } } });

    const empty = judgeRequest(
      values({ model: "/m", questions: ["quality"], ratings: { quality: { safety: { ...EMPTY_MAPPING } } } }),
      { ...context, previous: { ratings: { quality: { safety: { head: 4 } } } } },
    );
    // Emptying every input drops the saved mapping too.
    expect(empty.config).not.toHaveProperty("ratings");
  });

  it("reads a reward model's saved rating mappings back into the form", () => {
    const judge = makeJudge({
      questions: ["pref", "quality"],
      config: { model: "/m", head: 0, ratings: { quality: { helpfulness: { head: 1, low: -2, high: null } } } },
    });
    expect(valuesFromJudge(judge).ratings).toEqual({ quality: { helpfulness: { head: 1, low: -2, high: "" } } });
    expect(judgeRequest(valuesFromJudge(judge), { ...context, previous: judge.config }).config).toMatchObject({
      ratings: { quality: { helpfulness: { head: 1, low: -2 } } },
    });
  });

  it("reads a saved LLM judge back into the form", () => {
    const judge = makeJudge({
      kind: "local_llm",
      config: {
        model: "/llm",
        max_length: 4096,
        templates: { rating: "Rate {response}", rationale: "Why {prompt}" },
        position_swap: false,
        rationale: true,
      },
    });
    expect(valuesFromJudge(judge)).toMatchObject({
      kind: "local_llm",
      model: "/llm",
      max_length: 4096,
      position_swap: false,
      rationale: true,
      templates: { rating: "Rate {response}", rationale: "Why {prompt}" },
    });
    expect(valuesFromJudge(makeJudge({ kind: "api", config: {} })).rationale).toBe(false);
  });

  it("sends a preference head's encoder and fitting settings, and nothing of other kinds", () => {
    expect(
      judgeRequest(
        values({ kind: "preference_head", name: "head", questions: ["pref"], model: "/ignored", encoder: "  ", l2: 0.5, folds: "" }),
        context,
      ),
    ).toEqual({
      name: "head",
      kind: "preference_head",
      questions: ["pref"],
      // An empty encoder means the default one; an empty number is left to the server.
      config: { encoder: "all-MiniLM-L6-v2", device: "auto", features: "candidate_prompt", l2: 0.5, min_pairs: 10, ties: true },
    });
  });

  it("reads a saved preference head back, keeping the settings the form has no input for", () => {
    const config = {
      encoder: "/models/e5",
      revision: null,
      device: "cpu",
      max_length: 256,
      pooling: "cls",
      features: "candidate",
      l2: 2,
      ties: false,
      folds: 3,
      min_pairs: 40,
      train_on: ["pref", "quality"],
    };
    const judge = makeJudge({ kind: "preference_head", config });
    expect(valuesFromJudge(judge)).toMatchObject({
      kind: "preference_head",
      encoder: "/models/e5",
      device: "cpu",
      features: "candidate",
      l2: 2,
      folds: 3,
      min_pairs: 40,
      ties: false,
    });
    expect(judgeRequest({ ...valuesFromJudge(judge), min_pairs: 20 }, { ...context, previous: config }).config).toEqual({
      ...config,
      min_pairs: 20,
    });
  });
});

describe("judgeErrors", () => {
  it("puts config and question errors on their fields and keeps the rest for an alert", () => {
    expect(
      judgeErrors({
        name: ["A judge with this name already exists in the project."],
        questions: ["'why': a reward_model judge cannot answer text questions."],
        config: {
          model: ["Field required"],
          templates: ["rating template: unknown field {x}; allowed: {prompt}", "no template kind 'x'; use pairwise"],
          "templates.rubric": ["Input should be a valid string"],
          rationale: ["Input should be a valid boolean"],
          "ratings.quality.helpfulness.head": ["Input should be greater than or equal to 0"],
          "ratings.quality": ["Input should be a valid dictionary"],
        },
        scope: ["odd"],
      }),
    ).toEqual({
      fields: {
        name: "A judge with this name already exists in the project.",
        questions: "'why': a reward_model judge cannot answer text questions.",
        model: "Field required",
        "templates.rating": "rating template: unknown field {x}; allowed: {prompt}",
        "templates.rubric": "Input should be a valid string",
        rationale: "Input should be a valid boolean",
        "ratings.quality.helpfulness.head": "Input should be greater than or equal to 0",
      },
      other: [
        "scope: odd",
        "Templates: no template kind 'x'; use pairwise",
        "Configuration › ratings.quality: Input should be a valid dictionary",
      ],
    });
  });
});
