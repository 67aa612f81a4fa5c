import type { JudgeKind, Question, QuestionKind } from "@/api/types";

export interface JudgeKindInfo {
  value: JudgeKind;
  label: string;
  description: string;
}

export const JUDGE_KINDS: readonly JudgeKindInfo[] = [
  {
    value: "reward_model",
    label: "Reward model",
    description: "Scores each response with a sequence-classification model on the workers.",
  },
  {
    value: "local_llm",
    label: "Local LLM",
    description: "A causal language model on the workers; verdicts from the probabilities of the answer tokens.",
  },
  {
    value: "api",
    label: "API",
    description: "Any OpenAI-compatible chat-completions endpoint.",
  },
  {
    value: "preference_head",
    label: "Trained preference head",
    description:
      "A small model trained on the project's own pairwise labels over sentence embeddings; retrained as people label (see Active learning).",
  },
];

export function kindLabel(kind: string): string {
  return JUDGE_KINDS.find((info) => info.value === kind)?.label ?? kind;
}

/** Question kinds each judge kind can answer, as the server checks them. */
const ANSWERABLE: Record<JudgeKind, readonly QuestionKind[]> = {
  reward_model: ["pairwise", "ranking", "rating"],
  local_llm: ["pairwise", "ranking", "rating", "rubric"],
  api: ["pairwise", "ranking", "rating", "rubric"],
  preference_head: ["pairwise", "ranking"],
};

/** Why a judge of `kind` cannot answer `question`, or null when it can. */
export function questionProblem(kind: JudgeKind, question: Question): string | null {
  if (!ANSWERABLE[kind].includes(question.kind)) {
    return `${kindLabel(kind)} judges cannot answer ${question.kind} questions`;
  }
  if (question.kind === "rating" && question.per === "item") {
    return "judges rate each response; this rating is per item";
  }
  return null;
}

export function answerableQuestions(kind: JudgeKind, questions: readonly Question[]): Question[] {
  return questions.filter((question) => questionProblem(kind, question) === null);
}
