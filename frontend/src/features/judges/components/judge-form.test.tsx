import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { makeFullProject } from "@/features/items/testing/fixtures";
import { openListbox, pickOption } from "@/features/items/testing/combobox";
import { jsonResponse, mockFetch, renderWithProviders, type RecordedRequest } from "@/testing/render";
import { makeJudge, makeJudgeTemplates } from "../testing/fixtures";
import { JudgeForm } from "./judge-form";

vi.setConfig({ testTimeout: 20_000 });

const project = makeFullProject({ role: "manager" });

function renderForm(judge = null as ReturnType<typeof makeJudge> | null) {
  const onSaved = vi.fn();
  renderWithProviders(<JudgeForm project={project} judge={judge} onSaved={onSaved} onCancel={vi.fn()} />);
  return { onSaved };
}

/** Answers the default templates, and everything else with `handler`. */
function backend(handler: (request: RecordedRequest) => Response) {
  const mocked = mockFetch((request) =>
    request.url === "/api/judge-templates/" ? jsonResponse(makeJudgeTemplates()) : handler(request),
  );
  const saves = () => mocked.requests.filter((request) => request.url !== "/api/judge-templates/");
  return { ...mocked, saves };
}

const optionNames = (listbox: HTMLElement) =>
  within(listbox)
    .getAllByRole("option", { hidden: true })
    .map((option) => option.textContent);

