import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { page } from "@/testing/fixtures";
import { jsonResponse, mockFetch, renderWithProviders, type RecordedRequest } from "@/testing/render";
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
});
