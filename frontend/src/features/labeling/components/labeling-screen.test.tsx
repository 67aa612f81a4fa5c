import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import type { NextItem } from "@/api/types";
import { LabelRoute } from "@/app/routes/label";
import { jsonResponse, mockFetch, renderWithProviders, type RecordedRequest } from "@/testing/render";
import { makeNextItem, pairwise, rating, text } from "../testing/fixtures";
import { labelingKeys } from "../api/keys";
import { DRAFT_PREFIX } from "../utils/drafts";
import { OUTBOX_PREFIX } from "../utils/outbox";

/** Columns a Mantine SimpleGrid uses from the md breakpoint up, read from its generated styles. */
function columnsFromMd(grid: HTMLElement | null | undefined): string | undefined {
  const cls = [...(grid?.classList ?? [])].find((name) => name.startsWith("__m__"));
  const css = [...document.querySelectorAll('style[data-mantine-styles="inline"]')].map((s) => s.textContent).join("");
  return cls ? new RegExp(`@media\\(min-width: 62em\\)\\{\\.${cls}\\{--sg-cols:(\\d+)`).exec(css)?.[1] : undefined;
}

function renderScreen() {
  return renderWithProviders(<LabelRoute />, { route: "/projects/1/label", path: "/projects/:id/label" });
}

/**
 * Answers `next` from a list of items (null = 204), one per call, repeating the last; `next?after=`
 * from `ahead` by assignment id (missing: 404, i.e. a server that cannot fetch ahead).
 */
function serve(
  items: (NextItem | null)[],
  submit: (request: RecordedRequest) => Response = () => jsonResponse({ id: 1 }, 201),
  ahead: Record<number, NextItem | null> = {},
) {
  let served = 0;
  return mockFetch((request) => {
    if (request.url === "/api/projects/1/next/") {
      const item = items[Math.min(served, items.length - 1)] ?? null;
      served += 1;
      return item ? jsonResponse(item) : jsonResponse(null, 204);
    }
    const after = /^\/api\/projects\/1\/next\/\?after=(\d+)$/.exec(request.url)?.[1];
    if (after !== undefined && Number(after) in ahead) {
      const item = ahead[Number(after)] ?? null;
      return item ? jsonResponse(item) : jsonResponse(null, 204);
    }
    if (request.url.endsWith("/submit/") || request.url.endsWith("/skip/")) {
      return submit(request);
    }
    return jsonResponse({ detail: "Not found." }, 404);
  });
}

/** Holds back the server's answer to every submit and skip until `release` is called. */
function holdSubmits(fetchMock: ReturnType<typeof mockFetch>["fetchMock"]) {
  let release = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const answer = fetchMock.getMockImplementation();
  fetchMock.mockImplementation(async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (/\/(submit|skip)\/$/.test(url)) {
      await gate;
    }
    if (!answer) {
      throw new Error("fetch is not mocked");
    }
    return answer(input, init);
  });
  return () => act(() => release());
}

const secondItem = makeNextItem({
  assignment: { id: 12, expires_at: "2099-01-01T00:00:00Z" },
  progress: { submitted_by_me: 4, open_items: 39 },
});

function pendingOutbox(): string[] {
  return Object.keys(window.localStorage).filter((key) => key.startsWith(OUTBOX_PREFIX));
}

