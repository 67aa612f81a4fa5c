import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { notifications } from "@mantine/notifications";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Judge, Project } from "@/api/types";
import { makeFullProject } from "@/features/items/testing/fixtures";
import { progressEvent } from "@/features/judges/testing/fixtures";
import { FakeWebSocket } from "@/testing/fake-websocket";
import { jsonResponse, mockFetch, renderWithProviders, type RecordedRequest } from "@/testing/render";
import { makeActiveLearning, makeHead } from "../testing/fixtures";
import type { ActiveLearning } from "../types";
import { ActiveLearningRoute } from "./active-learning-route";

vi.setConfig({ testTimeout: 20_000 });

const ACTIVE = "/api/projects/3/active-learning/";

interface Backend {
  project?: Partial<Project>;
  judges?: Judge[];
  active?: () => ActiveLearning;
  handler?: (request: RecordedRequest) => Response | undefined;
}

/** A backend for project 3; the active-learning answer is `active()` at the time of each request. */
function backend({ project = {}, judges = [makeHead()], active = () => makeActiveLearning(), handler }: Backend) {
  return mockFetch((request) => {
    const answer = handler?.(request);
    if (answer) return answer;
    if (request.url === "/api/projects/3/") return jsonResponse(makeFullProject({ role: "manager", ...project }));
    if (request.url === "/api/projects/3/judges/") return jsonResponse(judges);
    if (request.url === ACTIVE && request.method === "GET") return jsonResponse(active());
    return jsonResponse({ detail: "Not found." }, 404);
  });
}

function renderPage() {
  return renderWithProviders(<ActiveLearningRoute notFound={<p>No such project</p>} />, {
    route: "/projects/3/active",
    path: "/projects/:id/active",
  });
}

const region = (name: string) => screen.getByRole("region", { name });
const weight = (name: RegExp) => screen.getByRole("textbox", { name });
const saves = (requests: RecordedRequest[]) => requests.filter((request) => request.method !== "GET");

async function setWeight(name: RegExp, value: string) {
  const input = weight(name);
  await userEvent.clear(input);
  await userEvent.type(input, value);
}

