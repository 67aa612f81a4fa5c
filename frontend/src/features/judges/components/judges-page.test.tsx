import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Judge, JudgeRun } from "@/api/types";
import { JudgesRoute } from "@/app/routes/judges";
import { makeFullProject } from "@/features/items/testing/fixtures";
import { FakeWebSocket } from "@/testing/fake-websocket";
import { page } from "@/testing/fixtures";
import { jsonResponse, mockFetch, renderWithProviders, type RecordedRequest } from "@/testing/render";
import { judgeChangedEvent, makeJudge, makePrediction, makeRun, progressEvent } from "../testing/fixtures";

vi.setConfig({ testTimeout: 20_000 });

const judge = makeJudge();

/** A backend with one judge whose runs are `runs()` at the time of each request. */
function backend(role: string, runs: () => JudgeRun[], handler: (request: RecordedRequest) => Response | undefined = () => undefined) {
  return mockFetch((request) => {
    const answer = handler(request);
    if (answer) return answer;
    if (request.url === "/api/projects/3/") return jsonResponse(makeFullProject({ role }));
    if (request.url === "/api/projects/3/judges/") return jsonResponse([{ ...judge, latest_run: runs()[0] ?? null }]);
    if (request.url === "/api/judges/7/runs/?page=1") return jsonResponse(page(runs()));
    return jsonResponse({ detail: "Not found." }, 404);
  });
}

function renderPage() {
  return renderWithProviders(<JudgesRoute />, { route: "/projects/3/judges", path: "/projects/:id/judges" });
}

const runRow = async (id: number) =>
  (await screen.findAllByTestId("run-row")).find((row) => row.dataset.run === String(id)) ?? document.body;

