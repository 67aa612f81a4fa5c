import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { ExportsRoute } from "@/app/routes/exports";
import { makeFullProject } from "@/features/items/testing/fixtures";
import { openListbox, pickOption } from "@/features/items/testing/combobox";
import { FakeWebSocket } from "@/testing/fake-websocket";
import { page } from "@/testing/fixtures";
import { jsonResponse, mockFetch, renderWithProviders, type RecordedRequest } from "@/testing/render";
import { FALLBACK_POLL_MS } from "../api/get-exports";
import { CONTENT_SHA, exportProgressEvent, makeDoneExport, makeExport } from "../testing/fixtures";
import type { Export } from "../types";

vi.setConfig({ testTimeout: 20_000 });

const LIST = "/api/projects/3/exports/";

/** A backend for project 3 whose exports are `exports()` at the time of each request. */
function backend(
  exports: () => Export[],
  handler: (request: RecordedRequest) => Response | undefined = () => undefined,
  role = "manager",
) {
  return mockFetch((request) => {
    const answer = handler(request);
    if (answer) return answer;
    if (request.url === "/api/projects/3/") return jsonResponse(makeFullProject({ role }));
    if (request.url === `${LIST}?page=1` && request.method === "GET") return jsonResponse(page(exports()));
    return jsonResponse({ detail: "Not found." }, 404);
  });
}

function renderPage() {
  return renderWithProviders(<ExportsRoute />, { route: "/projects/3/exports", path: "/projects/:id/exports" });
}

const listFetches = (requests: RecordedRequest[]) => requests.filter((request) => request.url === `${LIST}?page=1`).length;
const posts = (requests: RecordedRequest[]) => requests.filter((request) => request.method === "POST");
// The page loads the project, then its exports: allow for a slow machine.
const LOADED = { timeout: 5_000 };
const emptyList = () => screen.findByTestId("exports-empty", {}, LOADED);
const exportRow = async (id: number) =>
  (await screen.findAllByTestId("export-row", {}, LOADED)).find((row) => row.dataset.export === String(id)) ??
  document.body;
const createButton = () => screen.getByRole("button", { name: "Create export" });

