import type { JudgePart, JudgeReport, MetricEstimate, PartAgreement, Report } from "@/api/types";
import { finite } from "./format";

/** The first part whose alpha is defined: the headline agreement. */
export function firstMeasuredPart(report: Report): PartAgreement | null {
  return report.parts.find((part) => finite(part.alpha.value) !== null) ?? null;
}

/** Why no part has an alpha yet, in a few words. */
export function whyNoAgreement(report: Report): string {
  if (report.parts.length === 0) {
    return "No question here is measured for agreement.";
  }
  if (report.progress.annotations === 0) {
    return "No annotations yet.";
  }
  if (report.annotators.length < 2) {
    return "Agreement needs answers from at least two people.";
  }
  return "No item has two comparable answers yet.";
}

export function firstPairwisePart(report: Report): PartAgreement | null {
  return report.parts.find((part) => part.kind === "pairwise") ?? null;
}

export function judgePart(judge: JudgeReport, key: string): JudgePart | null {
  return judge.parts.find((part) => part.key === key) ?? null;
}

export interface BestJudge {
  judge: JudgeReport;
  part: PartAgreement;
  accuracy: MetricEstimate;
}

/** The judge that agrees most with people's majority on the first pairwise part. */
export function bestJudge(report: Report): BestJudge | null {
  const part = firstPairwisePart(report);
  if (!part) {
    return null;
  }
  let best: BestJudge | null = null;
  for (const judge of report.judges) {
    const accuracy = judgePart(judge, part.key)?.accuracy ?? null;
    const value = finite(accuracy?.value);
    if (accuracy && value !== null && (best === null || value > (finite(best.accuracy.value) ?? -1))) {
      best = { judge, part, accuracy };
    }
  }
  return best;
}

export function whyNoBestJudge(report: Report): string {
  if (!firstPairwisePart(report)) {
    return "The project has no pairwise question.";
  }
  if (report.judges.length === 0) {
    return "No judges in this view.";
  }
  return "No judge has verdicts on items people agree on yet.";
}

/** Parts a judge was compared on with categories (a confusion matrix); ranks and scores have none. */
export function categoricalParts(judge: JudgeReport): JudgePart[] {
  return judge.parts.filter((part) => (part.confusion ?? null) !== null && part.categories.length > 0);
}
