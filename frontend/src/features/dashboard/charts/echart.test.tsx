import { MantineProvider } from "@mantine/core";
import { render } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { EChart } from "./echart";
import type { ChartOption } from "./echarts";

const fake = vi.hoisted(() => ({
  instances: [] as {
    element: HTMLElement;
    theme: string;
    size: { width: number; height: number };
    setOption: ReturnType<typeof vi.fn>;
    resize: ReturnType<typeof vi.fn>;
    dispose: ReturnType<typeof vi.fn>;
    handlers: Map<string, (event: unknown) => void>;
  }[],
}));

vi.mock("./echarts", () => ({
  createChart: (element: HTMLElement, theme: string, size: { width: number; height: number }) => {
    const handlers = new Map<string, (event: unknown) => void>();
    const instance = {
      element,
      theme,
      size,
      setOption: vi.fn(),
      resize: vi.fn(),
      dispose: vi.fn(),
      handlers,
      on: (name: string, handler: (event: unknown) => void) => handlers.set(name, handler),
    };
    fake.instances.push(instance);
    return instance;
  },
}));

let resizeCallbacks: (() => void)[] = [];
class ResizeObserverSpy {
  constructor(callback: () => void) {
    resizeCallbacks.push(callback);
  }
  observe() {}
  disconnect = vi.fn();
}

const first: ChartOption = { series: [{ type: "bar", data: [1] }] };
const second: ChartOption = { series: [{ type: "bar", data: [2] }] };

function renderChart(props: Partial<Parameters<typeof EChart>[0]> = {}) {
  const ui = (extra: Partial<Parameters<typeof EChart>[0]>) => (
    <MantineProvider>
      <EChart option={first} height={240} label="Agreement" {...props} {...extra} />
    </MantineProvider>
  );
  const result = render(ui({}));
  return { ...result, update: (extra: Partial<Parameters<typeof EChart>[0]>) => result.rerender(ui(extra)) };
}

describe("EChart", () => {
  beforeEach(() => {
    fake.instances = [];
    resizeCallbacks = [];
    vi.stubGlobal("ResizeObserver", ResizeObserverSpy);
  });

  it("creates one SVG chart on mount and gives it each new option whole", () => {
    const { update, getByRole } = renderChart();
    expect(getByRole("img", { name: "Agreement" })).toHaveStyle({ height: "240px" });
    expect(fake.instances).toHaveLength(1);
    const [chart] = fake.instances;
    expect(chart?.theme).toBe("light");
    expect(chart?.size).toEqual({ width: 640, height: 240 });
    expect(chart?.setOption).toHaveBeenLastCalledWith({ backgroundColor: "transparent", ...first }, { notMerge: true });

    update({ option: second });
    expect(fake.instances).toHaveLength(1);
    expect(chart?.setOption).toHaveBeenLastCalledWith({ backgroundColor: "transparent", ...second }, { notMerge: true });
  });

  it("follows its container's size and is disposed on unmount", () => {
    const { unmount } = renderChart();
    const [chart] = fake.instances;
    resizeCallbacks.forEach((callback) => callback());
    expect(chart?.resize).toHaveBeenCalledWith({ width: 640, height: 240 });
    unmount();
    expect(chart?.dispose).toHaveBeenCalledTimes(1);
  });

  it("passes clicks on data to the current handler", () => {
    const onClick = vi.fn();
    const later = vi.fn();
    const { update } = renderChart({ onClick });
    const click = fake.instances[0]?.handlers.get("click");
    click?.({ seriesIndex: 1, dataIndex: 3, data: [1, 2] });
    expect(onClick).toHaveBeenCalledWith({ seriesIndex: 1, dataIndex: 3, data: [1, 2] });

    update({ onClick: later });
    click?.({ dataIndex: 0, data: 5 });
    expect(later).toHaveBeenCalledWith({ seriesIndex: 0, dataIndex: 0, data: 5 });
    expect(fake.instances).toHaveLength(1);
  });
});
