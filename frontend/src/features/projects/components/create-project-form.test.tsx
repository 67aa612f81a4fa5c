import { fireEvent, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { makeProject } from "@/testing/fixtures";
import { jsonResponse, mockFetch, renderWithProviders } from "@/testing/render";
import { DEFAULT_QUESTIONS } from "../utils/default-questions";
import { CreateProjectForm } from "./create-project-form";

describe("CreateProjectForm", () => {
  it("prefills a pairwise question and posts the parsed JSON", async () => {
    const created = makeProject({ id: 9, name: "new", role: "owner" });
    const { requests } = mockFetch(() => jsonResponse(created, 201));
    const onCreated = vi.fn();
    renderWithProviders(<CreateProjectForm onCreated={onCreated} onCancel={vi.fn()} />);

    expect(screen.getByRole("textbox", { name: /Questions/ })).toHaveValue(DEFAULT_QUESTIONS);
    await userEvent.type(screen.getByRole("textbox", { name: /Name/ }), "new");
    await userEvent.click(screen.getByRole("button", { name: "Create project" }));

    await waitFor(() => expect(onCreated).toHaveBeenCalledWith(created));
    expect(requests[0]?.url).toBe("/api/projects/");
    expect(requests[0]?.method).toBe("POST");
    expect(requests[0]?.body).toEqual({
      name: "new",
      guidelines: "",
      questions: [{ id: "pref", kind: "pairwise", prompt: "Which response is better?", tie: true }],
      overlap: 1,
      assignment: "sequential",
      blind: true,
      lock_timeout_s: 900,
    });
  });

  it("shows server field errors next to the fields", async () => {
    mockFetch(() =>
      jsonResponse(
        {
          name: ["A project with this name already exists."],
          questions: { "1": { kind: ['"bogus" is not a valid choice.'] } },
          owner: ["Unknown user."],
        },
        400,
      ),
    );
    const onCreated = vi.fn();
    renderWithProviders(<CreateProjectForm onCreated={onCreated} onCancel={vi.fn()} />);

    await userEvent.type(screen.getByRole("textbox", { name: /Name/ }), "dup");
    await userEvent.click(screen.getByRole("button", { name: "Create project" }));

    expect(await screen.findByText("A project with this name already exists.")).toBeInTheDocument();
    expect(screen.getByRole("textbox", { name: /Name/ })).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByText('Question 2 › kind: "bogus" is not a valid choice.')).toBeInTheDocument();
    expect(screen.getByRole("alert")).toHaveTextContent("owner: Unknown user.");
    expect(onCreated).not.toHaveBeenCalled();
  });

  it("rejects questions that are not a JSON array before sending", async () => {
    const { fetchMock } = mockFetch(() => jsonResponse({}, 201));
    renderWithProviders(<CreateProjectForm onCreated={vi.fn()} onCancel={vi.fn()} />);

    await userEvent.type(screen.getByRole("textbox", { name: /Name/ }), "x");
    fireEvent.change(screen.getByRole("textbox", { name: /Questions/ }), { target: { value: '{"id": 1}' } });
    await userEvent.click(screen.getByRole("button", { name: "Create project" }));

    expect(await screen.findByText("Questions must be a JSON array")).toBeInTheDocument();
    expect(fetchMock).not.toHaveBeenCalled();
  });
});
