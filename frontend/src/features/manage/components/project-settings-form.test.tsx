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

  it("shows on its card that a changed question no longer fits existing answers, until it is edited", async () => {
    const message =
      "3 existing annotation(s) would no longer fit this question; change it so that what they answered stays valid.";
    mockFetch(() => jsonResponse({ questions: { "1": { non_field_errors: [message] } } }, 400));
    renderWithProviders(<ProjectSettingsForm project={project} />);
    const cards = () => screen.getAllByTestId("question-card");

    await userEvent.click(screen.getByRole("button", { name: "Save" }));

    expect(await within(cards()[1] ?? document.body).findByTestId("question-errors")).toHaveTextContent(message);
    expect(within(cards()[0] ?? document.body).queryByTestId("question-errors")).not.toBeInTheDocument();
    expect(screen.queryByTestId("questions-errors")).not.toBeInTheDocument();
    expect(screen.getByText("Some questions were rejected; see the messages at the questions.")).toBeInTheDocument();

    await userEvent.type(within(cards()[1] ?? document.body).getByRole("textbox", { name: /^Prompt/ }), "!");
    expect(screen.queryByText(message)).not.toBeInTheDocument();
  });

  it("shows above the questions that a removed question has answers", async () => {
    const removal = `Question '${questions[1]?.id ?? ""}' has 4 answer(s) and cannot be removed.`;
    const { requests } = mockFetch(() => jsonResponse({ questions: { non_field_errors: [removal] } }, 400));
    renderWithProviders(<ProjectSettingsForm project={project} />);

    await userEvent.click(screen.getByRole("button", { name: "Remove question 2" }));
    await userEvent.click(screen.getByRole("button", { name: "Save" }));

    await waitFor(() => expect(requests).toHaveLength(1));
    expect(requests[0]?.body).toMatchObject({ questions: [questions[0]] });
    expect(await screen.findByTestId("questions-errors")).toHaveTextContent(removal);
    expect(screen.queryByTestId("question-errors")).not.toBeInTheDocument();
  });

  it("shows a removal refusal and a change refusal from the same save, each in its place", async () => {
    const removal = "Question 'old' has 1 answer(s) and cannot be removed.";
    const change = "2 existing annotation(s) would no longer fit this question; change it so that what they answered stays valid.";
    mockFetch(() => jsonResponse({ questions: { "0": { non_field_errors: [change] }, non_field_errors: [removal] } }, 400));
    renderWithProviders(<ProjectSettingsForm project={project} />);

    await userEvent.click(screen.getByRole("button", { name: "Save" }));

    const list = await screen.findByTestId("questions-errors");
    expect(list).toHaveTextContent(removal);
    expect(list).not.toHaveTextContent(change);
    expect(within(screen.getAllByTestId("question-card")[0] ?? document.body).getByTestId("question-errors")).toHaveTextContent(
      change,
    );
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

  it("offers judge suggestions only while the project is not blind", async () => {
    const { requests } = mockFetch(({ body }) => jsonResponse({ ...project, ...(body as object), updated_at: "2026-11-03T00:00:00Z" }));
    renderWithProviders(<ProjectSettingsForm project={project} />);
    const suggestions = screen.getByRole("switch", { name: /^Show judge suggestions to annotators/ });
    expect(suggestions).toBeDisabled();
    expect(screen.getByText(/Not available while the project is blind/)).toBeInTheDocument();

    await userEvent.click(screen.getByRole("switch", { name: /^Blind/ }));
    expect(suggestions).toBeEnabled();
    await userEvent.click(suggestions);
    await userEvent.click(screen.getByRole("button", { name: "Save" }));

    await waitFor(() => expect(requests).toHaveLength(1));
    expect(requests[0]?.body).toMatchObject({ blind: false, suggestions: true });
  });
});
