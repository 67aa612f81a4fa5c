import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { makeProject } from "@/testing/fixtures";
import { jsonResponse, mockFetch, renderWithProviders } from "@/testing/render";
import { DEFAULT_QUESTIONS } from "../utils/default-questions";
import { CreateProjectForm } from "./create-project-form";

describe("CreateProjectForm", () => {
  it("starts with a pairwise question in the questions editor and posts the project", async () => {
    const created = makeProject({ id: 9, name: "new", role: "owner" });
    const { requests } = mockFetch(() => jsonResponse(created, 201));
    const onCreated = vi.fn();
    renderWithProviders(<CreateProjectForm onCreated={onCreated} onCancel={vi.fn()} />);

    const cards = screen.getAllByTestId("question-card");
    expect(cards).toHaveLength(1);
    expect(within(cards[0] ?? document.body).getByRole("textbox", { name: /^Question ID/ })).toHaveValue("pref");
    await userEvent.type(screen.getByRole("textbox", { name: /^Name( \*)?$/ }), "new");
    await userEvent.click(screen.getByRole("button", { name: "Create project" }));

    await waitFor(() => expect(onCreated).toHaveBeenCalledWith(created));
    expect(requests[0]?.url).toBe("/api/projects/");
    expect(requests[0]?.method).toBe("POST");
    expect(requests[0]?.body).toEqual({
      name: "new",
      guidelines: "",
      questions: DEFAULT_QUESTIONS,
      overlap: 1,
      assignment: "sequential",
      blind: true,
      suggestions: false,
      lock_timeout_s: 900,
      gold_rate: 0,
    });
  });

  it("shows server field errors next to the fields", async () => {
    mockFetch(() =>
      jsonResponse(
        {
          name: ["A project with this name already exists."],
          questions: { "0": { prompt: ["String should have at most 2000 characters"] } },
          owner: ["Unknown user."],
        },
        400,
      ),
    );
    const onCreated = vi.fn();
    renderWithProviders(<CreateProjectForm onCreated={onCreated} onCancel={vi.fn()} />);

    await userEvent.type(screen.getByRole("textbox", { name: /^Name( \*)?$/ }), "dup");
    await userEvent.click(screen.getByRole("button", { name: "Create project" }));

    expect(await screen.findByText("A project with this name already exists.")).toBeInTheDocument();
    expect(screen.getByRole("textbox", { name: /^Name( \*)?$/ })).toHaveAttribute("aria-invalid", "true");
    const card = screen.getByTestId("question-card");
    expect(within(card).getByRole("textbox", { name: /^Prompt/ })).toHaveAttribute("aria-invalid", "true");
    expect(within(card).getByText("String should have at most 2000 characters")).toBeInTheDocument();
    expect(screen.getByRole("alert")).toHaveTextContent("owner: Unknown user.");
    expect(onCreated).not.toHaveBeenCalled();
  });

  it("does not send questions that fail validation", async () => {
    const { fetchMock } = mockFetch(() => jsonResponse({}, 201));
    renderWithProviders(<CreateProjectForm onCreated={vi.fn()} onCancel={vi.fn()} />);

    await userEvent.type(screen.getByRole("textbox", { name: /^Name( \*)?$/ }), "x");
    await userEvent.click(screen.getByRole("button", { name: "Remove question 1" }));
    expect(screen.getByText("A project needs at least one question.")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Create project" }));

    expect(await screen.findByText("Fix the problems marked in the questions first.")).toBeInTheDocument();
    expect(fetchMock).not.toHaveBeenCalled();
  });
});
