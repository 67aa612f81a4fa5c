import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import type { NextItem } from "@/api/types";
import { LabelRoute } from "@/app/routes/label";
import { jsonResponse, mockFetch, renderWithProviders } from "@/testing/render";
import { labels, makeNextItem, pairwise, ranking, rubric, text } from "../testing/fixtures";

function setup(item: NextItem) {
  const fetch = mockFetch((request) => {
    if (request.url === "/api/projects/1/next/") {
      return jsonResponse(item);
    }
    // Fetching ahead: nothing behind this item.
    return request.url.startsWith("/api/projects/1/next/") ? jsonResponse(null, 204) : jsonResponse({ id: 1 }, 201);
  });
  const user = userEvent.setup({ delay: null });
  renderWithProviders(<LabelRoute />, { route: "/projects/1/label", path: "/projects/:id/label" });
  const submitted = () => fetch.requests.find((request) => request.url.endsWith("/submit/"))?.body;
  return { user, submitted };
}

const three = [
  { id: "x", text: "first", model: null },
  { id: "y", text: "second", model: null },
  { id: "z", text: "third", model: null },
];

describe("labeling keyboard", () => {
  beforeEach(() => {
    window.localStorage.clear();
  });

  it("keeps every key when keys arrive faster than the screen re-renders", async () => {
    const { submitted } = setup(
      makeNextItem({ questions: [pairwise({ strength: ["slightly", "much"] }), text({ required: false })] }),
    );
    await screen.findByTestId("question-pref");
    // One act: no re-render between the keys, as with a fast typist or key repeat.
    act(() => {
      for (const key of ["1", "w", "Enter"]) {
        window.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true }));
      }
    });
    await waitFor(() =>
      expect(submitted()).toMatchObject({ answers: { pref: { winner: "b", strength: 1 } } }),
    );
  });

  it("reorders a ranking with arrows and space, ties with t, and submits with Enter", async () => {
    const { user, submitted } = setup(makeNextItem({ candidates: three, questions: [ranking()] }));
    const question = await screen.findByTestId("question-rank");
    await user.keyboard("{ArrowDown}{ArrowDown} {ArrowUp}{ArrowUp} ");
    expect(within(question).getAllByRole("listitem").map((row) => row.textContent?.match(/Response \w/)?.[0])).toEqual([
      "Response C",
      "Response A",
      "Response B",
    ]);
    await user.keyboard("{ArrowDown}{ArrowDown}t{Enter}");
    await waitFor(() =>
      expect(submitted()).toEqual({
        answers: { rank: { order: [["z"], ["x", "y"]] } },
        time_spent_ms: expect.any(Number) as number,
      }),
    );
  });

  it("toggles labels and rubric levels with digits on the focused row; j moves on", async () => {
    const { user, submitted } = setup(
      makeNextItem({ questions: [labels({ per: "candidate" }), rubric()] }),
    );
    await screen.findByTestId("question-flags");
    await user.keyboard("13{ArrowDown}2j2{ArrowDown}1{Enter}");
    await waitFor(() =>
      expect(submitted()).toMatchObject({
        answers: {
          flags: { labels: { b: ["unsafe", "refusal"], a: ["hallucination"] } },
          rubric: { criteria: { b: { cites: "pass" }, a: { cites: "fail" } } },
        },
      }),
    );
    expect(within(screen.getByTestId("question-rubric")).getByText(/2 pts of 2 pts/)).toBeInTheDocument();
  });

  it("keeps typing in a text field as text; Escape leaves it and Ctrl+Enter submits", async () => {
    const { user, submitted } = setup(makeNextItem({ questions: [pairwise(), text({ required: true })] }));
    await screen.findByTestId("question-why");
    await user.keyboard("1j");
    const field = screen.getByRole("textbox", { name: "Why?" });
    expect(field).toHaveFocus();
    await user.keyboard("s 3g?{Enter}");
    expect(field).toHaveValue("s 3g?\n");
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: /A is better/ })).toHaveAttribute("aria-pressed", "true");

    await user.keyboard("{Escape}");
    expect(screen.getByTestId("question-why")).toHaveFocus();
    await user.keyboard("k3");
    expect(screen.getByRole("button", { name: /B is better/ })).toHaveAttribute("aria-pressed", "true");
    await user.click(field);
    await user.keyboard("{Control>}{Enter}{/Control}");
    await waitFor(() => expect(submitted()).toMatchObject({ answers: { pref: { winner: "a" }, why: { text: "s 3g?\n" } } }));
  });

  it("answers by click too, and opens the guidelines with g and the shortcuts with ?", async () => {
    const { user } = setup(makeNextItem({ questions: [pairwise({ strength: ["slightly", "much"], both_bad: true })] }));
    await user.click(await screen.findByRole("button", { name: /Tie/ }));
    expect(screen.getByRole("button", { name: /Tie/ })).toHaveAttribute("aria-pressed", "true");
    expect(screen.getByRole("button", { name: /much/ })).toBeDisabled();
    await user.keyboard("1wx");
    expect(screen.getByRole("button", { name: /much/ })).toHaveAttribute("aria-pressed", "true");
    expect(screen.getByRole("button", { name: /Both are bad/ })).toHaveAttribute("aria-pressed", "true");

    await user.keyboard("g");
    const drawer = await screen.findByRole("dialog", { name: "Guidelines" });
    expect(within(drawer).getByText("correct").tagName).toBe("EM");
    await user.keyboard("{Escape}");
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    await user.keyboard("?");
    expect(await screen.findByRole("dialog", { name: "Keyboard shortcuts" })).toHaveTextContent("Pick up or drop");
  });

  it("moves between question cards with Tab from inside one, and leaves Tab alone elsewhere", async () => {
    const { user } = setup(makeNextItem({ questions: [pairwise(), labels(), rubric()] }));
    await screen.findByTestId("question-pref");
    await user.tab();
    expect(screen.getByTestId("question-pref")).toHaveFocus();
    await user.tab();
    expect(screen.getByTestId("question-flags")).toHaveFocus();
    expect(screen.getByTestId("question-flags")).toHaveAttribute("data-active", "true");
    await user.tab({ shift: true });
    expect(screen.getByTestId("question-pref")).toHaveFocus();

    screen.getByRole("button", { name: /Guidelines/ }).focus();
    await user.tab();
    expect(screen.getByRole("button", { name: "Keyboard shortcuts" })).toHaveFocus();
  });

  it("shows word differences between the two responses with d", async () => {
    const { user } = setup(
      makeNextItem({
        candidates: [
          { id: "a", text: "The answer is four.", model: null },
          { id: "b", text: "The answer is five.", model: null },
        ],
      }),
    );
    const [left, right] = await screen.findAllByTestId("candidate");
    await user.keyboard("d");
    expect(screen.getByRole("switch", { name: /Show differences/ })).toBeChecked();
    expect(left?.querySelector("del")).toHaveTextContent(/^four$/);
    expect(right?.querySelector("ins")).toHaveTextContent(/^five$/);
    await user.keyboard("d");
    expect(left?.querySelector("del")).toBeNull();
  });

  it("on Enter with a required question unanswered, moves to it instead of submitting", async () => {
    const { user, submitted } = setup(makeNextItem({ questions: [text({ id: "note" }), pairwise()] }));
    await screen.findByTestId("question-pref");
    await user.keyboard("{Enter}");
    expect(screen.getByTestId("question-pref")).toHaveAttribute("data-active", "true");
    expect(screen.getByText("Answer the highlighted question before submitting.")).toBeInTheDocument();
    expect(submitted()).toBeUndefined();
  });
});
