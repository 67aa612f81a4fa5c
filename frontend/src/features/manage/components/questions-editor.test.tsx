import { fireEvent, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it, vi } from "vitest";
import type { Question } from "@/api/types";
import { renderWithProviders } from "@/testing/render";
import { newQuestion } from "../utils/question-kinds";
import { QuestionsEditor, type QuestionsServerErrors } from "./questions-editor";

function Harness({
  initial,
  onValue,
  serverErrors,
}: {
  initial: Question[];
  onValue?: (questions: Question[]) => void;
  serverErrors?: QuestionsServerErrors;
}) {
  const [value, setValue] = useState(initial);
  return (
    <QuestionsEditor
      value={value}
      onChange={(next) => {
        setValue(next);
        onValue?.(next);
      }}
      serverErrors={serverErrors}
    />
  );
}

const cards = () => screen.getAllByTestId("question-card");
const card = (index: number) => cards()[index] ?? document.body;

describe("QuestionsEditor", () => {
  it("adds a question of each kind with valid defaults and unique ids", async () => {
    const onValue = vi.fn<(questions: Question[]) => void>();
    renderWithProviders(<Harness initial={[]} onValue={onValue} />);
    expect(screen.getByTestId("questions-errors")).toHaveTextContent("A project needs at least one question.");

    for (const label of ["Pairwise", "Ranking", "Rating", "Rubric", "Labels", "Text", "Pairwise"]) {
      await userEvent.click(screen.getByRole("button", { name: "Add question" }));
      // jsdom never finishes Mantine's re-open transition, so the items count as hidden there.
      await userEvent.click(await screen.findByRole("menuitem", { name: new RegExp(`^${label}`), hidden: true }));
    }

    expect(cards()).toHaveLength(7);
    const last = onValue.mock.lastCall?.[0] ?? [];
    expect(last.map((question) => [question.kind, question.id])).toEqual([
      ["pairwise", "pref"],
      ["ranking", "rank"],
      ["rating", "quality"],
      ["rubric", "rubric"],
      ["labels", "flags"],
      ["text", "why"],
      ["pairwise", "pref2"],
    ]);
    // Sensible defaults: nothing to fix straight after adding.
    expect(screen.queryByTestId("questions-errors")).not.toBeInTheDocument();
    expect(document.querySelectorAll('[aria-invalid="true"]')).toHaveLength(0);
    expect(within(card(2)).getAllByTestId("dimension")).toHaveLength(1);
    expect(within(card(3)).getAllByTestId("criterion")).toHaveLength(1);
    expect(within(card(4)).getByRole("textbox", { name: "Option 1" })).toHaveValue("unsafe");
  });

  it("flags a duplicate question id as you type", async () => {
    renderWithProviders(<Harness initial={[newQuestion("pairwise", []), newQuestion("text", [])]} />);
    const id = within(card(1)).getByRole("textbox", { name: /^Question ID/ });

    await userEvent.clear(id);
    await userEvent.type(id, "pref");

    expect(id).toHaveAttribute("aria-invalid", "true");
    expect(within(card(1)).getByText('Duplicate question id "pref" (also question 1).')).toBeInTheDocument();
    // The first use of the id is fine.
    expect(within(card(0)).getByRole("textbox", { name: /^Question ID/ })).not.toHaveAttribute("aria-invalid", "true");

    await userEvent.type(id, "-2");
    expect(id).not.toHaveAttribute("aria-invalid", "true");
  });

  it("rejects ids that are not slugs", async () => {
    renderWithProviders(<Harness initial={[newQuestion("text", [])]} />);
    const id = within(card(0)).getByRole("textbox", { name: /^Question ID/ });
    await userEvent.clear(id);
    await userEvent.type(id, "my question");
    expect(within(card(0)).getByText(/Use letters, digits/)).toBeInTheDocument();
    await userEvent.clear(id);
    expect(within(card(0)).getByText("Enter an id.")).toBeInTheDocument();
  });

  it("says max must be greater than min on a rating dimension", async () => {
    renderWithProviders(<Harness initial={[newQuestion("rating", [])]} />);
    const dimension = within(card(0)).getByTestId("dimension");
    const max = within(dimension).getByRole("textbox", { name: "Max" });

    await userEvent.clear(max);
    await userEvent.type(max, "1");
    expect(within(dimension).getByText("Max must be greater than min (1).")).toBeInTheDocument();
    expect(max).toHaveAttribute("aria-invalid", "true");

    await userEvent.type(max, "0");
    expect(within(dimension).queryByText(/Max must be greater/)).not.toBeInTheDocument();
  });

  it("flags duplicate dimension ids and missing dimensions", async () => {
    renderWithProviders(<Harness initial={[newQuestion("rating", [])]} />);
    await userEvent.click(within(card(0)).getByRole("button", { name: "Add dimension" }));
    const second = within(card(0)).getAllByTestId("dimension")[1] ?? document.body;
    const id = within(second).getByRole("textbox", { name: "ID" });
    await userEvent.clear(id);
    await userEvent.type(id, "helpfulness");
    expect(within(second).getByText('Duplicate dimension id "helpfulness" (also #1).')).toBeInTheDocument();

    await userEvent.click(within(card(0)).getByRole("button", { name: "Remove dimension 2" }));
    await userEvent.click(within(card(0)).getByRole("button", { name: "Remove dimension 1" }));
    expect(within(card(0)).getByText("Add at least one dimension.")).toBeInTheDocument();
  });

  it("asks for options on a labels question and flags empty or repeated ones", async () => {
    renderWithProviders(<Harness initial={[newQuestion("labels", [])]} />);
    const labels = card(0);

    const first = within(labels).getByRole("textbox", { name: "Option 1" });
    await userEvent.clear(first);
    expect(within(labels).getByText("Enter text for this option, or remove it.")).toBeInTheDocument();
    await userEvent.type(first, "refusal");
    expect(within(labels).getByText('Duplicate option "refusal" (also #1).')).toBeInTheDocument();

    for (const name of ["Remove Option 3", "Remove Option 2", "Remove Option 1"]) {
      await userEvent.click(within(labels).getByRole("button", { name }));
    }
    expect(within(labels).getByText("Add at least one option.")).toBeInTheDocument();
  });

  it("requires criteria on a rubric unless item criteria are used", async () => {
    renderWithProviders(<Harness initial={[newQuestion("rubric", [])]} />);
    await userEvent.click(within(card(0)).getByRole("button", { name: "Remove criterion 1" }));
    expect(within(card(0)).getByText(/A rubric needs criteria/)).toBeInTheDocument();
    await userEvent.click(within(card(0)).getByRole("switch", { name: /each item's own criteria/ }));
    expect(within(card(0)).queryByText(/A rubric needs criteria/)).not.toBeInTheDocument();
  });

  it("edits strength labels, rating scale names and reorders questions", async () => {
    const onValue = vi.fn<(questions: Question[]) => void>();
    renderWithProviders(<Harness initial={[newQuestion("pairwise", []), newQuestion("rating", [])]} onValue={onValue} />);

    await userEvent.click(within(card(0)).getByRole("button", { name: "Add strength label" }));
    await userEvent.type(within(card(0)).getByRole("textbox", { name: "Strength label 1" }), "slightly");
    await userEvent.type(within(card(1)).getByRole("textbox", { name: "Name for 5" }), "Excellent");
    await userEvent.click(screen.getByRole("button", { name: "Move question 2 up" }));

    const last = onValue.mock.lastCall?.[0] ?? [];
    expect(last.map((question) => question.kind)).toEqual(["rating", "pairwise"]);
    expect(last[0]).toMatchObject({ dimensions: [{ id: "helpfulness", labels: { "5": "Excellent" } }] });
    expect(last[1]).toMatchObject({ strength: ["slightly"] });
  });

  it("maps server errors onto the fields they name until the question is edited", async () => {
    const initial = [newQuestion("pairwise", []), newQuestion("rating", [])];
    const serverErrors: QuestionsServerErrors = {
      sent: initial,
      errors: {
        "1": {
          dimensions: { "0": { max: ["max must be greater than min (5)"] } },
          bogus: ["Extra inputs are not permitted"],
        },
      },
    };
    renderWithProviders(<Harness initial={initial} serverErrors={serverErrors} />);

    const dimension = within(card(1)).getByTestId("dimension");
    expect(within(dimension).getByRole("textbox", { name: "Max" })).toHaveAttribute("aria-invalid", "true");
    expect(within(dimension).getByText("max must be greater than min (5)")).toBeInTheDocument();
    expect(within(card(1)).getByTestId("question-errors")).toHaveTextContent("bogus: Extra inputs are not permitted");
    expect(within(card(0)).queryByTestId("question-errors")).not.toBeInTheDocument();

    await userEvent.type(within(card(1)).getByRole("textbox", { name: /^Prompt/ }), "!");
    expect(screen.queryByText("max must be greater than min (5)")).not.toBeInTheDocument();
  });

  it("edits the raw JSON and reports what can't be read", async () => {
    const onValue = vi.fn<(questions: Question[]) => void>();
    renderWithProviders(<Harness initial={[newQuestion("text", [])]} onValue={onValue} />);
    await userEvent.click(screen.getByRole("tab", { name: "JSON" }));
    const json = screen.getByRole("textbox", { name: /Questions as JSON/ });
    expect(JSON.parse((json as HTMLTextAreaElement).value)).toEqual([newQuestion("text", [])]);

    fireEvent.change(json, { target: { value: '[{"id": "f", "kind": "labels", "options": []}]' } });
    expect(onValue).toHaveBeenLastCalledWith([
      { id: "f", kind: "labels", prompt: "", required: true, help: "", options: [], multiple: false, per: "item" },
    ]);
    expect(screen.getByTestId("questions-json-errors")).toHaveTextContent("Question 1 › options: Add at least one option.");

    fireEvent.change(json, { target: { value: '[{"id": "f", "kind": "bogus"}]' } });
    expect(screen.getByText(/Question 1 › kind: use one of/)).toBeInTheDocument();
    fireEvent.change(json, { target: { value: "[{" } });
    expect(screen.getByText(/Not valid JSON/)).toBeInTheDocument();
    expect(onValue).toHaveBeenCalledTimes(1);

    await userEvent.click(screen.getByRole("tab", { name: "Form" }));
    expect(within(card(0)).getByText("Add at least one option.")).toBeInTheDocument();
  });
});
