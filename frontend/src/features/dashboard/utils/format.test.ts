import { describe, expect, it } from "vitest";
import { fileStem, formatCount, formatEstimate, formatInterval, formatNumber, formatPercent } from "./format";

describe("formatting figures", () => {
  it("shows a dash for undefined figures, never NaN", () => {
    for (const value of [null, undefined, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(formatNumber(value)).toBe("—");
      expect(formatPercent(value)).toBe("—");
      expect(formatCount(value)).toBe("—");
    }
    expect(formatEstimate({ value: null, low: 0.1, high: 0.2, n: 0 })).toBe("—");
    expect(formatEstimate(null)).toBe("—");
  });

  it("rounds numbers, percentages and counts", () => {
    expect(formatNumber(0.41234)).toBe("0.41");
    expect(formatNumber(-0.0001)).toBe("0.00");
    expect(formatPercent(0.6667, 1)).toBe("66.7%");
    expect(formatCount(12345)).toBe("12,345");
  });

  it("adds the interval when it is defined", () => {
    expect(formatEstimate({ value: 0.62, low: 0.41, high: 0.77, n: 40 })).toBe("0.62 [0.41, 0.77]");
    expect(formatEstimate({ value: 0.62, low: null, high: null, n: 1 })).toBe("0.62");
    expect(formatInterval({ value: 0.5, low: 0.25, high: 1, n: 4 }, (bound) => formatPercent(bound))).toBe("[25%, 100%]");
  });

  it("makes safe file names", () => {
    expect(fileStem("Helpfulness v3", "judge/α")).toBe("helpfulness-v3-judge");
    expect(fileStem("../x")).toBe("x");
    expect(fileStem("")).toBe("dashboard");
  });
});