describe("Active learning page", () => {
  beforeEach(() => {
    FakeWebSocket.reset();
    vi.stubGlobal("WebSocket", FakeWebSocket);
    // ECharts measures text on a canvas, which jsdom lacks; it estimates without one.
    vi.spyOn(HTMLCanvasElement.prototype, "getContext").mockReturnValue(null);
  });

  afterEach(() => {
    act(() => notifications.clean());
  });

  it("shows the head's status, its accuracy over time and the queue", async () => {
    backend({});
    renderPage();

    expect(await screen.findByRole("heading", { name: "Active learning", level: 1 })).toBeInTheDocument();
    const status = await screen.findByRole("region", { name: "Status" });
    expect(within(status).getByRole("textbox", { name: /^Preference head/ })).toHaveValue("minilm-head");
    expect(within(status).getByTestId("labels-count")).toHaveTextContent("130");
    expect(within(status).getByTestId("labels-since")).toHaveTextContent("30");
    expect(within(status).getByTestId("retrain-status")).toHaveTextContent("Retrains in 20 labels");
    expect(within(status).getByTestId("latest-accuracy")).toHaveTextContent("66.0% (version 2)");
    expect(within(status).queryByTestId("priorities-unused")).not.toBeInTheDocument();
    expect(within(status).queryByTestId("last-error")).not.toBeInTheDocument();

    const accuracy = region("Accuracy over time");
    expect(within(accuracy).getByRole("img", { name: "Held-out accuracy of the head against labels" })).toBeInTheDocument();
    const versions = within(accuracy).getAllByTestId("version-row");
    // Newest first.
    expect(versions.map((row) => row.querySelector("td")?.textContent)).toEqual(["2", "1"]);
    expect(versions[0]).toHaveTextContent("66.0% of 44");
    expect(versions[1]).toHaveTextContent("asked for by hand");

    const queue = region("Queue");
    const rows = within(queue).getAllByTestId("queue-row");
    expect(rows).toHaveLength(2);
    const link = within(rows[0] ?? queue).getByRole("link", { name: "item-00001" });
    expect(link).toHaveAttribute("href", "/projects/3/items?external_id=item-00001&item=101");
    expect(within(rows[0] ?? queue).getByTestId("queue-priority")).toHaveTextContent("0.90");
    expect(within(rows[0] ?? queue).getAllByTestId("queue-reason").map((badge) => badge.textContent)).toEqual([
      "Uncertainty 0.72",
      "Diversity 0.09",
      "Random 0.09",
    ]);
    expect(within(queue).getByTestId("queue-as-of").querySelector("time")).toHaveAttribute("datetime", "2026-11-03T10:05:00Z");

    expect(screen.getByTestId("share-uncertainty")).toHaveTextContent("80%");
    expect(screen.getByTestId("share-judge_disagreement")).toHaveTextContent("0%");
  });

  it("saves a changed strategy mix, showing the shares as they are typed", async () => {
    let saved = makeActiveLearning();
    const { requests } = backend({
      active: () => saved,
      handler: (request) => {
        if (request.url === ACTIVE && request.method === "PATCH") {
          saved = { ...saved, ...(request.body as Partial<ActiveLearning>) };
          return jsonResponse(saved);
        }
        return undefined;
      },
    });
    renderPage();
    await screen.findByRole("form", { name: "Strategy mix" });

    await setWeight(/^Uncertainty/, "0.3");
    await setWeight(/^Judge disagreement/, "0.5");
    // 0.3 + 0.5 + 0.1 + 0.1 = 1.0
    expect(screen.getByTestId("share-uncertainty")).toHaveTextContent("30%");
    expect(screen.getByTestId("share-judge_disagreement")).toHaveTextContent("50%");
    await setWeight(/^Retrain every/, "25");
    await userEvent.click(screen.getByRole("button", { name: "Save" }));

    await waitFor(() => expect(saves(requests)).toHaveLength(1));
    expect(saves(requests)[0]).toMatchObject({
      method: "PATCH",
      url: ACTIVE,
      body: {
        strategies: { uncertainty: 0.3, judge_disagreement: 0.5, diversity: 0.1, random: 0.1 },
        retrain_every: 25,
        extra_labels: 1,
      },
    });
    expect(await screen.findByText("Strategy mix saved; the queue is reordered shortly.")).toBeInTheDocument();
    // The form now shows what was saved, and the countdown follows the new setting.
    await waitFor(() => expect(screen.getByTestId("retrain-status")).toHaveTextContent("Retrains with the next label"));
    expect(weight(/^Uncertainty/)).toHaveValue("0.3");
  });

  it("shows the server's refusal under the input it is about", async () => {
    const { requests } = backend({
      handler: (request) =>
        request.method === "PATCH"
          ? jsonResponse(
              {
                strategies: ["weight of 'random' must not be negative, got -1"],
                extra_labels: ["Ensure this value is less than or equal to 10."],
              },
              400,
            )
          : undefined,
    });
    renderPage();
    await screen.findByRole("form", { name: "Strategy mix" });
    await setWeight(/^Random/, "0.2");
    await userEvent.click(screen.getByRole("button", { name: "Save" }));

    expect(await screen.findByText("weight of 'random' must not be negative, got -1")).toBeInTheDocument();
    expect(weight(/^Random/)).toHaveAttribute("aria-invalid", "true");
    expect(weight(/^Uncertainty/)).not.toHaveAttribute("aria-invalid", "true");
    expect(weight(/^Extra labels per item/)).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByText("Ensure this value is less than or equal to 10.")).toBeInTheDocument();
    expect(saves(requests)).toHaveLength(1);
  });

  it("won't send a mix in which nothing weighs anything", async () => {
    const { requests } = backend({});
    renderPage();
    await screen.findByRole("form", { name: "Strategy mix" });
    for (const name of [/^Uncertainty/, /^Diversity/, /^Random/]) await setWeight(name, "0");
    expect(screen.getByTestId("share-uncertainty")).toHaveTextContent("—");
    await userEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByTestId("mix-error")).toHaveTextContent("Give at least one strategy a weight above 0.");
    expect(saves(requests)).toHaveLength(0);
  });

  it("shows reviewers everything without a way to change it", async () => {
    const { requests } = backend({ project: { role: "reviewer" } });
    renderPage();

    const status = await screen.findByRole("region", { name: "Status" });
    expect(within(status).getByTestId("head-name")).toHaveTextContent("Preference head: minilm-head");
    expect(within(status).queryByRole("textbox", { name: /^Preference head/ })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Retrain now" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Recompute priorities" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Save" })).not.toBeInTheDocument();
    expect(weight(/^Uncertainty/)).toBeDisabled();
    expect(weight(/^Retrain every/)).toBeDisabled();
    expect(screen.getByText(/Only managers and owners can change the mix/)).toBeInTheDocument();
    expect(within(region("Queue")).getAllByTestId("queue-row")).toHaveLength(2);
    expect(saves(requests)).toHaveLength(0);
  });

  it("says how many labeled pairs an untrained head needs", async () => {
    backend({ active: () => makeActiveLearning({ history: [], labels: 4, labels_since_training: 4, queue: [], refreshed_at: null }) });
    renderPage();

    const accuracy = await screen.findByRole("region", { name: "Accuracy over time" });
    expect(within(accuracy).getByTestId("accuracy-empty")).toHaveTextContent(
      "The head has not been trained yet: it needs at least 30 labeled pairs.",
    );
    expect(within(accuracy).queryByRole("img")).not.toBeInTheDocument();
    expect(screen.getByTestId("latest-accuracy")).toHaveTextContent("Not trained yet");
    expect(within(region("Queue")).getByTestId("queue-as-of")).toHaveTextContent("not computed yet");
    expect(within(region("Queue")).getByTestId("queue-empty")).toBeInTheDocument();
  });

  it("points to the Judges page when the project has no preference head", async () => {
    backend({ judges: [], active: () => makeActiveLearning({ head: null, history: [] }) });
    renderPage();

    const note = await screen.findByTestId("no-head-note");
    expect(note).toHaveTextContent("This project has no preference head yet.");
    expect(within(note).getByRole("link", { name: "Judges page" })).toHaveAttribute("href", "/projects/3/judges");
    expect(screen.getByRole("button", { name: "Retrain now" })).toBeDisabled();
    expect(within(region("Accuracy over time")).getByTestId("accuracy-empty")).toHaveTextContent(
      "Choose a preference head to follow its accuracy.",
    );
    expect(screen.getByTestId("retrain-status")).toHaveTextContent("No head to retrain");
  });

  it("warns when the assignment order doesn't use the priorities, and shows why training failed", async () => {
    backend({
      project: { assignment: "random" },
      active: () => makeActiveLearning({ uses_priorities: false, last_error: "Too few labeled pairs: 4 of 30." }),
    });
    renderPage();

    const warning = await screen.findByTestId("priorities-unused");
    expect(warning).toHaveTextContent(
      "The project hands out items in random order; set the assignment order to Active learning in Settings for these priorities to matter.",
    );
    expect(within(warning).getByRole("link", { name: "Settings" })).toHaveAttribute("href", "/projects/3/settings");
    expect(screen.getByTestId("last-error")).toHaveTextContent("Too few labeled pairs: 4 of 30.");
  });

  it("chooses another head", async () => {
    const second = makeHead({ id: 22, name: "e5-head" });
    const { requests } = backend({
      judges: [makeHead(), second],
      handler: (request) => (request.method === "PATCH" ? jsonResponse(makeActiveLearning({ head: 22 })) : undefined),
    });
    renderPage();
    const select = await screen.findByRole("textbox", { name: /^Preference head/ });
    await userEvent.click(select);
    await userEvent.click(await screen.findByRole("option", { name: "e5-head", hidden: true }));

    await waitFor(() => expect(saves(requests)[0]).toMatchObject({ method: "PATCH", body: { head: 22 } }));
    await waitFor(() => expect(select).toHaveValue("e5-head"));
  });

  it("retrains on request and says so, or why not", async () => {
    let answer = jsonResponse({ queued: true }, 202);
    let training = false;
    const { requests } = backend({
      active: () => makeActiveLearning({ training }),
      handler: (request) => {
        if (request.url === `${ACTIVE}retrain/`) {
          training = answer.status === 202;
          return answer;
        }
        if (request.url === `${ACTIVE}refresh/`) {
          return jsonResponse({ detail: "The task queue is unavailable; nothing was queued. Try again." }, 503);
        }
        return undefined;
      },
    });
    renderPage();
    await userEvent.click(await screen.findByRole("button", { name: "Retrain now" }));

    expect(await screen.findByText("Retraining queued")).toBeInTheDocument();
    expect(requests.some((request) => request.method === "POST" && request.url === `${ACTIVE}retrain/`)).toBe(true);
    // The page fetches the settings again and sees the training under way.
    await waitFor(() => expect(screen.getByTestId("retrain-status")).toHaveTextContent("Retraining…"));

    answer = jsonResponse({ head: ["The project has no preference head to train."] }, 400);
    await userEvent.click(screen.getByRole("button", { name: "Retrain now" }));
    expect(await screen.findByText("The project has no preference head to train.")).toBeInTheDocument();

    await userEvent.click(screen.getByRole("button", { name: "Recompute priorities" }));
    expect(await screen.findByText("The task queue is unavailable; nothing was queued. Try again.")).toBeInTheDocument();
    expect(screen.getByText("The priorities were not recomputed")).toBeInTheDocument();
  });

  it("refetches when a judge run finishes, not while it progresses", async () => {
    const { requests } = backend({});
    renderPage();
    await screen.findByRole("region", { name: "Queue" });
    act(() => FakeWebSocket.latest().open());
    expect(screen.getByTestId("ws-status")).toHaveTextContent("updating live");
    const fetches = () => requests.filter((request) => request.url === ACTIVE && request.method === "GET").length;
    const before = fetches();

    act(() => FakeWebSocket.latest().receive(progressEvent({ status: "running", done_items: 3 })));
    act(() => FakeWebSocket.latest().receive(progressEvent({ status: "done", done_items: 10 })));
    await waitFor(() => expect(fetches()).toBe(before + 1));
  });
});
