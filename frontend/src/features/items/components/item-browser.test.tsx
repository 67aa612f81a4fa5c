import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { page } from "@/testing/fixtures";
import { jsonResponse, mockFetch, renderWithProviders, type RecordedRequest } from "@/testing/render";
import { makeItemPrediction } from "@/features/judges/testing/fixtures";
import { makeAnnotation, makeFullProject, makeItem } from "../testing/fixtures";
import { ItemBrowser } from "./item-browser";

vi.setConfig({ testTimeout: 20_000 });

const project = makeFullProject();
const itemsPath = "/api/projects/3/items/";

function backend(handler: (request: RecordedRequest) => Response | undefined = () => undefined) {
  return mockFetch((request) => {
    const answer = handler(request);
    if (answer) return answer;
    if (request.url.startsWith(itemsPath) && !/items\/\d+\//.test(request.url)) {
      return jsonResponse(page([makeItem({ id: 12 }), makeItem({ id: 13, external_id: "q-13", done: true })]));
    }
    return jsonResponse({ detail: "Not found." }, 404);
  });
}

const itemListUrls = (requests: RecordedRequest[]) =>
  requests.map((request) => request.url).filter((url) => url.startsWith(itemsPath) && !/items\/\d+\//.test(url));

describe("ItemBrowser", () => {
  it("turns the filters into the items query string", async () => {
    const { requests } = backend();
    renderWithProviders(<ItemBrowser project={project} />, { route: "/projects/3/items", path: "/projects/:id/items" });
    await screen.findAllByTestId("item-row");
    expect(itemListUrls(requests)).toEqual([`${itemsPath}?page=1`]);

    await userEvent.click(screen.getByRole("radio", { name: "Open" }));
    await userEvent.click(screen.getByRole("radio", { name: "Not gold" }));
    fireEvent.change(screen.getByRole("textbox", { name: "Min annotations" }), { target: { value: "1" } });
    fireEvent.change(screen.getByRole("textbox", { name: "Max annotations" }), { target: { value: "3" } });
    fireEvent.change(screen.getByRole("textbox", { name: "Source model" }), { target: { value: "gpt-4o mini" } });
    fireEvent.change(screen.getByRole("textbox", { name: "External id" }), { target: { value: "q-7" } });

    await waitFor(() =>
      expect(itemListUrls(requests).at(-1)).toBe(
        `${itemsPath}?status=open&gold=false&min_annotations=1&max_annotations=3&model=gpt-4o%20mini&external_id=q-7&page=1`,
      ),
    );

    await userEvent.click(screen.getByRole("button", { name: "Clear filters" }));
    await waitFor(() => expect(itemListUrls(requests).at(-1)).toBe(`${itemsPath}?page=1`));
  });

  it("reads filters and the page from the address and pages through results", async () => {
    const { requests } = backend(({ url }) =>
      url.startsWith(itemsPath) && !/items\/\d+\//.test(url)
        ? jsonResponse({
            ...page([makeItem({ id: url.includes("page=2") ? 14 : 12 })]),
            count: 3,
            next: url.includes("page=3") ? null : "http://backend.internal/api/projects/3/items/?page=2",
          })
        : undefined,
    );
    renderWithProviders(<ItemBrowser project={project} />, {
      route: "/projects/3/items?status=done&gold=true",
      path: "/projects/:id/items",
    });
    await screen.findAllByTestId("item-row");
    expect(itemListUrls(requests)[0]).toBe(`${itemsPath}?status=done&gold=true&page=1`);
    expect(screen.getByRole("radio", { name: "Done" })).toBeChecked();

    await userEvent.click(screen.getByRole("button", { name: "2" }));
    await waitFor(() => expect(itemListUrls(requests).at(-1)).toBe(`${itemsPath}?status=done&gold=true&page=2`));
  });

  it("opens an item with its prompt, candidates and annotations", async () => {
    const annotation = makeAnnotation({ answers: { pref: { winner: "a" } } });
    backend(({ url }) => {
      if (url === `${itemsPath}12/`) return jsonResponse(makeItem({ id: 12, meta: { source: "forum" } }));
      if (url === "/api/projects/3/annotations/?item=12&page=1") return jsonResponse(page([annotation]));
      return undefined;
    });
    renderWithProviders(<ItemBrowser project={project} />, { route: "/projects/3/items", path: "/projects/:id/items" });

    await userEvent.click(await screen.findByRole("button", { name: "q-12" }));

    const drawer = await screen.findByRole("dialog", { name: "Item q-12" });
    expect(within(drawer).getByTestId("prompt")).toHaveTextContent("How do I boil an egg?");
    const candidates = within(drawer).getAllByTestId("candidate");
    expect(candidates[0]).toHaveTextContent("model-x");
    expect(within(candidates[0] ?? drawer).getByText("7 minutes").tagName).toBe("STRONG");
    expect(candidates[1]).toHaveTextContent("model-y");
    const annotations = await within(drawer).findAllByTestId("item-annotation");
    expect(annotations[0]).toHaveTextContent("ann");
    expect(annotations[0]).toHaveTextContent("a (model-x) is better");
    expect(await within(drawer).findByText(/"source": "forum"/)).toBeInTheDocument();
  });

  it("shows each judge's latest verdict on the item in the item browser's candidate names", async () => {
    backend(({ url }) => {
      if (url === `${itemsPath}12/`) return jsonResponse(makeItem({ id: 12 }));
      if (url === `${itemsPath}12/predictions/`) {
        return jsonResponse([
          makeItemPrediction({ judge_name: "gpt-judge", value: { winner: "b" }, probability: 0.82, swap_inconsistency: 0.1 }),
          makeItemPrediction({
            id: 301,
            judge_name: "skywork",
            question_id: "rank",
            value: { order: [["a"], ["b"]] },
            probability: null,
          }),
          makeItemPrediction({ id: 302, question_id: "quality", value: { scores: { a: { helpfulness: "x" } } } }),
        ]);
      }
      if (url.startsWith("/api/projects/3/annotations/")) return jsonResponse(page([]));
      return undefined;
    });
    renderWithProviders(<ItemBrowser project={project} />, {
      route: "/projects/3/items?item=12",
      path: "/projects/:id/items",
    });

    const drawer = await screen.findByRole("dialog", { name: "Item q-12" });
    const section = within(drawer).getByRole("region", { name: "Judges" });
    const rows = await within(section).findAllByTestId("item-prediction");
    expect(rows[0]).toHaveTextContent("gpt-judge");
    expect(rows[0]).toHaveTextContent("b (model-y) is better");
    expect(rows[0]).toHaveTextContent("82%");
    expect(rows[0]).toHaveTextContent("10%");
    expect(rows[1]).toHaveTextContent("a (model-x) > b (model-y)");
    // A value that doesn't fit its question is shown as it is, not guessed at.
    expect(rows[2]).toHaveTextContent('{"scores":{"a":{"helpfulness":"x"}}}');
  });

  it("shows a judge's failed attempt with its error, and a verdict's rationale on request", async () => {
    backend(({ url }) => {
      if (url === `${itemsPath}12/`) return jsonResponse(makeItem({ id: 12 }));
      if (url === `${itemsPath}12/predictions/`) {
        return jsonResponse([
          makeItemPrediction({
            judge_name: "gpt-judge",
            value: { winner: "a" },
            details: { rationale: "Response A gives a time; B would ruin the egg." },
          }),
          // The newest attempt of this judge on this question failed, so it is what shows.
          makeItemPrediction({
            id: 301,
            judge_name: "skywork",
            value: null,
            probability: null,
            error: "Input is longer than 512 tokens.",
          }),
          makeItemPrediction({ id: 302, judge_name: "qwen", value: { winner: "b" }, details: { rationale_error: "timed out" } }),
        ]);
      }
      if (url.startsWith("/api/projects/3/annotations/")) return jsonResponse(page([]));
      return undefined;
    });
    renderWithProviders(<ItemBrowser project={project} />, {
      route: "/projects/3/items?item=12",
      path: "/projects/:id/items",
    });

    const drawer = await screen.findByRole("dialog", { name: "Item q-12" });
    const section = within(drawer).getByRole("region", { name: "Judges" });
    const rows = await within(section).findAllByTestId("item-prediction");
    expect(rows).toHaveLength(3);
    const [explained, failed, unexplained] = rows.map((row) => within(row));
    if (!explained || !failed || !unexplained) throw new Error("missing rows");

    expect(rows[1]).toHaveAttribute("data-failed", "true");
    expect(failed.getByTestId("prediction-error")).toHaveTextContent("Input is longer than 512 tokens.");
    expect(failed.getByText("Failed")).toBeInTheDocument();
    expect(rows[1]).not.toHaveTextContent("is better");

    // Collapsed until asked for.
    expect(explained.queryByTestId("prediction-rationale")).not.toBeInTheDocument();
    const toggle = explained.getByRole("button", { name: "Show rationale" });
    expect(toggle).toHaveAttribute("aria-expanded", "false");
    await userEvent.click(toggle);
    const rationale = explained.getByTestId("prediction-rationale");
    expect(rationale).toHaveTextContent("Response A gives a time; B would ruin the egg.");
    expect(rationale).toHaveTextContent("Response A is a (model-x), response B is b (model-y).");
    expect(explained.getByRole("button", { name: "Hide rationale" })).toHaveAttribute("aria-expanded", "true");

    expect(rows[2]).toHaveTextContent("b (model-y) is better");
    expect(rows[2]).toHaveTextContent("No rationale: timed out");
    expect(unexplained.queryByRole("button", { name: "Show rationale" })).not.toBeInTheDocument();
  });
});
