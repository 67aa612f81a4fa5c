import { describe, expect, it, vi } from "vitest";
import { svgSize } from "../utils/png";
import { agreementOption } from "./agreement-chart";
import { renderSvg, titled } from "./echarts";
import { makePart } from "../testing/fixtures";

describe("chart export", () => {
  it("names an untitled chart and makes room for the name", () => {
    const option = agreementOption([makePart()]);
    const { option: exported, extra } = titled(option, "Agreement per part");
    expect(extra).toBe(32);
    expect(exported.title).toMatchObject({ text: "Agreement per part" });
    expect(exported.grid).toMatchObject({ top: 56, left: 48 });
    // A chart with a title of its own keeps it.
    expect(titled({ ...option, title: { text: "ECE 0.1" } }, "Reliability").extra).toBe(0);
  });

  it("renders an SVG document of the requested size off screen", () => {
    // ECharts measures text on a canvas, which jsdom lacks; it estimates without one.
    vi.spyOn(HTMLCanvasElement.prototype, "getContext").mockReturnValue(null);
    const { option } = titled(agreementOption([makePart({ key: "pref & <b>" })]), "Agreement");
    const svg = renderSvg(option, { width: 500, height: 300 });
    expect(svgSize(svg)).toEqual({ width: 500, height: 300 });
    expect(svg).toContain("Agreement");
    expect(svg).toContain("pref &amp; &lt;b&gt;");
  });
});
