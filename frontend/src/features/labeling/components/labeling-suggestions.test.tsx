import { screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it } from "vitest";
import type { NextItem, Suggestions } from "@/api/types";
import { LabelRoute } from "@/app/routes/label";
import { jsonResponse, mockFetch, renderWithProviders } from "@/testing/render";
import { makeNextItem, pairwise } from "../testing/fixtures";

const shown = makeNextItem({
  candidates: [
    { id: "b", text: "Recursion is when a function calls itself.", model: "model-y" },
    { id: "a", text: "It is a loop.", model: "model-x" },
  ],
  questions: [pairwise()],
});
const ahead: NextItem = { ...shown, assignment: { id: 12, expires_at: "2099-01-01T00:00:00Z" } };

function serve(item: NextItem, answers: Record<number, Suggestions>, following: NextItem = ahead) {
  return mockFetch(({ url }) => {
    if (url === "/api/projects/1/next/") return jsonResponse(item);
    if (url === "/api/projects/1/next/?after=11") return jsonResponse(following);
    const assignment = /^\/api\/assignments\/(\d+)\/suggestions\/$/.exec(url)?.[1];
    const answer = assignment === undefined ? undefined : answers[Number(assignment)];
    return answer ? jsonResponse(answer) : jsonResponse({ detail: "Not found." }, 404);
  });
}

function renderScreen() {
  renderWithProviders(<LabelRoute />, { route: "/projects/1/label", path: "/projects/:id/label" });
}

const suggestion = { judge: 1, judge_name: "gpt-judge", question_id: "pref", value: { winner: "b" }, probability: 0.82 };

describe("Judge suggestions on the labeling screen", () => {
  beforeEach(() => {
    window.localStorage.clear();
  });

  it("shows a suggestion next to its question in display letters, without answering it, and fetches the next item's ahead", async () => {
    const { requests } = serve(shown, {
      11: { enabled: true, suggestions: [suggestion] },
      12: { enabled: true, suggestions: [] },
    });
    renderScreen();

    const card = await screen.findByTestId("question-pref");
    expect(await within(card).findByTestId("suggestion")).toHaveTextContent("gpt-judge suggests A is better (82%)");
    for (const name of [/A is better/, /Tie/, /B is better/]) {
      expect(within(card).getByRole("button", { name })).toHaveAttribute("aria-pressed", "false");
    }
    expect(screen.getByRole("button", { name: /^Submit/ })).toBeDisabled();
    await waitFor(() => expect(requests.map((request) => request.url)).toContain("/api/assignments/12/suggestions/"));
  });

  it("shows nothing when the project does not show suggestions", async () => {
    const { requests } = serve(shown, { 11: { enabled: false, suggestions: [] } });
    renderScreen();
    await screen.findByTestId("question-pref");
    await waitFor(() => expect(requests.map((request) => request.url)).toContain("/api/assignments/11/suggestions/"));
    expect(screen.queryByTestId("suggestion")).not.toBeInTheDocument();
  });

  it("does not ask for suggestions in a blind project", async () => {
    const blinded = makeNextItem();
    const { requests } = serve(blinded, { 11: { enabled: true, suggestions: [suggestion] } }, {
      ...blinded,
      assignment: { id: 12, expires_at: "2099-01-01T00:00:00Z" },
    });
    renderScreen();
    await screen.findByTestId("question-pref");
    await waitFor(() => expect(requests.map((request) => request.url)).toContain("/api/projects/1/next/?after=11"));
    expect(requests.some((request) => request.url.includes("/suggestions/"))).toBe(false);
    expect(screen.queryByTestId("suggestion")).not.toBeInTheDocument();
  });
});
