/**
 * The one place ECharts is configured: only the charts and components the dashboard draws are
 * registered, so the bundle leaves the rest out, and everything renders to SVG.
 */
import { BarChart, CustomChart, HeatmapChart, LineChart, ScatterChart } from "echarts/charts";
import type {
  BarSeriesOption,
  CustomSeriesOption,
  HeatmapSeriesOption,
  LineSeriesOption,
  ScatterSeriesOption,
} from "echarts/charts";
import {
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
} from "echarts/components";
import type {
  GridComponentOption,
  LegendComponentOption,
  MarkLineComponentOption,
  TitleComponentOption,
  TooltipComponentOption,
  VisualMapComponentOption,
} from "echarts/components";
import { init, use as register, type ComposeOption, type EChartsType } from "echarts/core";
import { SVGRenderer } from "echarts/renderers";

register([
  BarChart,
  CustomChart,
  HeatmapChart,
  LineChart,
  ScatterChart,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
  SVGRenderer,
]);

export type ChartOption = ComposeOption<
  | BarSeriesOption
  | CustomSeriesOption
  | HeatmapSeriesOption
  | LineSeriesOption
  | ScatterSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | MarkLineComponentOption
  | TitleComponentOption
  | TooltipComponentOption
  | VisualMapComponentOption
>;

export type ChartTheme = "light" | "dark";

export function createChart(element: HTMLElement, theme: ChartTheme, size: { width: number; height: number }): EChartsType {
  return init(element, theme, { renderer: "svg", ...size });
}

const TITLE_HEIGHT = 32;

/**
 * The option with `title` on top, for an exported image that has no page around it to name it.
 * Charts that carry their own title keep it; `extra` is the height the title needs.
 */
export function titled(option: ChartOption, title: string): { option: ChartOption; extra: number } {
  const { grid } = option;
  if (option.title || Array.isArray(grid)) {
    return { option, extra: 0 };
  }
  const top = typeof grid?.top === "number" ? grid.top : 60;
  return {
    option: {
      ...option,
      title: { text: title, left: "center", top: 4, textStyle: { fontSize: 14 } },
      grid: { ...grid, top: top + TITLE_HEIGHT },
    },
    extra: TITLE_HEIGHT,
  };
}

/**
 * The chart drawn off screen, light and without animation, as an SVG document: exports look the
 * same whatever the viewer's colour scheme and wherever an animation stood.
 */
export function renderSvg(option: ChartOption, size: { width: number; height: number }): string {
  const chart = init(null, "light", { renderer: "svg", ssr: true, ...size });
  try {
    chart.setOption({ ...option, animation: false, backgroundColor: "#ffffff" });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}
