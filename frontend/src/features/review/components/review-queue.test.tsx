import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { makeAnnotation, makeFullProject, makeItem, makeVersion } from "@/features/items/testing/fixtures";
import { page } from "@/testing/fixtures";
import { jsonResponse, mockFetch, renderWithProviders, type RecordedRequest } from "@/testing/render";
import { ReviewQueue } from "./review-queue";

const project = makeFullProject();
const answers = {
  pref: { winner: "a", strength: 1, both_bad: false },
  rank: { order: [["a"], ["b"]] },
  quality: { scores: { a: { helpfulness: 5, safety: 1 }, b: { helpfulness: 2, safety: 0 } } },
  rubric: {
    criteria: { a: { cites: "pass", clear: "partly" }, b: { cites: "fail", clear: "yes" } },
    totals: { a: 2.5, b: 1 },
  },
  flags: { labels: { a: [], b: ["hallucination"] } },
  why: { text: "A gives the time." },
};
const first = makeAnnotation({ id: 5, item: 12, annotator: "ann", answers, version: 2, display_order: ["b", "a"] });
const second = makeAnnotation({ id: 6, item: 13, annotator: "bob", answers: { why: { text: "meh" } } });

function backend({ reviewStatus = 201, queue = [first, second] } = {}) {
  return mockFetch(({ url, method }: RecordedRequest) => {
    if (url === "/api/projects/3/annotations/?status=submitted&review_status=pending&page=1") {
      return jsonResponse(page(queue));
    }
    if (url === "/api/projects/3/items/12/") return jsonResponse(makeItem({ id: 12 }));
    if (url === "/api/projects/3/items/13/") return jsonResponse(makeItem({ id: 13, external_id: "q-13" }));
    if (url === "/api/annotations/5/versions/") {
      return jsonResponse([
        makeVersion({ version: 1, answers: { ...answers, pref: { winner: "b" } } }),
        makeVersion({ version: 2, answers, edited_by: "ann" }),
      ]);
    }
    if (url === "/api/annotations/6/versions/") return jsonResponse([makeVersion()]);
    if (url.endsWith("/review/") && method === "POST") {
      return reviewStatus === 201
        ? jsonResponse({ id: 1, annotation: 5, reviewer: "rev", decision: "accept", comment: "", created_at: "" }, 201)
        : jsonResponse({ comment: ["Say why the annotation is rejected."] }, reviewStatus);
    }
    return jsonResponse({ detail: "Not found." }, 404);
  });
}

const reviewRequests = (requests: RecordedRequest[]) => requests.filter((request) => request.url.endsWith("/review/"));

describe("ReviewQueue", () => {
  it("shows the item as the annotator saw it and the answers in readable form", async () => {
    backend();
    renderWithProviders(<ReviewQueue project={project} />);

    const detail = await screen.findByTestId("review-detail");
    expect(await within(detail).findByText("Item q-12")).toBeInTheDocument();
    expect(screen.getByTestId("pending-count")).toHaveTextContent("2 pending");

    // Display order b, a: b was shown first as Response A.
    const shown = within(detail).getAllByTestId("candidate");
    expect(shown[0]).toHaveTextContent("Response A");
    expect(shown[0]).toHaveTextContent("Fry it.");
    expect(shown[0]).toHaveTextContent("model-y");
    expect(shown[1]).toHaveTextContent("Response B");
    expect(shown[1]).toHaveTextContent("model-x");

    const answer = (id: string) => within(detail).getAllByTestId("answer").find((node) => node.dataset.question === id);
    expect(answer("pref")).toHaveTextContent("Response B (model-x) is better");
    expect(answer("pref")).toHaveTextContent("clearly");
    expect(answer("rank")).toHaveTextContent("Response B (model-x)");
    const ratingCells = within(answer("quality") ?? detail)
      .getAllByRole("row")
      .map((row) => row.textContent);
    expect(ratingCells).toEqual([
      "DimensionResponse A (model-y)Response B (model-x)",
      "Helpfulness2 / 55 / 5 (excellent)",
      "safety0 / 11 / 1",
    ]);
    expect(answer("rubric")).toHaveTextContent("Total1 / 32.5 / 3");
    expect(answer("flags")).toHaveTextContent("Response A (model-y):hallucination");
    expect(answer("why")).toHaveTextContent("A gives the time.");

    // Two versions, newest first.
    const history = await within(detail).findByTestId("version-history");
    expect(within(history).getAllByRole("button").map((button) => button.textContent)).toEqual([
      expect.stringContaining("Version 2"),
      expect.stringContaining("Version 1"),
    ]);
  });

  it("accepts with the button and moves on to the next annotation", async () => {
    const { requests } = backend();
    renderWithProviders(<ReviewQueue project={project} />);
    await screen.findByText("Item q-12");

    await userEvent.click(screen.getByRole("button", { name: "Accept" }));

    await waitFor(() => expect(reviewRequests(requests)).toHaveLength(1));
    expect(reviewRequests(requests)[0]).toMatchObject({
      url: "/api/annotations/5/review/",
      method: "POST",
      body: { decision: "accept", comment: "" },
    });
    expect(await screen.findByText("Item q-13")).toBeInTheDocument();
    expect(screen.getByRole("status")).toHaveTextContent("Accepted ann's annotation of item 12.");
  });

  it("accepts with the a key", async () => {
    const { requests } = backend();
    renderWithProviders(<ReviewQueue project={project} />);
    await screen.findByText("Item q-12");

    await userEvent.keyboard("a");

    await waitFor(() => expect(reviewRequests(requests)).toHaveLength(1));
    expect(reviewRequests(requests)[0]?.body).toEqual({ decision: "accept", comment: "" });
  });

  it("rejects only with a comment, opened with the r key", async () => {
    const { requests } = backend();
    renderWithProviders(<ReviewQueue project={project} />);
    await screen.findByText("Item q-12");

    await userEvent.keyboard("r");
    const comment = await screen.findByRole("textbox", { name: /Why is it rejected/ });
    expect(comment).toHaveFocus();
    expect(comment).toHaveValue("");

    await userEvent.click(screen.getByRole("button", { name: "Confirm rejection" }));
    expect(screen.getByText("Say why the annotation is rejected.")).toBeInTheDocument();
    expect(reviewRequests(requests)).toHaveLength(0);

    await userEvent.type(comment, "Wrong winner: B never gives a time.");
    await userEvent.keyboard("{Control>}{Enter}{/Control}");

    await waitFor(() => expect(reviewRequests(requests)).toHaveLength(1));
    expect(reviewRequests(requests)[0]).toMatchObject({
      url: "/api/annotations/5/review/",
      body: { decision: "reject", comment: "Wrong winner: B never gives a time." },
    });
  });

  it("shows the server's comment error next to the comment", async () => {
    backend({ reviewStatus: 400 });
    renderWithProviders(<ReviewQueue project={project} />);
    await screen.findByText("Item q-12");

    await userEvent.click(screen.getByRole("button", { name: "Reject" }));
    await userEvent.type(screen.getByRole("textbox", { name: /Why is it rejected/ }), " x");
    await userEvent.click(screen.getByRole("button", { name: "Confirm rejection" }));

    expect(await screen.findByText("Say why the annotation is rejected.")).toBeInTheDocument();
    expect(screen.getByRole("textbox", { name: /Why is it rejected/ })).toHaveAttribute("aria-invalid", "true");
  });

  it("says when there is nothing to review", async () => {
    backend({ queue: [] });
    renderWithProviders(<ReviewQueue project={project} />);
    expect(await screen.findByText("Nothing to review")).toBeInTheDocument();
  });
});
