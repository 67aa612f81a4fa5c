import { useComputedColorScheme } from "@mantine/core";
import type { EChartsType } from "echarts/core";
import { useEffect, useRef } from "react";
import { createChart, type ChartOption } from "./echarts";

/** What a click on a data element says; the rest of ECharts' event is not needed. */
export interface ChartClick {
  seriesIndex: number;
  dataIndex: number;
  data: unknown;
}

interface EChartProps {
  option: ChartOption;
  height: number;
  /** What the chart shows, for screen readers (the numbers are in the table and CSV beside it). */
  label: string;
  onClick?: (click: ChartClick) => void;
}

// Used while the element has no width yet (hidden, or jsdom).
const FALLBACK_WIDTH = 640;

/**
 * An ECharts instance bound to a div: created on mount (again when the colour scheme changes),
 * given each new option whole, resized with its container and disposed on unmount.
 */
export function EChart({ option, height, label, onClick }: EChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsType | null>(null);
  const scheme = useComputedColorScheme("light");
  // The instance outlives renders; it calls whichever handler is current.
  const clickHandler = useRef(onClick);
  useEffect(() => {
    clickHandler.current = onClick;
  }, [onClick]);

  useEffect(() => {
    const element = container.current;
    if (!element) {
      return;
    }
    const width = () => element.clientWidth || FALLBACK_WIDTH;
    const instance = createChart(element, scheme, { width: width(), height });
    chart.current = instance;
    instance.on("click", (event) => {
      clickHandler.current?.({
        seriesIndex: event.seriesIndex ?? 0,
        dataIndex: event.dataIndex,
        data: event.data,
      });
    });
    const observer = new ResizeObserver(() => instance.resize({ width: width(), height }));
    observer.observe(element);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, [scheme, height]);

  useEffect(() => {
    // Replaced, not merged: a series or category that went away must not linger.
    chart.current?.setOption({ backgroundColor: "transparent", ...option }, { notMerge: true });
  }, [option, scheme, height]);

  return (
    <div
      ref={container}
      role="img"
      aria-label={label}
      data-testid="chart"
      style={{ width: "100%", height, cursor: onClick ? "pointer" : undefined }}
    />
  );
}