describe("JudgeForm", () => {
  it("offers only the questions the judge's kind can answer and posts a reward model", async () => {
    const created = makeJudge({ id: 9 });
    const { requests } = mockFetch(() => jsonResponse(created, 201));
    const { onSaved } = renderForm();

    await userEvent.type(screen.getByRole("textbox", { name: /^Name/ }), "skywork");
    const questions = screen.getByRole("textbox", { name: /^Questions/ });
    // Reward models answer pairwise, ranking and per-response ratings; not rubrics, labels or text.
    const listbox = await openListbox(questions);
    expect(optionNames(listbox)).toEqual([
      "pref · Which response is better?",
      "rank · Rank them",
      "quality · Rate each response",
    ]);
    await userEvent.click(within(listbox).getByRole("option", { name: /^pref/, hidden: true }));
    await userEvent.type(screen.getByRole("textbox", { name: /^Model/ }), "/models/rm");
    await userEvent.clear(screen.getByRole("textbox", { name: /^Device/ }));
    await userEvent.type(screen.getByRole("textbox", { name: /^Device/ }), "cpu");
    await userEvent.click(screen.getByRole("button", { name: "Add judge" }));

    await waitFor(() => expect(onSaved).toHaveBeenCalledWith(created));
    expect(requests[0]).toMatchObject({
      url: "/api/projects/3/judges/",
      method: "POST",
      body: {
        name: "skywork",
        kind: "reward_model",
        questions: ["pref"],
        config: { model: "/models/rm", revision: null, dtype: "auto", device: "cpu", max_length: null, head: 0 },
      },
    });
  });

  it("shows the server's errors on the fields they name", async () => {
    mockFetch(() =>
      jsonResponse(
        {
          config: { model: ["Field required"], "ratings.x": ["Unknown question"] },
          questions: ["'pref': no such question in this project."],
        },
        400,
      ),
    );
    const { onSaved } = renderForm();
    await userEvent.type(screen.getByRole("textbox", { name: /^Name/ }), "rm");
    await pickOption(screen.getByRole("textbox", { name: /^Questions/ }), /^pref/);
    await userEvent.click(screen.getByRole("button", { name: "Add judge" }));

    expect(await screen.findByText("Field required")).toBeInTheDocument();
    expect(screen.getByRole("textbox", { name: /^Model/ })).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByText("'pref': no such question in this project.")).toBeInTheDocument();
    expect(screen.getByRole("alert")).toHaveTextContent("Configuration › ratings.x: Unknown question");
    expect(onSaved).not.toHaveBeenCalled();
  });

  it("asks API judges for the name of the key's variable and shows the server's default templates", async () => {
    const { saves } = backend(() => jsonResponse(makeJudge({ kind: "api" }), 201));
    renderForm();
    await pickOption(screen.getByRole("textbox", { name: /^Kind/ }), "API");

    expect(screen.getByTestId("api-key-note")).toHaveTextContent("Keys are never stored");
    expect(screen.queryByRole("textbox", { name: /^Revision/ })).not.toBeInTheDocument();
    const templates = screen.getByRole("button", { name: "Prompt templates" });
    await userEvent.click(templates);
    expect(templates).toHaveAttribute("aria-expanded", "true");
    // The panel's opening transition doesn't finish in jsdom, so its fields count as hidden there.
    const pairwise = await screen.findByRole("textbox", { name: /^Pairwise template/, hidden: true });
    expect(pairwise).toHaveAttribute("placeholder", makeJudgeTemplates().templates.pairwise);
    expect(screen.getByTestId("template-fields-rating")).toHaveTextContent(
      "Fields: {choices} {dimension} {prompt} {question} {response} {scale}",
    );
    // The rationale template is listed with the fields it may use, and when it is used.
    expect(screen.getByRole("textbox", { name: /^Rationale template/, hidden: true })).toHaveAttribute(
      "placeholder",
      makeJudgeTemplates().templates.rationale,
    );
    expect(screen.getByTestId("template-fields-rationale")).toHaveTextContent(
      "Used only when “Generate a rationale” is on. Fields: {choices} {prompt} {question} {response_a} {response_b}",
    );

    await userEvent.type(screen.getByRole("textbox", { name: /^Name/ }), "gpt");
    await pickOption(screen.getByRole("textbox", { name: /^Questions/ }), /^rubric/);
    await userEvent.type(screen.getByRole("textbox", { name: /^Base URL/ }), "https://api.example/v1");
    await userEvent.type(screen.getByRole("textbox", { name: /^Model/ }), "gpt-x");
    await userEvent.type(screen.getByRole("textbox", { name: /^API key variable/ }), "OPENAI_API_KEY");
    const rationale = screen.getByRole("switch", { name: /^Generate a rationale/ });
    expect(rationale).not.toBeChecked();
    await userEvent.click(rationale);
    await userEvent.click(screen.getByRole("button", { name: "Add judge" }));

    await waitFor(() => expect(saves()).toHaveLength(1));
    expect(saves()[0]?.body).toMatchObject({
      kind: "api",
      questions: ["rubric"],
      config: {
        base_url: "https://api.example/v1",
        model: "gpt-x",
        api_key_env: "OPENAI_API_KEY",
        templates: {},
        position_swap: true,
        rationale: true,
      },
    });
  });

  it("still takes templates when the defaults can't be loaded", async () => {
    mockFetch((request) =>
      request.url === "/api/judge-templates/" ? jsonResponse({ detail: "Server error" }, 500) : jsonResponse({}),
    );
    const judge = makeJudge({ kind: "local_llm", config: { model: "/llm", templates: { rubric: "Grade {response}" } } });
    renderForm(judge);
    expect(await screen.findByText("Could not load the default templates")).toBeInTheDocument();
    // A saved template still shows, so it can be changed or emptied.
    expect(screen.getByRole("textbox", { name: /^Rubric template/ })).toHaveValue("Grade {response}");
  });

  it("maps a reward model's rewards onto each chosen rating question's dimensions", async () => {
    let answer = jsonResponse({ config: { "ratings.quality.helpfulness.high": ["Input should be a valid number"] } }, 400);
    const { saves } = backend(() => answer);
    const { onSaved } = renderForm();
    await userEvent.type(screen.getByRole("textbox", { name: /^Name/ }), "rm");
    await userEvent.type(screen.getByRole("textbox", { name: /^Model/ }), "/models/rm");
    const listbox = await openListbox(screen.getByRole("textbox", { name: /^Questions/ }));
    await userEvent.click(within(listbox).getByRole("option", { name: /^pref/, hidden: true }));
    // Pairwise and ranking questions need no mapping.
    expect(screen.queryByText("Rating scales")).not.toBeInTheDocument();
    await userEvent.click(within(listbox).getByRole("option", { name: /^quality/, hidden: true }));

    const helpfulness = screen.getByRole("group", { name: "quality › Helpfulness" });
    expect(screen.getByRole("group", { name: "quality › safety" })).toBeInTheDocument();
    expect(within(helpfulness).getByRole("textbox", { name: "Low" })).toHaveAttribute("placeholder", "Fitted");
    await userEvent.type(within(helpfulness).getByRole("textbox", { name: "Head" }), "1");
    await userEvent.type(within(helpfulness).getByRole("textbox", { name: "Low" }), "-2.5");
    await userEvent.type(within(helpfulness).getByRole("textbox", { name: "High" }), "4");
    await userEvent.click(screen.getByRole("button", { name: "Add judge" }));

    // The server's message lands on the input it names.
    const high = within(helpfulness).getByRole("textbox", { name: "High" });
    await waitFor(() => expect(high).toHaveAttribute("aria-invalid", "true"));
    expect(within(helpfulness).getByText("Input should be a valid number")).toBeInTheDocument();

    answer = jsonResponse(makeJudge({ id: 9 }), 201);
    await userEvent.click(screen.getByRole("button", { name: "Add judge" }));
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(saves()[1]?.body).toMatchObject({
      questions: ["pref", "quality"],
      config: { model: "/models/rm", head: 0, ratings: { quality: { helpfulness: { head: 1, low: -2.5, high: 4 } } } },
    });
  });

  it("adds a preference head for pairwise and ranking questions, with the default encoder", async () => {
    const created = makeJudge({ id: 9, kind: "preference_head" });
    let attempts = 0;
    const { saves } = backend(() => {
      attempts += 1;
      return attempts === 1
        ? jsonResponse({ config: { l2: ["Input should be greater than or equal to 0"] } }, 400)
        : jsonResponse(created, 201);
    });
    const { onSaved } = renderForm();
    await pickOption(screen.getByRole("textbox", { name: /^Kind/ }), "Trained preference head");

    const listbox = await openListbox(screen.getByRole("textbox", { name: /^Questions/ }));
    expect(optionNames(listbox)).toEqual(["pref · Which response is better?", "rank · Rank them"]);
    await userEvent.click(within(listbox).getByRole("option", { name: /^rank/, hidden: true }));
    // No model, precision or prompting: the head embeds texts with its encoder.
    expect(screen.queryByRole("textbox", { name: /^Model/ })).not.toBeInTheDocument();
    expect(screen.queryByRole("switch", { name: /^Judge pairs in both orders/ })).not.toBeInTheDocument();
    expect(screen.getByRole("textbox", { name: /^Encoder/ })).toHaveValue("all-MiniLM-L6-v2");
    await userEvent.type(screen.getByRole("textbox", { name: /^Name/ }), "head");
    await pickOption(screen.getByRole("textbox", { name: /^Features/ }), "Response only");
    await userEvent.click(screen.getByRole("checkbox", { name: /^Model ties/ }));
    const minimum = screen.getByRole("textbox", { name: /^Minimum pairs/ });
    await userEvent.clear(minimum);
    await userEvent.type(minimum, "25");
    await userEvent.click(screen.getByRole("button", { name: "Add judge" }));

    // The server's message lands under the input it names.
    const l2 = screen.getByRole("textbox", { name: /^L2 penalty/ });
    await waitFor(() => expect(l2).toHaveAttribute("aria-invalid", "true"));
    expect(screen.getByText("Input should be greater than or equal to 0")).toBeInTheDocument();
    expect(onSaved).not.toHaveBeenCalled();

    await userEvent.click(screen.getByRole("button", { name: "Add judge" }));
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith(created));
    expect(saves()[1]?.body).toEqual({
      name: "head",
      kind: "preference_head",
      questions: ["rank"],
      config: { encoder: "all-MiniLM-L6-v2", device: "auto", features: "candidate", l2: 300, folds: 5, min_pairs: 25, ties: false },
    });
  });

  it("changes a judge with a PATCH that keeps its kind", async () => {
    const judge = makeJudge({ kind: "local_llm", config: { model: "/llm", templates: { rating: "Rate {response}" } } });
    const { saves } = backend(({ body }) => jsonResponse({ ...judge, ...(body as object) }));
    const { onSaved } = renderForm(judge);

    expect(screen.getByRole("textbox", { name: /^Kind/ })).toBeDisabled();
    // A saved template is shown open, ready to edit.
    expect(await screen.findByRole("textbox", { name: /^Rating template/ })).toHaveValue("Rate {response}");
    await userEvent.click(screen.getByRole("switch", { name: /^Judge pairs in both orders/ }));
    await userEvent.click(screen.getByRole("button", { name: "Save judge" }));

    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    const [patch] = saves();
    expect(patch?.url).toBe("/api/judges/7/");
    expect(patch?.method).toBe("PATCH");
    expect(patch?.body).not.toHaveProperty("kind");
    expect(patch?.body).toMatchObject({
      name: "skywork",
      questions: ["pref"],
      config: { model: "/llm", templates: { rating: "Rate {response}" }, position_swap: false, rationale: false },
    });
  });
});
