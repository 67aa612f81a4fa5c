import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { makeFullProject } from "@/features/items/testing/fixtures";
import { jsonResponse, mockFetch, renderWithProviders } from "@/testing/render";
import { ProjectShell } from "./project-shell";

function renderShell(role: string, minimumRole?: "reviewer" | "manager") {
  mockFetch(({ url }) =>
    url === "/api/projects/3/" ? jsonResponse(makeFullProject({ role })) : jsonResponse({ detail: "Not found." }, 404),
  );
  renderWithProviders(
    <ProjectShell title="Items" minimumRole={minimumRole} notFound={<p>No such project</p>}>
      {(project) => <p>Content of {project.name}</p>}
    </ProjectShell>,
    { route: "/projects/3/items", path: "/projects/:id/items" },
  );
}

const navLinks = async () =>
  within(await screen.findByRole("navigation", { name: "Project pages" }))
    .getAllByRole("link")
    .map((link) => link.textContent);

describe("ProjectShell", () => {
  it("shows annotators only the labeling page", async () => {
    renderShell("annotator");
    expect(await navLinks()).toEqual(["Overview", "Label"]);
  });

  it("shows managers every page and marks the current one", async () => {
    renderShell("manager", "reviewer");
    expect(await navLinks()).toEqual(["Overview", "Label", "Items", "Review", "Judges", "Active learning", "Dashboard", "Import", "Exports", "Members", "Settings"]);
    expect(screen.getByRole("link", { name: "Items" })).toHaveAttribute("aria-current", "page");
    expect(screen.getByText("Content of helpfulness-v3")).toBeInTheDocument();
  });

  it("explains who may use a page instead of showing it", async () => {
    renderShell("annotator", "reviewer");
    expect(await screen.findByText("This page is for reviewers, managers and owners of the project.")).toBeInTheDocument();
    expect(screen.queryByText(/Content of/)).not.toBeInTheDocument();
  });

  it("shows the not-found fallback for projects the caller can't see", async () => {
    mockFetch(() => jsonResponse({ detail: "Not found." }, 404));
    renderWithProviders(
      <ProjectShell title="Items" notFound={<p>No such project</p>}>
        {() => <p>never</p>}
      </ProjectShell>,
      { route: "/projects/99/items", path: "/projects/:id/items" },
    );
    expect(await screen.findByText("No such project")).toBeInTheDocument();
  });
});