describe("Judges page", () => {
  beforeEach(() => {
    FakeWebSocket.reset();
    vi.stubGlobal("WebSocket", FakeWebSocket);
  });

  it("moves a run's progress live from judge_run.progress events", async () => {
    let runs = [makeRun({ status: "queued" })];
    const { requests } = backend("manager", () => runs);
    renderPage();

    const judges = await screen.findByRole("table", { name: "Judges" });
    expect(within(judges).getByText("Reward model")).toBeInTheDocument();
    expect(within(judges).getByText("pref")).toBeInTheDocument();
    expect(within(judges).getByTestId("run-status")).toHaveTextContent("queued");
    expect(within(await runRow(40)).getByTestId("run-status")).toHaveTextContent("queued");
    act(() => FakeWebSocket.latest().open());
    expect(screen.getByTestId("ws-status")).toHaveTextContent("updating live");
    const fetchesOf = (prefix: string) => requests.filter((request) => request.url.startsWith(prefix)).length;
    const fetches = () => [fetchesOf("/api/judges/7/runs/"), fetchesOf("/api/projects/3/judges/")];
    const before = fetches();

    act(() =>
      FakeWebSocket.latest().receive(
        progressEvent({
          status: "running",
          done_items: 4,
          failed_items: 1,
          items_per_s: 2.5,
          eta_s: 2,
          started_at: "2026-11-02T10:00:00Z",
        }),
      ),
    );
    const row = await runRow(40);
    expect(within(row).getByTestId("run-status")).toHaveTextContent("running");
    expect(within(row).getByTestId("run-counts")).toHaveTextContent("5 / 10 · 1 failed");
    expect(within(row).getByRole("progressbar", { name: "Run 40 progress" })).toHaveAttribute("aria-valuenow", "50");
    expect(row).toHaveTextContent("2.5 items/s");
    expect(row).toHaveTextContent("2 s");
    expect(row.querySelector("time")).toHaveAttribute("datetime", "2026-11-02T10:00:00Z");
    // The judges table shows the judge's latest run from the judges list, updated by the same event.
    expect(within(judges).getByTestId("run-status")).toHaveTextContent("running");
    expect(within(judges).getByTestId("run-counts")).toHaveTextContent("5 / 10");

    // A finished run's error and finish time come with the event: nothing is fetched again.
    runs = [makeRun({ status: "failed" })];
    act(() =>
      FakeWebSocket.latest().receive(
        progressEvent({
          status: "failed",
          done_items: 9,
          failed_items: 1,
          error: "The worker ran out of memory.",
          started_at: "2026-11-02T10:00:00Z",
          finished_at: "2026-11-02T10:00:04Z",
        }),
      ),
    );
    const done = await runRow(40);
    expect(within(done).getByTestId("run-status")).toHaveTextContent("failed");
    expect(within(done).getByTestId("run-error")).toHaveTextContent("The worker ran out of memory.");
    expect([...done.querySelectorAll("time")].map((time) => time.getAttribute("datetime"))).toEqual([
      "2026-11-02T10:00:00Z",
      "2026-11-02T10:00:04Z",
    ]);
    expect(within(done).queryByRole("button", { name: "Cancel run 40" })).not.toBeInTheDocument();
    expect(within(judges).getByTestId("run-status")).toHaveTextContent("failed");
    expect(fetches()).toEqual(before);
  });

  it("follows judges added, renamed and deleted in another tab", async () => {
    let judges: Judge[] = [judge];
    backend("reviewer", () => [], ({ url }) => (url === "/api/projects/3/judges/" ? jsonResponse(judges) : undefined));
    renderPage();
    const table = await screen.findByRole("table", { name: "Judges" });
    act(() => FakeWebSocket.latest().open());
    expect(screen.getByRole("heading", { name: "skywork" })).toBeInTheDocument();

    const latest = makeRun({ id: 50, judge: 8, status: "done", done_items: 10 });
    judges = [{ ...judge, name: "skywork-v2" }, makeJudge({ id: 8, name: "gpt-judge", kind: "api", latest_run: latest })];
    act(() => FakeWebSocket.latest().receive(judgeChangedEvent(8, "created")));
    await waitFor(() => expect(within(table).getAllByTestId("judge-row")).toHaveLength(2));
    expect(within(table).getByText("skywork-v2")).toBeInTheDocument();
    expect(within(table).getAllByTestId("judge-row")[1]).toHaveTextContent("done");

    judges = [judges[1] ?? judge];
    act(() => FakeWebSocket.latest().receive(judgeChangedEvent(7, "deleted")));
    // Gone at once, before the list is fetched again; the page shows the judge that is left.
    await waitFor(() => expect(within(table).getAllByTestId("judge-row")).toHaveLength(1));
    expect(within(table).queryByText("skywork-v2")).not.toBeInTheDocument();
    expect(await screen.findByRole("heading", { name: "gpt-judge" })).toBeInTheDocument();
  });

  it("starts a run over the items matching a filter", async () => {
    const started = makeRun({ id: 41, scope: { kind: "filter", filter: { status: "open", model: "gpt-4o" } } });
    let runs: JudgeRun[] = [];
    const { requests } = backend("manager", () => runs, ({ url, method }) => {
      if (url !== "/api/judges/7/runs/" || method !== "POST") return undefined;
      runs = [started];
      return jsonResponse(started, 201);
    });
    renderPage();
    await screen.findByText("This judge has not run yet.");

    await userEvent.click(screen.getByRole("button", { name: "Run" }));
    const dialog = await screen.findByRole("dialog", { name: "Run skywork" });
    await userEvent.click(within(dialog).getByRole("radio", { name: "Items matching a filter" }));
    await userEvent.click(within(dialog).getByRole("button", { name: "Start run" }));
    expect(within(dialog).getByRole("alert")).toHaveTextContent("Choose a status or a source model to filter by.");

    await userEvent.click(within(dialog).getByRole("radio", { name: "Open" }));
    await userEvent.type(within(dialog).getByRole("textbox", { name: /^Source model/ }), "gpt-4o");
    await userEvent.click(within(dialog).getByRole("button", { name: "Start run" }));

    await waitFor(() => expect(requests.some((request) => request.method === "POST")).toBe(true));
    expect(requests.find((request) => request.method === "POST")?.body).toEqual({
      scope: { kind: "filter", filter: { status: "open", model: "gpt-4o" } },
    });
    expect(await runRow(41)).toHaveTextContent("Items with status open, model gpt-4o");
    expect(within(screen.getByRole("table", { name: "Judges" })).getByTestId("run-status")).toHaveTextContent("queued");
  });

  it("says why a run was not started when the task queue is down", async () => {
    backend("manager", () => [], ({ method }) =>
      method === "POST" ? jsonResponse({ detail: "The task queue is unavailable; the run was not started. Try again." }, 503) : undefined,
    );
    renderPage();
    await userEvent.click(await screen.findByRole("button", { name: "Run" }));
    const dialog = await screen.findByRole("dialog", { name: "Run skywork" });
    await userEvent.click(within(dialog).getByRole("button", { name: "Start run" }));
    expect(await within(dialog).findByRole("alert")).toHaveTextContent("The task queue is unavailable");
  });

  it("cancels an active run and lists a run's failed items", async () => {
    const running = makeRun({ status: "running", done_items: 3, failed_items: 2 });
    const { requests } = backend("manager", () => [running], ({ url, method }) => {
      if (url === "/api/judge-runs/40/cancel/" && method === "POST") return jsonResponse({ ...running, status: "cancelled" });
      if (url === "/api/judge-runs/40/predictions/?failed=true&page=1") {
        return jsonResponse(page([makePrediction({ item: 12, value: null, error: "Input is longer than 512 tokens." })]));
      }
      return undefined;
    });
    renderPage();

    await userEvent.click(within(await runRow(40)).getByRole("button", { name: "Failed items of run 40" }));
    const dialog = await screen.findByRole("dialog", { name: "Failed items of run #40" });
    const failed = await within(dialog).findByTestId("failed-item");
    expect(failed).toHaveTextContent("Input is longer than 512 tokens.");
    expect(within(failed).getByRole("link", { name: "12" })).toHaveAttribute("href", "/projects/3/items?item=12");
    await userEvent.keyboard("{Escape}");

    await userEvent.click(within(await runRow(40)).getByRole("button", { name: "Cancel run 40" }));
    await waitFor(() =>
      expect(within(screen.getByTestId("runs-table")).getByTestId("run-status")).toHaveTextContent("cancelled"),
    );
    expect(requests.some((request) => request.url === "/api/judge-runs/40/cancel/")).toBe(true);
    // The judges table shows the same run as the judge's latest.
    expect(within(screen.getByRole("table", { name: "Judges" })).getByTestId("run-status")).toHaveTextContent("cancelled");
  });

  it("deletes a judge only after confirmation", async () => {
    let deleted = false;
    const { requests } = backend("owner", () => [], ({ url, method }) => {
      if (url === "/api/judges/7/" && method === "DELETE") {
        deleted = true;
        return jsonResponse(null, 204);
      }
      if (url === "/api/projects/3/judges/" && deleted) return jsonResponse([]);
      return undefined;
    });
    renderPage();

    await userEvent.click(await screen.findByRole("button", { name: "Delete" }));
    const dialog = await screen.findByRole("dialog", { name: "Delete skywork?" });
    expect(requests.some((request) => request.method === "DELETE")).toBe(false);
    await userEvent.click(within(dialog).getByRole("button", { name: "Delete judge" }));

    expect(await screen.findByText(/No judges yet/)).toBeInTheDocument();
  });

  it("shows reviewers the judges and runs without the actions", async () => {
    backend("reviewer", () => [makeRun({ status: "running" })]);
    renderPage();
    await runRow(40);
    expect(screen.getByText("Only managers and owners can add, change or run judges.")).toBeInTheDocument();
    for (const name of ["New judge", "Run", "Edit", "Delete", "Cancel run 40"]) {
      expect(screen.queryByRole("button", { name })).not.toBeInTheDocument();
    }
  });
});
