import type { Question } from "@/api/types";

function range(min: number | undefined, max: number | undefined): string {
  return `${min ?? 1}–${max ?? 5}`;
}

/** A one-line, human summary of a question's kind-specific settings. */
export function describeQuestion(question: Question): string {
  switch (question.kind) {
    case "pairwise": {
      const parts = [question.tie === false ? "no tie" : "tie allowed"];
      if (question.strength?.length) parts.push(`strength: ${question.strength.join(" / ")}`);
      if (question.both_bad) parts.push("both bad");
      if (question.pairs === "sampled") parts.push("one sampled pair");
      return parts.join(" · ");
    }
    case "ranking":
      return question.ties === false ? "strict order" : "ties allowed";
    case "rating": {
      const dims = question.dimensions.map((d) => `${d.id} ${range(d.min, d.max)}`);
      return `per ${question.per ?? "candidate"} · ${dims.join(", ")}`;
    }
    case "rubric": {
      const parts = [`${question.criteria?.length ?? 0} criteria`];
      if (question.item_criteria) parts.push("plus each item's own");
      return parts.join(" · ");
    }
    case "labels":
      return `${question.options.join(", ")} · ${question.multiple ? "several" : "one"} per ${question.per ?? "item"}`;
    case "text":
      return `up to ${question.max_length ?? 10000} characters`;
  }
}
