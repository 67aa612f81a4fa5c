import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { makeProject, page, pairwiseQuestion, textQuestion } from "@/testing/fixtures";
import { jsonResponse, mockFetch, renderWithProviders } from "@/testing/render";
import { ProjectList } from "./project-list";

describe("ProjectList", () => {
  it("links each project by name and shows role and question count", async () => {
    const { requests } = mockFetch(() =>
      jsonResponse(
        page([
          makeProject({
            id: 3,
            name: "helpfulness-v3",
            role: "owner",
            questions: [pairwiseQuestion(), textQuestion()],
            item_count: 36,
          }),
          makeProject({ id: 7, name: "harmlessness", role: "annotator" }),
        ]),
      ),
    );

    renderWithProviders(<ProjectList />);

    const link = await screen.findByRole("link", { name: "helpfulness-v3" });
    expect(link).toHaveAttribute("href", "/projects/3");
    expect(screen.getByRole("link", { name: "harmlessness" })).toHaveAttribute("href", "/projects/7");

    const cells = (row: number) =>
      within(screen.getAllByRole("row")[row] ?? document.body)
        .getAllByRole("cell")
        .map((cell) => cell.textContent);
    expect(cells(1)).toEqual(["helpfulness-v3", "owner", "2", "36"]);
    expect(cells(2)).toEqual(["harmlessness", "annotator", "0", "0"]);

    expect(requests[0]?.url).toBe("/api/projects/?page=1");
    expect(requests[0]?.credentials).toBe("same-origin");
  });

  it("loads further pages using the page number from the next link", async () => {
    const { requests } = mockFetch(({ url }) =>
      url === "/api/projects/?page=1"
        ? jsonResponse({
            ...page([makeProject({ id: 1, name: "first" })]),
            count: 2,
            next: "http://backend.internal:8000/api/projects/?page=2",
          })
        : jsonResponse({ ...page([makeProject({ id: 2, name: "second" })]), count: 2 }),
    );

    renderWithProviders(<ProjectList />);
    await userEvent.click(await screen.findByRole("button", { name: "Load more" }));

    expect(await screen.findByRole("link", { name: "second" })).toBeInTheDocument();
    expect(requests[1]?.url).toBe("/api/projects/?page=2");
    expect(screen.queryByRole("button", { name: "Load more" })).not.toBeInTheDocument();
  });

  it("shows an empty state", async () => {
    mockFetch(() => jsonResponse(page([])));
    renderWithProviders(<ProjectList />);
    expect(await screen.findByText(/No projects yet/)).toBeInTheDocument();
  });

  it("shows an error with a retry button", async () => {
    mockFetch(() => jsonResponse({ detail: "Boom." }, 500));
    renderWithProviders(<ProjectList />);
    expect(await screen.findByRole("alert")).toHaveTextContent("Boom.");
    expect(screen.getByRole("button", { name: "Try again" })).toBeInTheDocument();
  });
});
