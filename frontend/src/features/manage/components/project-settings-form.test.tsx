import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { makeFullProject } from "@/features/items/testing/fixtures";
import { jsonResponse, mockFetch, renderWithProviders } from "@/testing/render";
import { newQuestion } from "../utils/question-kinds";
import { ProjectSettingsForm } from "./project-settings-form";

vi.setConfig({ testTimeout: 20_000 });

const questions = [newQuestion("pairwise", []), newQuestion("rating", [])];
const project = makeFullProject({ role: "manager", questions, guidelines: "Be **fair**." });

describe("ProjectSettingsForm", () => {
  it("saves every setting with a PATCH", async () => {
    const { requests } = mockFetch(({ body }) => jsonResponse({ ...project, ...(body as object), updated_at: "2026-11-03T00:00:00Z" }));
    renderWithProviders(<ProjectSettingsForm project={project} />);

    const name = screen.getByRole("textbox", { name: /^Name( \*)?$/ });
    await userEvent.clear(name);
    await userEvent.type(name, "helpfulness-v4");
    await userEvent.click(screen.getByRole("switch", { name: /^Blind/ }));
    await userEvent.click(screen.getByRole("button", { name: "Save" }));

    await waitFor(() => expect(requests).toHaveLength(1));
    expect(requests[0]).toMatchObject({
      url: "/api/projects/3/",
      method: "PATCH",
      body: {
        name: "helpfulness-v4",
        guidelines: "Be **fair**.",
        questions,
        overlap: 2,
        assignment: "sequential",
        blind: false,
        lock_timeout_s: 900,
        gold_rate: 0,
      },
    });
    expect(await screen.findByText("Saved")).toBeInTheDocument();
  });

  it("previews the guidelines as Markdown", async () => {
    mockFetch(() => jsonResponse({}));
    renderWithProviders(<ProjectSettingsForm project={project} />);
    await userEvent.click(screen.getByRole("tab", { name: "Preview" }));
    expect(screen.getByText("fair").tagName).toBe("STRONG");
  });

  it("puts the server's errors on the fields they name", async () => {
    mockFetch(() =>
      jsonResponse(
        {
          name: ["A project with this name already exists."],
          questions: { "1": { dimensions: { "0": { max: ["max must be greater than min (5)"] } } } },
        },
        400,
      ),
    );
    renderWithProviders(<ProjectSettingsForm project={project} />);

    await userEvent.click(screen.getByRole("button", { name: "Save" }));

    expect(await screen.findByText("A project with this name already exists.")).toBeInTheDocument();
    const card = screen.getAllByTestId("question-card")[1] ?? document.body;
    const max = within(within(card).getByTestId("dimension")).getByRole("textbox", { name: "Max" });
    expect(max).toHaveAttribute("aria-invalid", "true");
    expect(within(card).getByText("max must be greater than min (5)")).toBeInTheDocument();
    expect(screen.getByRole("alert")).toHaveTextContent("Some questions were rejected");
  });

  it("shows list-level question errors from the server", async () => {
    mockFetch(() => jsonResponse({ questions: ["At most 50 questions."] }, 400));
    renderWithProviders(<ProjectSettingsForm project={project} />);
    await userEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByTestId("questions-errors")).toHaveTextContent("At most 50 questions.");
  });

  it("blocks saving while the questions have problems", async () => {
    const { fetchMock } = mockFetch(() => jsonResponse({}));
    renderWithProviders(<ProjectSettingsForm project={project} />);
    const id = within(screen.getAllByTestId("question-card")[1] ?? document.body).getByRole("textbox", { name: /^Question ID/ });
    await userEvent.clear(id);
    await userEvent.type(id, "pref");
    await userEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText("Fix the problems marked in the questions before saving.")).toBeInTheDocument();
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it("follows saves made elsewhere, unless there are unsaved edits here", async () => {
    mockFetch(() => jsonResponse({}));
    const { rerender } = renderWithProviders(<ProjectSettingsForm project={project} />);
    const name = () => screen.getByRole("textbox", { name: /^Name( \*)?$/ });

    rerender(<ProjectSettingsForm project={{ ...project, name: "renamed", updated_at: "2026-11-04T00:00:00Z" }} />);
    expect(name()).toHaveValue("renamed");

    await userEvent.type(name(), "!");
    rerender(<ProjectSettingsForm project={{ ...project, name: "again", updated_at: "2026-11-05T00:00:00Z" }} />);
    expect(name()).toHaveValue("renamed!");
    expect(screen.getByText(/Someone saved this project while you were editing/)).toBeInTheDocument();

    await userEvent.click(screen.getByRole("button", { name: "Discard my edits and load theirs" }));
    expect(name()).toHaveValue("again");
  });

  it("is read-only below the manager role", () => {
    mockFetch(() => jsonResponse({}));
    renderWithProviders(<ProjectSettingsForm project={{ ...project, role: "reviewer" }} />);
    expect(screen.getByText("Only managers and owners can change these settings.")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Save" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Add question" })).not.toBeInTheDocument();
    expect(screen.getByRole("textbox", { name: /^Name( \*)?$/ })).toHaveAttribute("readonly");
    expect(screen.getAllByTestId("question-card")).toHaveLength(2);
  });
});