describe("LabelingScreen", () => {
  beforeEach(() => {
    window.localStorage.clear();
  });

  it("shows a chat prompt as turns and blinded candidates as Response A/B in display order", async () => {
    serve([
      makeNextItem({
        item: {
          id: 5,
          external_id: "secret-id",
          meta: {},
          rubric: [],
          prompt: [
            { role: "system", content: "Be brief." },
            { role: "user", content: "What is **recursion**?" },
          ],
        },
      }),
    ]);
    renderScreen();

    const panels = await screen.findAllByTestId("candidate");
    expect(panels).toHaveLength(2);
    expect(within(panels[0] ?? document.body).getByRole("heading")).toHaveTextContent(/^Response A$/);
    expect(within(panels[1] ?? document.body).getByRole("heading")).toHaveTextContent(/^Response B$/);
    // Display order, not id order: "b" is shown first.
    expect(panels[0]).toHaveTextContent("Recursion is when a function calls itself.");
    expect(panels[0]?.parentElement).toBe(panels[1]?.parentElement);
    expect(columnsFromMd(panels[0]?.parentElement)).toBe("2");

    const turns = screen.getAllByTestId("prompt-turn");
    expect(turns.map((turn) => turn.dataset.role)).toEqual(["system", "user"]);
    expect(within(turns[1] ?? document.body).getByText("recursion").tagName).toBe("STRONG");
    expect(screen.queryByText("secret-id")).not.toBeInTheDocument();
    expect(screen.getByTestId("progress")).toHaveTextContent("3 submitted by you · 40 open");
  });

  it("shows model names and metadata only when the project is not blinded, and never raw HTML", async () => {
    serve([
      makeNextItem({
        item: {
          id: 5,
          external_id: "q-17",
          prompt: "Hi <img src=x onerror=alert(1)>",
          meta: { source: "arena" },
          rubric: [],
        },
        candidates: [
          { id: "a", text: "```python\nprint('hi')\n```", model: "model-x" },
          { id: "b", text: "<script>alert(1)</script>Hello", model: "model-y" },
        ],
      }),
    ]);
    const { container } = renderScreen();

    const panels = await screen.findAllByTestId("candidate");
    expect(panels[0]).toHaveTextContent("Response Amodel-x");
    expect(screen.getByText("arena")).toBeInTheDocument();
    expect(container.querySelector("script, img")).toBeNull();
    expect(panels[0]?.querySelector("code.hljs")).not.toBeNull();
  });

  it("stacks three or more candidates", async () => {
    serve([
      makeNextItem({
        questions: [rating()],
        candidates: ["x", "y", "z"].map((id) => ({ id, text: `text ${id}`, model: null })),
      }),
    ]);
    renderScreen();
    const panels = await screen.findAllByTestId("candidate");
    expect(panels.map((panel) => within(panel).getByRole("heading").textContent)).toEqual([
      "Response A",
      "Response B",
      "Response C",
    ]);
    expect(columnsFromMd(panels[0]?.parentElement)).toBe("1");
  });

  it("says so when nothing is left (204)", async () => {
    serve([null]);
    renderScreen();
    expect(await screen.findByText("Nothing left to label")).toBeInTheDocument();
  });

  it("submits with the keyboard in canonical ids, then shows the next item", async () => {
    const second = makeNextItem({
      assignment: { id: 12, expires_at: "2099-01-01T00:00:00Z" },
      progress: { submitted_by_me: 4, open_items: 39 },
    });
    const { requests } = serve([makeNextItem({ questions: [pairwise(), text()] }), second]);
    const user = userEvent.setup({ delay: null });
    renderScreen();

    const submitButton = await screen.findByRole("button", { name: "Submit" });
    expect(submitButton).toBeDisabled();
    await user.keyboard("3");
    expect(submitButton).toBeEnabled();
    expect(screen.getByRole("button", { name: /B is better/ })).toHaveAttribute("aria-pressed", "true");
    await user.keyboard("{Enter}");

    await waitFor(() => expect(screen.getByTestId("progress")).toHaveTextContent("4 submitted by you"));
    const submit = requests.find((request) => request.url === "/api/assignments/11/submit/");
    expect(submit?.method).toBe("POST");
    expect(submit?.body).toEqual({ answers: { pref: { winner: "a" } }, time_spent_ms: expect.any(Number) as number });
    expect(requests.filter((request) => request.url === "/api/projects/1/next/")).toHaveLength(2);
    expect(Object.keys(window.localStorage).filter((key) => key.startsWith(OUTBOX_PREFIX))).toEqual([]);
    expect(window.localStorage.getItem(`${DRAFT_PREFIX}11`)).toBeNull();
  });

  it("keeps the answer on a network failure, shows it as pending and sends it when back online", async () => {
    let online = false;
    serve([makeNextItem(), makeNextItem({ assignment: { id: 12, expires_at: "2099-01-01T00:00:00Z" } })], () => {
      if (!online) {
        throw new TypeError("Failed to fetch");
      }
      return jsonResponse({ id: 1 }, 200);
    });
    const user = userEvent.setup({ delay: null });
    renderScreen();
    await screen.findAllByTestId("candidate");

    await user.keyboard("1{Enter}");
    expect(await screen.findByTestId("outbox-status")).toHaveTextContent("1 answer pending — retrying");
    expect(screen.getByText("Your answer is saved on this device")).toBeInTheDocument();
    const stored = JSON.parse(window.localStorage.getItem(`${OUTBOX_PREFIX}11`) ?? "null") as { body: unknown };
    expect(stored.body).toMatchObject({ answers: { pref: { winner: "b" } } });

    online = true;
    act(() => {
      window.dispatchEvent(new Event("online"));
    });
    await waitFor(() => expect(screen.queryByTestId("outbox-status")).not.toBeInTheDocument());
    expect(await screen.findAllByTestId("candidate")).toHaveLength(2);
    expect(window.localStorage.getItem(`${OUTBOX_PREFIX}11`)).toBeNull();
  });

  it("shows a 400 next to the question it names and lets the person fix it", async () => {
    serve([makeNextItem({ questions: [pairwise(), rating({ required: false })] })], () =>
      jsonResponse({ answers: { pref: { winner: ["This assignment shows other candidates."] } } }, 400),
    );
    const user = userEvent.setup({ delay: null });
    renderScreen();
    await screen.findAllByTestId("candidate");

    await user.keyboard("1{Enter}");
    const question = screen.getByTestId("question-pref");
    expect(await within(question).findByRole("alert")).toHaveTextContent("winner: This assignment shows other candidates.");
    expect(screen.getByRole("button", { name: "Submit" })).toBeEnabled();
    expect(window.localStorage.getItem(`${OUTBOX_PREFIX}11`)).toBeNull();
  });

  it("restores the draft when the same assignment comes back after a reload", async () => {
    serve([makeNextItem({ questions: [pairwise(), rating()] })]);
    const user = userEvent.setup({ delay: null });
    const first = renderScreen();
    await screen.findAllByTestId("candidate");
    await user.keyboard("3j4");
    first.unmount();

    renderScreen();
    await screen.findAllByTestId("candidate");
    expect(screen.getByRole("button", { name: /B is better/ })).toHaveAttribute("aria-pressed", "true");
    const ratingQuestion = screen.getByTestId("question-quality");
    expect(within(ratingQuestion).getByRole("group", { name: "Response A · Helpfulness" })).toContainElement(
      within(ratingQuestion).getAllByRole("button", { pressed: true })[0] ?? null,
    );
  });

  it("skips with s and moves on, showing a 409 message", async () => {
    const { requests } = serve([makeNextItem(), null], () =>
      jsonResponse({ detail: "This assignment expired and the item was labeled by others." }, 409),
    );
    const user = userEvent.setup({ delay: null });
    renderScreen();
    await screen.findAllByTestId("candidate");

    await user.keyboard("s");
    expect(await screen.findByText("Nothing left to label")).toBeInTheDocument();
    expect(screen.getByRole("alert")).toHaveTextContent("expired and the item was labeled by others");
    expect(requests.some((request) => request.url === "/api/assignments/11/skip/")).toBe(true);
  });
  describe("fetching ahead", () => {
    it("asks for the item after the one on screen and moves to it before the server has the answer", async () => {
      const { requests, fetchMock } = serve([makeNextItem()], undefined, { 11: secondItem, 12: null });
      const release = holdSubmits(fetchMock);
      const user = userEvent.setup({ delay: null });
      const { queryClient } = renderScreen();
      await screen.findAllByTestId("candidate");
      await waitFor(() => expect(queryClient.getQueryData(labelingKeys.ahead(1, 11))).toEqual(secondItem));
      const aheadRequest = requests.find((request) => request.url === "/api/projects/1/next/?after=11");
      expect(aheadRequest?.method).toBe("POST");

      await user.keyboard("1{Enter}");
      // The next item is on screen while the submit is still on its way, with no loading state.
      await waitFor(() => expect(screen.getByTestId("progress")).toHaveTextContent("4 submitted by you"));
      expect(pendingOutbox()).toEqual([`${OUTBOX_PREFIX}11`]);
      expect(screen.queryByLabelText("Loading the next item")).not.toBeInTheDocument();
      expect(screen.getByRole("button", { name: /A is better/ })).toBeEnabled();
      // Nothing is fetched behind it while the previous answer is still held by the server.
      expect(requests.some((request) => request.url === "/api/projects/1/next/?after=12")).toBe(false);

      release();
      await waitFor(() => expect(pendingOutbox()).toEqual([]));
      await waitFor(() =>
        expect(requests.some((request) => request.url === "/api/projects/1/next/?after=12")).toBe(true),
      );
      expect(requests.find((request) => request.url === "/api/assignments/11/submit/")?.body).toMatchObject({
        answers: { pref: { winner: "b" } },
      });
      expect(screen.getByTestId("progress")).toHaveTextContent("4 submitted by you");
      expect(requests.filter((request) => request.url === "/api/projects/1/next/")).toHaveLength(1);
      expect(window.localStorage.getItem(`${DRAFT_PREFIX}11`)).toBeNull();
    });

    it("brings the previous item back with its errors and draft when its submit gets a 400", async () => {
      const { fetchMock } = serve(
        [makeNextItem({ questions: [pairwise(), rating({ required: false })] })],
        (request) =>
          request.url === "/api/assignments/11/submit/"
            ? jsonResponse({ answers: { pref: { winner: ["This assignment shows other candidates."] } } }, 400)
            : jsonResponse({ id: 1 }, 201),
        { 11: secondItem, 12: null },
      );
      const release = holdSubmits(fetchMock);
      const user = userEvent.setup({ delay: null });
      const { queryClient } = renderScreen();
      await screen.findAllByTestId("candidate");
      await waitFor(() => expect(queryClient.getQueryData(labelingKeys.ahead(1, 11))).toEqual(secondItem));

      await user.keyboard("1{Enter}");
      await waitFor(() => expect(screen.getByTestId("progress")).toHaveTextContent("4 submitted by you"));
      await user.keyboard("3");
      expect(screen.getByRole("button", { name: /B is better/ })).toHaveAttribute("aria-pressed", "true");

      release();
      await waitFor(() => expect(screen.getByTestId("progress")).toHaveTextContent("3 submitted by you"));
      const question = screen.getByTestId("question-pref");
      expect(await within(question).findByRole("alert")).toHaveTextContent(
        "winner: This assignment shows other candidates.",
      );
      expect(screen.getByRole("button", { name: /A is better/ })).toHaveAttribute("aria-pressed", "true");
      expect(screen.getByRole("button", { name: "Submit" })).toBeEnabled();
      expect(pendingOutbox()).toEqual([]);
      // The item shown meanwhile keeps its draft for when it comes back.
      expect(window.localStorage.getItem(`${DRAFT_PREFIX}12`)).toContain('"winner"');
    });

    it("stays on the item fetched ahead when the previous answer gets a 409, showing the message", async () => {
      const { fetchMock } = serve(
        [makeNextItem()],
        () => jsonResponse({ detail: "This assignment expired and the item was labeled by others." }, 409),
        { 11: secondItem, 12: null },
      );
      const release = holdSubmits(fetchMock);
      const user = userEvent.setup({ delay: null });
      const { queryClient } = renderScreen();
      await screen.findAllByTestId("candidate");
      await waitFor(() => expect(queryClient.getQueryData(labelingKeys.ahead(1, 11))).toEqual(secondItem));

      await user.keyboard("1{Enter}");
      await waitFor(() => expect(screen.getByTestId("progress")).toHaveTextContent("4 submitted by you"));
      release();
      expect(await screen.findByRole("alert")).toHaveTextContent("expired and the item was labeled by others");
      expect(screen.getByTestId("progress")).toHaveTextContent("4 submitted by you");
      expect(screen.getByRole("button", { name: /A is better/ })).toBeEnabled();
    });

    it("shows the done state only once the answer is delivered when nothing was left behind", async () => {
      const { requests, fetchMock } = serve([makeNextItem(), null], undefined, { 11: null });
      const release = holdSubmits(fetchMock);
      const user = userEvent.setup({ delay: null });
      const { queryClient } = renderScreen();
      await screen.findAllByTestId("candidate");
      await waitFor(() => expect(queryClient.getQueryData(labelingKeys.ahead(1, 11))).toBeNull());

      await user.keyboard("s");
      await waitFor(() => expect(pendingOutbox()).toEqual([`${OUTBOX_PREFIX}11`]));
      expect(screen.queryByText("Nothing left to label")).not.toBeInTheDocument();
      expect(screen.getAllByTestId("candidate")).toHaveLength(2);

      release();
      expect(await screen.findByText("Nothing left to label")).toBeInTheDocument();
      expect(pendingOutbox()).toEqual([]);
      // Re-checked with a plain `next`: an item may have been released meanwhile.
      await waitFor(() =>
        expect(requests.filter((request) => request.url === "/api/projects/1/next/")).toHaveLength(2),
      );
    });
  });
});
