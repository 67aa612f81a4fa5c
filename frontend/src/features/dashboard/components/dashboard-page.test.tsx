import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { getInstanceByDom } from "echarts/core";
import { useLocation } from "react-router";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { MetricsResponse } from "@/api/types";
import { DashboardRoute } from "@/app/routes/dashboard";
import { makeFullProject } from "@/features/items/testing/fixtures";
import { pickOption } from "@/features/items/testing/combobox";
import { describeEvent, parseProjectEvent } from "@/features/projects/utils/events";
import { FakeWebSocket } from "@/testing/fake-websocket";
import { jsonResponse, mockFetch, renderWithProviders, type RecordedRequest } from "@/testing/render";
import { makeAnnotator, makeMetrics, makePart, makeReport, metricsUpdatedEvent } from "../testing/fixtures";

vi.setConfig({ testTimeout: 20_000 });

const METRICS = "/api/projects/3/metrics/";

/** A backend whose metrics answer is `metrics()` at the time of each request. */
function backend(metrics: () => MetricsResponse, handler: (request: RecordedRequest) => Response | undefined = () => undefined) {
  return mockFetch((request) => {
    const answer = handler(request);
    if (answer) return answer;
    if (request.url === "/api/projects/3/") return jsonResponse(makeFullProject({ role: "manager" }));
    if (request.url.startsWith(METRICS) && !request.url.startsWith(`${METRICS}items/`)) {
      const body = metrics();
      return jsonResponse(body, body.report ? 200 : 202);
    }
    return jsonResponse({ detail: "Not found." }, 404);
  });
}

function Location() {
  const location = useLocation();
  return <output data-testid="location">{location.search}</output>;
}

function renderPage(route = "/projects/3/dashboard") {
  return renderWithProviders(
    <>
      <DashboardRoute />
      <Location />
    </>,
    { route, path: "/projects/:id/dashboard" },
  );
}

const metricsRequests = (requests: RecordedRequest[]) =>
  requests.filter((request) => request.url.startsWith(METRICS) && !request.url.startsWith(`${METRICS}items/`));

const headline = (name: string) => screen.getByTestId(`headline-${name}`);
const usernames = () => screen.getAllByTestId("annotator-row").map((row) => row.querySelector("td")?.textContent);

