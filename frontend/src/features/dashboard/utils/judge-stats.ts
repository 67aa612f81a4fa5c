import type { JudgePart, JudgeReport } from "@/api/types";
import type { CsvTable } from "./csv";
import { finite } from "./format";

const estimate = (value: JudgePart["accuracy"] | undefined) => [finite(value?.value), finite(value?.low), finite(value?.high)];

export function judgeStatsCsv(judge: JudgeReport): CsvTable {
  return {
    header: [
      "judge",
      "part",
      "level",
      "judged",
      "compared",
      "accuracy",
      "accuracy_low",
      "accuracy_high",
      "accuracy_without_ties",
      "accuracy_without_ties_low",
      "accuracy_without_ties_high",
      "kappa",
      "spearman",
      "kendall",
      "correlated",
      "ece",
      "flip_rate",
      "first_position",
      "longer_wins",
    ],
    rows: judge.parts.map((part) => [
      judge.name,
      part.key,
      part.level,
      part.judged,
      finite(part.compared),
      ...estimate(part.accuracy),
      ...estimate(part.accuracy_without_ties),
      finite(part.kappa),
      finite(part.spearman),
      finite(part.kendall),
      finite(part.correlated),
      finite(part.calibration?.ece),
      finite(part.flip_rate?.value),
      finite(part.first_position?.value),
      finite(part.longer_wins?.value),
    ]),
  };
}
