import { describe, expect, it } from "vitest";
import { makeVersion } from "../testing/fixtures";
import { accuracyChart, accuracyPoints } from "./accuracy-chart";

describe("accuracyPoints", () => {
  it("plots each version's held-out accuracy against the labels it was trained on", () => {
    const points = accuracyPoints([
      makeVersion({ number: 1, labels: 40, cv_accuracy: 0.55 }),
      makeVersion({ number: 2, labels: 90, cv_accuracy: null, cv_log_loss: null, reason: "manual" }),
    ]);
    expect(points.map(({ version, labels, accuracy }) => [version, labels, accuracy])).toEqual([
      [1, 40, 0.55],
      [2, 90, null],
    ]);
    expect(points[0]?.lines.slice(0, 4)).toEqual([
      "Version 1 · 40 labels",
      "Held-out accuracy 55.0% on 44 pairs",
      "Log loss 0.660",
      "48 pairs from 50 items",
    ]);
    expect(points[0]?.lines[4]).toMatch(/^Trained after new labels, /);
    expect(points[1]?.lines[1]).toBe("Held-out accuracy not measured");
    expect(points[1]?.lines[2]).toBe("Log loss —");
    expect(points[1]?.lines[4]).toMatch(/^Trained asked for by hand, /);
  });
});

describe("accuracyChart", () => {
  it("draws nothing without versions", () => {
    expect(accuracyChart([])).toBeNull();
  });

  it("draws a line on a 0–1 axis with unmeasured versions as gaps and chance marked", () => {
    const option = accuracyChart([
      makeVersion({ number: 1, labels: 40, cv_accuracy: 0.55 }),
      makeVersion({ number: 2, labels: 90, cv_accuracy: null }),
      makeVersion({ number: 3, labels: 140, cv_accuracy: 0.7 }),
    ]);
    const series = Array.isArray(option?.series) ? option.series[0] : option?.series;
    expect(series?.type).toBe("line");
    expect(series?.data).toEqual([
      [40, 0.55],
      [90, "-"],
      [140, 0.7],
    ]);
    expect(option?.yAxis).toMatchObject({ min: 0, max: 1 });
    const tooltip = Array.isArray(option?.tooltip) ? option.tooltip[0] : option?.tooltip;
    const formatter = tooltip?.formatter;
    expect(typeof formatter).toBe("function");
    if (typeof formatter === "function") {
      const html = formatter({ dataIndex: 2 } as never, "");
      expect(html).toContain("<b>Version 3 · 140 labels</b>");
      expect(html).toContain("Held-out accuracy 70.0% on 44 pairs");
    }
  });
});
