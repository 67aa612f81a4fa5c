import type { NextItem, Suggestions } from "@/api/types";
import { describeVerdict, formatProbability } from "@/features/judges/utils/verdicts";
import { responseLetter, targetLabel } from "./candidates";

/** Only the letter of a response, as the pairwise buttons say ("A is better"); "Item" for the whole item. */
function shortName(candidateIds: readonly string[]) {
  return (key: string) => {
    const index = candidateIds.indexOf(key);
    return index >= 0 ? responseLetter(index) : targetLabel(key, candidateIds);
  };
}

/**
 * Judges' suggestions for the item on screen as sentences per question id, naming responses by
 * the letters shown here ("Judge X suggests B is better (82%)"); canonical ids never show. Empty
 * when the project doesn't show suggestions.
 */
export function suggestionLines(data: Suggestions | undefined, next: NextItem): Record<string, string[]> {
  const lines: Record<string, string[]> = {};
  if (!data?.enabled) return lines;
  const candidateIds = next.candidates.map((candidate) => candidate.id);
  for (const suggestion of data.suggestions) {
    const question = next.questions.find((entry) => entry.id === suggestion.question_id);
    if (!question) continue;
    const verdict = describeVerdict(question, suggestion.value, {
      name: shortName(candidateIds),
      order: candidateIds,
      itemRubric: next.item.rubric,
    });
    if (verdict === null) continue;
    const probability = formatProbability(suggestion.probability);
    const line = `${suggestion.judge_name} suggests ${verdict}${probability ? ` (${probability})` : ""}`;
    (lines[question.id] ??= []).push(line);
  }
  return lines;
}