describe("Dashboard page", () => {
  beforeEach(() => {
    FakeWebSocket.reset();
    vi.stubGlobal("WebSocket", FakeWebSocket);
    // ECharts measures text on a canvas, which jsdom lacks; it estimates without one.
    vi.spyOn(HTMLCanvasElement.prototype, "getContext").mockReturnValue(null);
  });

  it("shows the headline figures, the charts and the tables", async () => {
    backend(() => makeMetrics());
    renderPage();

    await screen.findByTestId("headline-agreement");
    expect(within(headline("agreement")).getByTestId("headline-value")).toHaveTextContent("0.41");
    expect(headline("agreement")).toHaveTextContent("pref · 95% CI [0.21, 0.63] · 6 units");
    expect(within(headline("judge")).getByTestId("headline-value")).toHaveTextContent("66.7%");
    expect(headline("judge")).toHaveTextContent("skywork on pref · 95% CI [33%, 100%]");
    expect(within(headline("progress")).getByTestId("headline-value")).toHaveTextContent("4 / 10 items done (40%)");
    expect(screen.getByTestId("annotation-count")).toHaveTextContent("18");
    expect(screen.getByTestId("annotator-count")).toHaveTextContent("3");
    expect(screen.getByTestId("metrics-status")).toHaveTextContent("up to date");

    const agreement = screen.getByRole("table", { name: "Agreement per part" });
    expect(within(agreement).getByTestId("agreement-row")).toHaveTextContent("0.41 [0.21, 0.63]0.39 [0.18, 0.60]0.72 [0.60, 0.84]");
    for (const name of ["Agreement per part", "Pairwise Cohen's κ", "Confusion matrix · pref", "Position and length bias", "People", "Judge · skywork"]) {
      const section = screen.getByRole("region", { name });
      expect(within(section).getByRole("img", { name })).toBeInTheDocument();
      expect(within(section).getByRole("button", { name: `Download ${name} as PNG` })).toBeInTheDocument();
      expect(within(section).getByRole("button", { name: `Download ${name} as CSV` })).toBeInTheDocument();
    }
    expect(screen.getByRole("region", { name: /^Reliability curve · pref · ECE 0.233/ })).toBeInTheDocument();
    // ECharts drew into the chart elements.
    expect(screen.getAllByTestId("chart")[0]?.querySelector("svg")).not.toBeNull();
    const correlation = screen.getAllByTestId("leaderboard-source");
    expect(correlation[1]).toHaveTextContent("skywork21.001.000.01");
    expect(screen.getByRole("button", { name: "Download Annotators as CSV" })).toBeInTheDocument();
    expect(document.body.textContent).not.toContain("NaN");
  });

  it("sorts the annotator table by each column, undefined figures last", async () => {
    backend(() => makeMetrics());
    renderPage();
    await screen.findByRole("table", { name: "Annotators" });
    expect(usernames()).toEqual(["bo", "ana", "cy"]);
    const header = (name: string) => screen.getByRole("button", { name: new RegExp(`^${name}`) });

    await userEvent.click(header("Items / hour"));
    expect(usernames()).toEqual(["ana", "bo", "cy"]);
    expect(screen.getByRole("columnheader", { name: /Items \/ hour/ })).toHaveAttribute("aria-sort", "descending");
    await userEvent.click(header("Items / hour"));
    expect(usernames()).toEqual(["bo", "ana", "cy"]);
    expect(screen.getByRole("columnheader", { name: /Items \/ hour/ })).toHaveAttribute("aria-sort", "ascending");

    await userEvent.click(header("Consensus"));
    expect(usernames()).toEqual(["ana", "cy", "bo"]);
    await userEvent.click(header("Annotator"));
    expect(usernames()).toEqual(["ana", "bo", "cy"]);

    const cells = [...(screen.getAllByTestId("annotator-row")[1]?.querySelectorAll("td") ?? [])].map((cell) => cell.textContent);
    expect(cells.slice(0, 5)).toEqual(["bo", "9", "45.3", "30.0 s", "— of 0"]);
  });

  it("puts the filters into the URL and the API query", async () => {
    const { requests } = backend(() => makeMetrics());
    renderPage("/projects/3/dashboard?judge=7&meta=lang:en&annotator=bogus");
    await screen.findByTestId("headline-agreement");
    expect(metricsRequests(requests)[0]?.url).toBe(`${METRICS}?judge=7&meta=lang%3Aen`);

    await pickOption(screen.getByRole("textbox", { name: "Annotators" }), "bo");
    await waitFor(() => expect(screen.getByTestId("location")).toHaveTextContent("?annotator=12&judge=7&meta=lang%3Aen"));
    fireEvent.change(screen.getByLabelText("From"), { target: { value: "2026-11-01" } });
    fireEvent.change(screen.getByLabelText("To"), { target: { value: "2026-11-30" } });
    await userEvent.type(screen.getByRole("textbox", { name: "Item metadata" }), "split:test{Enter}");

    const search = "?since=2026-11-01&until=2026-11-30&annotator=12&judge=7&meta=lang%3Aen&meta=split%3Atest";
    await waitFor(() => expect(screen.getByTestId("location")).toHaveTextContent(search));
    const since = encodeURIComponent(new Date(2026, 10, 1).toISOString());
    const until = encodeURIComponent(new Date(2026, 11, 1).toISOString());
    await waitFor(() =>
      expect(metricsRequests(requests).at(-1)?.url).toBe(
        `${METRICS}?since=${since}&until=${until}&annotator=12&judge=7&meta=lang%3Aen&meta=split%3Atest`,
      ),
    );

    // A condition without a key is refused, not sent.
    await userEvent.type(screen.getByRole("textbox", { name: "Item metadata" }), "nokey{Enter}");
    expect(await screen.findByText("Write key:value, e.g. language:de")).toBeInTheDocument();
    expect(screen.getByTestId("location")).toHaveTextContent(search);

    await userEvent.click(screen.getByRole("button", { name: "Clear filters" }));
    await waitFor(() => expect(screen.getByTestId("location")).toBeEmptyDOMElement());
    await waitFor(() => expect(metricsRequests(requests).at(-1)?.url).toBe(METRICS));
  });

  it("says the first report is computing and shows it when metrics.updated arrives", async () => {
    let metrics = makeMetrics({ status: "computing", computed_at: null, report: null });
    backend(() => metrics);
    renderPage();

    expect(await screen.findByText("Computing the figures for this view. They appear here by themselves.")).toBeInTheDocument();
    expect(screen.getByTestId("metrics-status")).toHaveTextContent("computing");
    act(() => FakeWebSocket.latest().open());

    metrics = makeMetrics();
    act(() => FakeWebSocket.latest().receive(metricsUpdatedEvent()));
    expect(await screen.findByTestId("headline-agreement")).toBeInTheDocument();
    expect(screen.getByTestId("metrics-status")).toHaveTextContent("up to date");
  });

  it("keeps showing the last figures while they are recomputed", async () => {
    backend(() => makeMetrics({ status: "stale" }));
    renderPage();
    expect(await screen.findByTestId("metrics-status")).toHaveTextContent("updating");
    expect(screen.getByTestId("annotation-count")).toHaveTextContent("18");
  });

  it("refetches the figures live on a metrics.updated event", async () => {
    let annotations = 18;
    const { requests } = backend(() => makeMetrics({ report: makeReport({ progress: { items: 10, items_done: 4, annotations, annotators: 3 } }) }));
    renderPage();
    expect(await screen.findByTestId("annotation-count")).toHaveTextContent("18");
    act(() => FakeWebSocket.latest().open());
    expect(screen.getByTestId("ws-status")).toHaveTextContent("updating live");
    const before = metricsRequests(requests).length;

    annotations = 19;
    const message = metricsUpdatedEvent();
    act(() => FakeWebSocket.latest().receive(message));
    await waitFor(() => expect(screen.getByTestId("annotation-count")).toHaveTextContent("19"));
    expect(metricsRequests(requests)).toHaveLength(before + 1);

    const event = parseProjectEvent(message);
    expect(event && describeEvent(event)).toBe("Dashboard figures recomputed in 310 ms");
  });

  it("lists the items behind a person's consensus and a confusion cell", async () => {
    const { requests } = backend(
      () => makeMetrics(),
      ({ url }) => {
        if (url.startsWith(`${METRICS}items/`)) return jsonResponse({ count: 3, items: [{ id: 5, external_id: "q-5" }, { id: 6, external_id: "q-6" }] });
        if (url.startsWith("/api/judges/7/confusion-items/")) return jsonResponse({ count: 1, items: [{ id: 8, external_id: "q-8" }] });
        return undefined;
      },
    );
    renderPage();

    await userEvent.click(await screen.findByRole("button", { name: "Items where ana disagrees with the others" }));
    const dialog = await screen.findByRole("dialog", { name: "Where ana disagrees with the others" });
    expect(await within(dialog).findByTestId("drilldown-count")).toHaveTextContent("3 items, the first 2 listed");
    expect(within(dialog).getByRole("link", { name: "q-5" })).toHaveAttribute("href", "/projects/3/items?item=5");
    expect(requests.at(-1)?.url).toBe(`${METRICS}items/?part=pref&member=11&disagree=true`);
    await userEvent.click(within(dialog).getByRole("switch", { name: "Only disagreements" }));
    await waitFor(() => expect(requests.at(-1)?.url).toBe(`${METRICS}items/?part=pref&member=11`));
    await userEvent.keyboard("{Escape}");

    // A click on a cell of the confusion matrix: people said "first", the judge "second".
    const confusion = within(screen.getByRole("region", { name: "Confusion matrix · pref" })).getByTestId("chart");
    act(() => {
      getInstanceByDom(confusion)?.trigger("click", {
        type: "click",
        componentType: "series",
        componentSubType: "heatmap",
        componentIndex: 0,
        seriesIndex: 0,
        name: "",
        dataIndex: 1,
        data: [1, 0, 1],
        value: [1, 0, 1],
        $vars: [],
      });
    });
    const cell = await screen.findByRole("dialog", { name: "pref: people said first, skywork said second" });
    expect(await within(cell).findByRole("link", { name: "q-8" })).toHaveAttribute("href", "/projects/3/items?item=8");
    expect(requests.at(-1)?.url).toBe("/api/judges/7/confusion-items/?part=pref&people=0&predicted=1");
  });

  it("explains figures that cannot be computed instead of showing NaN", async () => {
    const lonely = makeReport({
      progress: { items: 4, items_done: 0, annotations: 2, annotators: 1 },
      parts: [makePart({ alpha: { value: null, low: null, high: null, n: 0 }, fleiss_kappa: null, raw_agreement: null, cohen_kappa: null })],
      annotators: [makeAnnotator({ consensus_agreement: null, reliability: Number.NaN, items_per_hour: null, median_seconds: null })],
      judges: [],
      leaderboards: [],
      bias: [],
    });
    backend(() => makeMetrics({ report: lonely }));
    renderPage();

    await screen.findByTestId("headline-agreement");
    expect(within(headline("agreement")).getByTestId("headline-value")).toHaveTextContent("—");
    expect(headline("agreement")).toHaveTextContent("Agreement needs answers from at least two people.");
    expect(within(headline("judge")).getByTestId("headline-value")).toHaveTextContent("—");
    expect(headline("judge")).toHaveTextContent("No judges in this view.");
    expect(screen.getByRole("region", { name: "Agreement per part" })).toHaveTextContent("Agreement needs answers from at least two people.");
    expect(screen.getByRole("region", { name: "Pairwise Cohen's κ" })).toHaveTextContent("No part with categories to compare people on.");
    expect(screen.getByText(/No judges in this view\. Add one/)).toBeInTheDocument();
    expect(screen.getByText(/No model comparisons yet/)).toBeInTheDocument();
    const cells = [...(screen.getByTestId("annotator-row").querySelectorAll("td") ?? [])].map((cell) => cell.textContent);
    expect(cells).toEqual(["ana", "6", "—", "—", "— of 6", "— of 0", "—", "—", "—"]);
    expect(document.body.textContent).not.toContain("NaN");
  });

  it("says when no one has annotated yet", async () => {
    const empty = makeReport({
      progress: { items: 5, items_done: 0, annotations: 0, annotators: 0 },
      parts: [makePart({ units: 0, values: 0, alpha: { value: null, low: null, high: null, n: 0 }, cohen_kappa: null })],
      annotators: [],
      judges: [],
      leaderboards: [],
      bias: [],
    });
    backend(() => makeMetrics({ report: empty }));
    renderPage();
    expect(await screen.findByText("No annotations yet")).toBeInTheDocument();
    expect(headline("agreement")).toHaveTextContent("No annotations yet.");
    expect(screen.getByText("No one has answered in this view yet.")).toBeInTheDocument();
  });

  it("is only for managers and owners", async () => {
    mockFetch(() => jsonResponse(makeFullProject({ role: "reviewer" })));
    renderPage();
    expect(await screen.findByText("This page is for managers and owners of the project.")).toBeInTheDocument();
  });
});