describe("Exports page", () => {
  beforeEach(() => {
    FakeWebSocket.reset();
    vi.stubGlobal("WebSocket", FakeWebSocket);
  });

  it("creates a preference export and lists it as queued", async () => {
    let exports: Export[] = [];
    const { requests } = backend(
      () => exports,
      ({ url, method }) => {
        if (url !== LIST || method !== "POST") return undefined;
        exports = [makeExport({ id: 13 })];
        return jsonResponse(exports[0], 202);
      },
    );
    renderPage();

    expect(await screen.findByRole("heading", { name: "Exports", level: 1 }, LOADED)).toBeInTheDocument();
    expect(await emptyList()).toHaveTextContent("No exports yet.");
    // Preference JSONL of the first pairwise question is what a click with no changes asks for.
    expect(screen.getByRole("textbox", { name: /^Format/ })).toHaveValue("Preference pairs");
    expect(screen.getByRole("radio", { name: "JSONL" })).toBeChecked();
    expect(screen.getByRole("textbox", { name: /^Question/ })).toHaveValue("pref · Which response is better?");
    await userEvent.click(createButton());

    await waitFor(() => expect(posts(requests)).toHaveLength(1));
    expect(posts(requests)[0]?.body).toEqual({
      format: "preference",
      file_type: "jsonl",
      aggregation: "majority",
      min_agreement: 0.75,
      ties: "drop",
      reviewed_only: false,
      exclude_gold: false,
      include_model_labels: false,
      judges: [],
      question: "pref",
      dimension: null,
      margin: "none",
      push_to_hub: "",
    });
    const row = await exportRow(13);
    expect(within(row).getByTestId("export-status")).toHaveTextContent("queued");
    expect(within(row).getByRole("progressbar", { name: "Export 13 progress" })).toHaveAttribute("aria-valuenow", "0");
    expect(row).toHaveTextContent("Preference pairs · JSONL · pref");
    expect(within(row).queryByRole("link", { name: /Download/ })).not.toBeInTheDocument();
    expect(screen.getByRole("status")).toHaveTextContent("Export #13 queued");
    expect(screen.queryByTestId("exports-empty")).not.toBeInTheDocument();
  });

  it("moves the bar from export.progress events and offers the file and manifest once done", async () => {
    let exports = [makeExport()];
    const { requests } = backend(() => exports);
    renderPage();

    const row = await exportRow(12);
    act(() => FakeWebSocket.latest().open());
    expect(screen.getByTestId("ws-status")).toHaveTextContent("updating live");
    const before = listFetches(requests);

    act(() => FakeWebSocket.latest().receive(exportProgressEvent({ status: "running", items_done: 4 })));
    await waitFor(() => expect(within(row).getByTestId("export-status")).toHaveTextContent("running"));
    expect(within(row).getByRole("progressbar", { name: "Export 12 progress" })).toHaveAttribute("aria-valuenow", "40");
    expect(within(row).getByTestId("export-counts")).toHaveTextContent("4 / 10 items");
    // Events of other projects, and other event types, change nothing.
    act(() => FakeWebSocket.latest().receive({ ...exportProgressEvent({ items_done: 9 }), project: 4 }));
    act(() => FakeWebSocket.latest().receive({ type: "judge.changed", project: 3, data: { judge: 1, action: "created" } }));
    expect(within(row).getByTestId("export-counts")).toHaveTextContent("4 / 10 items");
    // Progress comes from the events alone: nothing was fetched again.
    expect(listFetches(requests)).toBe(before);

    exports = [makeDoneExport({ hub_repo: "acme/prefs", hub_url: "https://huggingface.co/datasets/acme/prefs/commit/abc" })];
    act(() => FakeWebSocket.latest().receive(exportProgressEvent({ status: "done", items_done: 10, rows: 8 })));
    const download = await within(await exportRow(12)).findByRole("link", { name: "Download export 12" }, LOADED);
    expect(download).toHaveAttribute("href", "/api/exports/12/download/");
    const done = await exportRow(12);
    expect(within(done).getByTestId("export-status")).toHaveTextContent("done");
    expect(within(done).getByRole("progressbar", { name: "Export 12 progress" })).toHaveAttribute("aria-valuenow", "100");
    expect(within(done).getByTestId("export-rows")).toHaveTextContent("8");
    expect(within(done).getByTestId("export-size")).toHaveTextContent("2.0 KB");
    expect(listFetches(requests)).toBe(before + 1);
    expect(within(done).getByRole("link", { name: "On the Hub: acme/prefs" })).toHaveAttribute(
      "href",
      "https://huggingface.co/datasets/acme/prefs/commit/abc",
    );

    const toggle = within(done).getByRole("button", { name: "Manifest of export 12" });
    expect(toggle).toHaveAttribute("aria-expanded", "false");
    await userEvent.click(toggle);
    expect(toggle).toHaveAttribute("aria-expanded", "true");
    const manifest = screen.getByRole("region", { name: "Manifest of export 12" });
    expect(toggle).toHaveAttribute("aria-controls", manifest.id);
    expect(within(manifest).getAllByTestId("manifest-count").map((count) => count.textContent)).toEqual(["10", "8", "8", "0"]);
    expect(within(manifest).getByTestId("manifest-content-sha256")).toHaveTextContent(CONTENT_SHA);
    expect(within(manifest).getByRole("button", { name: "Copy Content SHA-256" })).toBeInTheDocument();
    const columns = within(manifest).getByRole("table", { name: "Columns" });
    expect(within(columns).getAllByRole("row").slice(1).map((tr) => tr.textContent)).toEqual([
      "promptstring",
      "chosenstring",
      "rejectedstring",
    ]);
    const settings = within(manifest).getByRole("table", { name: "Settings" });
    expect(within(settings).getByRole("row", { name: /aggregation/ })).toHaveTextContent("majority");
    expect(within(settings).getByRole("row", { name: /question/ })).toHaveTextContent("pref");

    await userEvent.click(toggle);
    expect(screen.queryByRole("region", { name: "Manifest of export 12" })).not.toBeInTheDocument();
  });

  it("shows a failed build's error", async () => {
    const { requests } = backend(() => [makeExport()]);
    renderPage();
    const row = await exportRow(12);
    act(() => FakeWebSocket.latest().open());
    const before = listFetches(requests);
    act(() =>
      FakeWebSocket.latest().receive(exportProgressEvent({ status: "failed", error: "CSV cannot hold chat prompts" })),
    );
    await waitFor(() => expect(within(row).getByTestId("export-status")).toHaveTextContent("failed"));
    expect(within(row).getByTestId("export-error")).toHaveTextContent("CSV cannot hold chat prompts");
    expect(within(row).queryByRole("button", { name: /Manifest/ })).not.toBeInTheDocument();
    expect(within(row).queryByRole("link", { name: /Download/ })).not.toBeInTheDocument();
    // The event says all there is to say about a failure: nothing is fetched again.
    expect(listFetches(requests)).toBe(before);
  });

  it("lists exports started elsewhere, and fetches again after the socket was down", async () => {
    let exports: Export[] = [];
    const { requests } = backend(() => exports);
    renderPage();
    await emptyList();
    act(() => FakeWebSocket.latest().open());

    // An export this page never saw: the list is fetched to learn about it.
    exports = [makeExport({ id: 20, status: "running", items_total: 10, items_done: 2 })];
    act(() => FakeWebSocket.latest().receive(exportProgressEvent({ export: 20, items_done: 2 })));
    expect(within(await exportRow(20)).getByTestId("export-counts")).toHaveTextContent("2 / 10 items");

    const before = listFetches(requests);
    exports = [makeExport({ id: 20, status: "running", items_total: 10, items_done: 7 })];
    act(() => FakeWebSocket.latest().drop());
    expect(screen.getByTestId("ws-status")).toHaveTextContent("reconnecting");
    await waitFor(() => expect(FakeWebSocket.instances).toHaveLength(2), { timeout: 3_000 });
    act(() => FakeWebSocket.latest().open());
    await waitFor(() => expect(listFetches(requests)).toBeGreaterThan(before));
    await waitFor(async () => expect(within(await exportRow(20)).getByTestId("export-counts")).toHaveTextContent("7 / 10 items"));
  });

  it("fetches an unfinished build's progress on a timer only while live events are not arriving", async () => {
    let exports = [makeExport({ status: "running", items_total: 10, items_done: 1 })];
    const { requests } = backend(() => exports);
    renderPage();
    await exportRow(12);
    // The socket never opened: the list is fetched again until the build is over.
    expect(screen.getByTestId("ws-status")).toHaveTextContent("connecting");
    exports = [makeDoneExport()];
    await waitFor(() => expect(listFetches(requests)).toBe(2), { timeout: FALLBACK_POLL_MS + 2_000 });
    expect(await within(await exportRow(12)).findByRole("link", { name: "Download export 12" })).toBeInTheDocument();
  });

  it("offers only the choices that apply to the format and checks values before sending", async () => {
    const { requests } = backend(() => []);
    renderPage();
    await emptyList();

    // Preference: margin and ties are offered; CSV is allowed.
    expect(screen.getByRole("textbox", { name: /^Margin/ })).toBeInTheDocument();
    expect(screen.getByRole("radio", { name: "CSV" })).toBeEnabled();
    expect(screen.queryByRole("textbox", { name: /^Minimum agreement/ })).not.toBeInTheDocument();
    const aggregation = screen.getByRole("textbox", { name: /^Aggregation/ });
    await pickOption(aggregation, "Minimum agreement");
    const share = screen.getByRole("textbox", { name: /^Minimum agreement/ });
    expect(share).toHaveValue("0.75");
    await userEvent.clear(share);
    await userEvent.type(share, "0.4");
    await userEvent.click(createButton());
    expect(await screen.findByText("Enter a share above 0.5 and at most 1.")).toBeInTheDocument();
    expect(share).toHaveAttribute("aria-invalid", "true");

    // A rating question with two dimensions needs one to compare on.
    await pickOption(screen.getByRole("textbox", { name: /^Question/ }), /^quality/);
    expect(screen.getByRole("textbox", { name: /^Dimension/ })).toHaveValue("");
    await userEvent.click(createButton());
    expect(await screen.findByText("Choose the dimension to compare responses on.")).toBeInTheDocument();

    // Ranking: CSV is not offered, nor Dawid-Skene, nor a margin; the question list narrows.
    await userEvent.click(screen.getByRole("radio", { name: "CSV" }));
    await pickOption(screen.getByRole("textbox", { name: /^Format/ }), "Rankings");
    expect(screen.getByRole("radio", { name: "CSV" })).toBeDisabled();
    expect(screen.getByRole("radio", { name: "JSONL" })).toBeChecked();
    expect(screen.getByRole("radiogroup", { name: /^File type/ })).toHaveAccessibleDescription(/CSV is not offered/);
    expect(screen.queryByRole("textbox", { name: /^Margin/ })).not.toBeInTheDocument();
    expect(screen.getByRole("textbox", { name: /^Question/ })).toHaveValue("rank · Rank them");
    const listbox = await openListbox(screen.getByRole("textbox", { name: /^Aggregation/ }));
    expect(within(listbox).queryByRole("option", { name: "Dawid-Skene", hidden: true })).not.toBeInTheDocument();
    await userEvent.keyboard("{Escape}");

    // Raw: nothing to aggregate, no question.
    await pickOption(screen.getByRole("textbox", { name: /^Format/ }), "Raw annotations");
    expect(screen.queryByRole("textbox", { name: /^Aggregation/ })).not.toBeInTheDocument();
    expect(screen.queryByRole("textbox", { name: /^Question/ })).not.toBeInTheDocument();
    expect(screen.queryByRole("radiogroup", { name: /^Ties/ })).not.toBeInTheDocument();
    expect(screen.queryByRole("checkbox", { name: /^Include model labels/ })).not.toBeInTheDocument();
    expect(posts(requests)).toHaveLength(0);
  });

  it("shows the server's field errors next to their fields", async () => {
    const { requests } = backend(
      () => [],
      ({ method }) =>
        method === "POST"
          ? jsonResponse(
              {
                file_type: ["CSV holds flat formats only (preference, unpaired, ratings, rubric); use jsonl, parquet or hf"],
                question: ["no question 'pref' in project"],
                push_to_hub: ["set MOOT_HF_TOKEN on the workers to push to the Hugging Face Hub"],
                weights: ["give a dimension or weights, not both"],
              },
              400,
            )
          : undefined,
    );
    renderPage();
    await emptyList();
    await userEvent.click(screen.getByRole("checkbox", { name: /^Reviewed only/ }));
    await userEvent.type(screen.getByRole("textbox", { name: /^Push to Hugging Face Hub/ }), "acme/prefs");
    await userEvent.click(createButton());

    await waitFor(() => expect(posts(requests)).toHaveLength(1));
    expect(posts(requests)[0]?.body).toMatchObject({ reviewed_only: true, push_to_hub: "acme/prefs" });
    expect(await screen.findByText(/CSV holds flat formats only/)).toBeInTheDocument();
    expect(screen.getByRole("radiogroup", { name: /^File type/ })).toHaveAccessibleDescription(/CSV holds flat formats only/);
    expect(screen.getByRole("textbox", { name: /^Question/ })).toHaveAccessibleDescription(/no question 'pref' in project/);
    expect(screen.getByRole("textbox", { name: /^Push to Hugging Face Hub/ })).toHaveAccessibleDescription(
      /set MOOT_HF_TOKEN on the workers/,
    );
    // A field the form doesn't show is listed above the button.
    expect(screen.getByRole("alert")).toHaveTextContent("weights: give a dimension or weights, not both");
    expect(screen.getByTestId("exports-empty")).toBeInTheDocument();
  });

  it("says clearly when the task broker is down", async () => {
    let exports: Export[] = [];
    backend(
      () => exports,
      ({ method }) => {
        if (method !== "POST") return undefined;
        exports = [makeExport({ status: "failed", error: "The task broker could not be reached; nothing was built." })];
        return jsonResponse({ detail: "The task broker is unreachable; try again in a moment." }, 503);
      },
    );
    renderPage();
    await emptyList();
    await userEvent.click(createButton());

    const failure = await screen.findByTestId("export-failure");
    expect(failure).toHaveRole("alert");
    expect(failure).toHaveTextContent("The export was not started");
    expect(failure).toHaveTextContent("The task broker is unreachable; try again in a moment.");
    // The server records the snapshot as failed; the list shows it.
    expect(within(await exportRow(12)).getByTestId("export-status")).toHaveTextContent("failed");
  });

  it("deletes an export only after confirmation", async () => {
    let exports = [makeDoneExport()];
    const { requests } = backend(
      () => exports,
      ({ url, method }) => {
        if (url !== "/api/exports/12/" || method !== "DELETE") return undefined;
        exports = [];
        return jsonResponse(null, 204);
      },
    );
    renderPage();

    await userEvent.click(within(await exportRow(12)).getByRole("button", { name: "Delete export 12" }));
    const dialog = await screen.findByRole("dialog", { name: "Delete export #12?" });
    await userEvent.click(within(dialog).getByRole("button", { name: "Cancel" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(requests.some((request) => request.method === "DELETE")).toBe(false);

    await userEvent.click(within(await exportRow(12)).getByRole("button", { name: "Delete export 12" }));
    await userEvent.click(within(await screen.findByRole("dialog")).getByRole("button", { name: "Delete export" }));
    expect(await emptyList()).toBeInTheDocument();
    expect(requests.filter((request) => request.method === "DELETE").map((request) => request.url)).toEqual(["/api/exports/12/"]);
  });

  it("says when the list cannot be loaded and retries", async () => {
    let broken = true;
    backend(
      () => [makeDoneExport()],
      ({ url }) => (url === `${LIST}?page=1` && broken ? jsonResponse({ detail: "Database is down." }, 500) : undefined),
    );
    renderPage();
    const alert = await screen.findByRole("alert", {}, LOADED);
    expect(alert).toHaveTextContent("Could not load exports");
    expect(alert).toHaveTextContent("Database is down.");
    broken = false;
    await userEvent.click(within(alert).getByRole("button", { name: "Try again" }));
    expect(await exportRow(12)).toHaveTextContent("#12");
  });

  it("is for managers and owners only", async () => {
    const { requests } = backend(() => [], undefined, "reviewer");
    renderPage();
    expect(await screen.findByText("This page is for managers and owners of the project.", {}, LOADED)).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Create export" })).not.toBeInTheDocument();
    expect(requests.some((request) => request.url.startsWith(LIST))).toBe(false);
  });
});
