import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { pickOption } from "@/features/items/testing/combobox";
import { makeFullProject } from "@/features/items/testing/fixtures";
import { jsonResponse, renderWithProviders } from "@/testing/render";
import { ImportForm } from "./import-form";

vi.setConfig({ testTimeout: 20_000 });

interface Upload {
  url: string;
  method: string;
  csrf: string | null;
  fields: Record<string, string[]>;
  fileCount: number;
}

/** Stubs fetch for multipart uploads, recording the form fields sent. */
function mockUpload(answer: () => Response) {
  const uploads: Upload[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: Request) => {
      const form = await input.formData();
      const fields: Record<string, string[]> = {};
      let fileCount = 0;
      form.forEach((value, key) => {
        if (typeof value === "string") {
          (fields[key] ??= []).push(value);
        } else {
          fileCount += 1;
        }
      });
      const url = new URL(input.url);
      uploads.push({
        url: url.pathname,
        method: input.method,
        csrf: input.headers.get("X-CSRFToken"),
        fields,
        fileCount,
      });
      return answer();
    }),
  );
  return uploads;
}

const project = makeFullProject({ role: "manager" });
const jsonl = (name: string) => new File(['{"prompt": "hi", "chosen": "a", "rejected": "b"}\n'], name);

describe("ImportForm", () => {
  it("imports a raw export and counts its annotations", async () => {
    document.cookie = "csrftoken=tok";
    const uploads = mockUpload(() =>
      jsonResponse({ created: 12, updated: 0, unchanged: 0, format: "raw", references: 0, annotations: 31 }),
    );
    renderWithProviders(<ImportForm project={project} />);

    await userEvent.upload(screen.getByLabelText("Files"), [jsonl("raw.jsonl")]);
    await pickOption(screen.getByRole("textbox", { name: "Layout" }), /^Moot raw export/);
    await userEvent.click(screen.getByRole("button", { name: "Import" }));

    const result = await screen.findByTestId("import-result");
    expect(result).toHaveTextContent("12 created");
    expect(screen.getByTestId("import-annotations")).toHaveTextContent("31");
    expect(uploads[0]?.fields).toEqual({ format: ["raw"] });
  });

  it("uploads the chosen files and shows the counts", async () => {
    document.cookie = "csrftoken=tok";
    const uploads = mockUpload(() =>
      jsonResponse({ created: 950, updated: 2, unchanged: 48, format: "trl", references: 0, annotations: 0 }),
    );
    renderWithProviders(<ImportForm project={project} />);

    await userEvent.upload(screen.getByLabelText("Files"), [jsonl("a.jsonl"), jsonl("b.jsonl")]);
    expect(within(screen.getByTestId("import-files")).getByText("a.jsonl")).toBeInTheDocument();
    await pickOption(screen.getByRole("textbox", { name: "Layout" }), /^TRL preference/);
    await userEvent.type(screen.getByRole("textbox", { name: /Reference annotator/ }), "source-labels");
    await userEvent.click(screen.getByRole("button", { name: "Import" }));

    const result = await screen.findByTestId("import-result");
    expect(result).toHaveTextContent("950 created");
    expect(result).toHaveTextContent("2 updated");
    expect(result).toHaveTextContent("48 unchanged");
    expect(result).toHaveTextContent("Read as trl.");
    expect(uploads).toEqual([
      {
        url: "/api/projects/3/import/",
        method: "POST",
        csrf: "tok",
        fields: { format: ["trl"], reference_annotator: ["source-labels"] },
        fileCount: 2,
      },
    ]);
    // The files were imported, so they leave the list.
    expect(screen.queryByTestId("import-files")).not.toBeInTheDocument();
  });

  it("lists the rows that stopped the import and says nothing was imported", async () => {
    mockUpload(() =>
      jsonResponse(
        {
          errors: [
            { line: 3, field: "chosen", message: "missing field chosen", file: "a.jsonl" },
            { line: 9, field: null, message: "not valid JSON", file: "a.jsonl" },
          ],
        },
        400,
      ),
    );
    renderWithProviders(<ImportForm project={project} />);

    await userEvent.upload(screen.getByLabelText("Files"), jsonl("a.jsonl"));
    await userEvent.click(screen.getByRole("button", { name: "Import" }));

    const table = await screen.findByTestId("import-errors");
    const rows = within(table).getAllByTestId("import-error");
    expect(rows).toHaveLength(2);
    expect(within(rows[0] ?? table).getAllByRole("cell").map((cell) => cell.textContent)).toEqual([
      "a.jsonl",
      "3",
      "chosen",
      "missing field chosen",
    ]);
    expect(rows[1]).toHaveTextContent("9");
    expect(screen.getByText("Nothing was imported")).toBeInTheDocument();
    expect(screen.queryByTestId("import-result")).not.toBeInTheDocument();
  });

  it("sends a mapping for the mapping layout and checks it is a JSON object first", async () => {
    const uploads = mockUpload(() => jsonResponse({ created: 1, updated: 0, unchanged: 0, format: "mapping", references: 0, annotations: 0 }));
    renderWithProviders(<ImportForm project={project} />);

    await userEvent.upload(screen.getByLabelText("Files"), jsonl("rows.jsonl"));
    await pickOption(screen.getByRole("textbox", { name: "Layout" }), /^Custom mapping/);
    const mapping = screen.getByRole("textbox", { name: /^Mapping/ });
    fireEvent.change(mapping, { target: { value: "[1]" } });
    await userEvent.click(screen.getByRole("button", { name: "Import" }));
    expect(screen.getAllByText("The mapping must be a JSON object.").length).toBeGreaterThan(0);
    expect(uploads).toHaveLength(0);

    fireEvent.change(mapping, { target: { value: '{"prompt": "q", "candidates": []}' } });
    await userEvent.click(screen.getByRole("button", { name: "Import" }));
    await waitFor(() => expect(uploads).toHaveLength(1));
    expect(uploads[0]?.fields).toEqual({ format: ["mapping"], mapping: ['{"prompt": "q", "candidates": []}'] });
  });

  it("asks for a file before uploading and explains other failures", async () => {
    const uploads = mockUpload(() => jsonResponse({ detail: "This needs the manager role or higher in this project." }, 403));
    renderWithProviders(<ImportForm project={project} />);

    await userEvent.click(screen.getByRole("button", { name: "Import" }));
    expect(screen.getByText("Choose at least one file to import.")).toBeInTheDocument();
    expect(uploads).toHaveLength(0);

    await userEvent.upload(screen.getByLabelText("Files"), jsonl("a.jsonl"));
    await userEvent.click(screen.getByRole("button", { name: "Import" }));
    expect(await screen.findByText("This needs the manager role or higher in this project.")).toBeInTheDocument();
  });
});
