import { describe, expect, it } from "vitest";
import { biasRows } from "../charts/bias-chart";
import { calibrationBins } from "../charts/calibration-chart";
import { kappaChart } from "../charts/kappa-chart";
import { estimate, makeJudgeReport, makePart, makeReport } from "../testing/fixtures";
import { bestJudge, firstMeasuredPart, whyNoAgreement } from "./report";

describe("report figures", () => {
  it("takes the first part with an alpha as the headline", () => {
    const report = makeReport({
      parts: [makePart({ key: "pref", alpha: estimate(null) }), makePart({ key: "quality.helpful", kind: "rating", level: "interval" })],
    });
    expect(firstMeasuredPart(report)?.key).toBe("quality.helpful");
    expect(firstMeasuredPart(makeReport({ parts: [makePart({ alpha: estimate(null) })] }))).toBeNull();
  });

  it("picks the judge with the highest accuracy on the first pairwise part", () => {
    const weak = makeJudgeReport({ judge: 8, name: "weak" });
    const strong = makeJudgeReport({ judge: 9, name: "strong" });
    const [part] = strong.parts;
    if (part) strong.parts = [{ ...part, accuracy: estimate(0.9, 0.8, 1) }];
    const silent = makeJudgeReport({ judge: 10, name: "silent", parts: [] });
    expect(bestJudge(makeReport({ judges: [weak, silent, strong] }))?.judge.name).toBe("strong");
    expect(bestJudge(makeReport({ judges: [silent] }))).toBeNull();
  });

  it("says why there is no agreement yet", () => {
    expect(whyNoAgreement(makeReport({ parts: [] }))).toBe("No question here is measured for agreement.");
    expect(whyNoAgreement(makeReport({ progress: { items: 3, items_done: 0, annotations: 0, annotators: 0 } }))).toBe("No annotations yet.");
  });

  it("draws calibration only for bins with predictions", () => {
    const calibration = makeJudgeReport().parts[0]?.calibration;
    expect(calibration && calibrationBins(calibration)).toEqual([
      { from: 0, to: 0.25, predicted: 0.1, observed: 0, count: 2 },
      { from: 0.5, to: 0.75, predicted: 0.7, observed: 0.5, count: 2 },
      { from: 0.75, to: 1, predicted: 0.9, observed: 1, count: 2 },
    ]);
  });

  it("lays pairwise kappa out per ordered pair of people", () => {
    const report = makeReport();
    const chart = kappaChart(report.parts[0] ?? null, report.annotators);
    expect(chart.option).not.toBeNull();
    expect(chart.cells).toHaveLength(9);
    expect(chart.csv.rows[0]).toEqual(["ana", "bo", 0.8, 6]);
    expect(kappaChart(report.parts[0] ?? null, report.annotators.slice(0, 1)).option).toBeNull();
  });

  it("lists people's and each judge's position and length bias", () => {
    expect(biasRows(makeReport(), "pref").map((row) => [row.label, row.value])).toEqual([
      ["People · first shown wins", 0.53],
      ["People · longer wins", 0.53],
      ["skywork · flip rate", 0.33],
      ["skywork · first position", 0.75],
      ["skywork · longer wins", 0.5],
    ]);
  });
});
