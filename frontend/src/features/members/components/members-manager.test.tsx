import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { meQueryKey } from "@/features/auth/api/get-me";
import { openListbox, pickOption } from "@/features/items/testing/combobox";
import { makeFullProject } from "@/features/items/testing/fixtures";
import { makeMembership, page } from "@/testing/fixtures";
import { createTestQueryClient, jsonResponse, mockFetch, renderWithProviders, type RecordedRequest } from "@/testing/render";
import { MembersManager } from "./members-manager";

// Tables of Mantine selects are slow to render in jsdom.
vi.setConfig({ testTimeout: 20_000 });

const members = [
  makeMembership({ id: 1, user: { id: 1, username: "olga" }, role: "owner" }),
  makeMembership({ id: 2, user: { id: 2, username: "mia" }, role: "manager" }),
  makeMembership({ id: 3, user: { id: 3, username: "ann" }, role: "annotator" }),
];

function renderAs(role: string, handler: (request: RecordedRequest) => Response | undefined = () => undefined) {
  const fetch = mockFetch((request) => {
    const answer = handler(request);
    if (answer) return answer;
    if (request.url === "/api/projects/3/members/?page=1") return jsonResponse(page(members));
    if (request.url === "/api/projects/3/gold/") {
      return jsonResponse([{ annotator: "ann", answered: 4, correct: 3, accuracy: 0.75 }]);
    }
    return jsonResponse({ detail: "Not found." }, 404);
  });
  const queryClient = createTestQueryClient();
  queryClient.setQueryData(meQueryKey, { id: 2, username: "mia", is_staff: false });
  renderWithProviders(<MembersManager project={makeFullProject({ role })} />, { queryClient });
  return fetch;
}

const row = async (name: string) =>
  (await screen.findAllByTestId("member-row")).find((node) => within(node).queryByText(name)) ?? document.body;

describe("MembersManager", () => {
  it("changes a member's role with a PATCH and refreshes the list", async () => {
    const { requests } = renderAs("manager", ({ url, method }) =>
      url === "/api/projects/3/members/3/" && method === "PATCH"
        ? jsonResponse(makeMembership({ id: 3, user: { id: 3, username: "ann" }, role: "reviewer" }))
        : undefined,
    );

    await pickOption(within(await row("ann")).getByRole("textbox", { name: "Role of ann" }), "reviewer");

    await waitFor(() => expect(requests.some((request) => request.method === "PATCH")).toBe(true));
    expect(requests.find((request) => request.method === "PATCH")).toMatchObject({
      url: "/api/projects/3/members/3/",
      body: { role: "reviewer" },
    });
    // The members list is fetched again after the change.
    await waitFor(() =>
      expect(requests.filter((request) => request.url === "/api/projects/3/members/?page=1")).toHaveLength(2),
    );
  });

  it("shows why a role change was refused", async () => {
    renderAs("owner", ({ method }) =>
      method === "PATCH" ? jsonResponse({ role: ["A project must keep at least one owner."] }, 400) : undefined,
    );

    await pickOption(within(await row("olga")).getByRole("textbox", { name: "Role of olga" }), "manager");

    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Could not change olga's role: A project must keep at least one owner.",
    );
  });

  it("lets managers change everyone but owners, and never grant the owner role", async () => {
    renderAs("manager");

    expect(within(await row("olga")).getByRole("textbox", { name: "Role of olga" })).toBeDisabled();
    expect(within(await row("olga")).getByRole("button", { name: "Remove olga" })).toBeDisabled();
    expect(within(await row("ann")).getByRole("textbox", { name: "Role of ann" })).toBeEnabled();

    const listbox = await openListbox(within(await row("ann")).getByRole("textbox", { name: "Role of ann" }));
    expect(within(listbox).getByRole("option", { name: "owner", hidden: true })).toHaveAttribute(
      "data-combobox-disabled",
      "true",
    );
  });

  it("shows roles read-only to reviewers, with gold accuracy", async () => {
    renderAs("reviewer");
    expect(await within(await row("ann")).findByText("75%")).toBeInTheDocument();
    expect(await row("ann")).toHaveTextContent("(3 of 4)");
    expect(screen.queryByRole("textbox", { name: /Role of/ })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /Remove/ })).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Add member" })).toBeDisabled();
  });

  it("adds a member and shows the server's username error", async () => {
    const { requests } = renderAs("manager", ({ method, body }) => {
      if (method !== "POST") return undefined;
      const { username } = body as { username: string };
      return username === "ghost"
        ? jsonResponse({ username: ["No user named 'ghost'."] }, 400)
        : jsonResponse(makeMembership({ id: 9, user: { id: 9, username }, role: "reviewer" }), 201);
    });
    await row("ann");
    const form = screen.getByRole("form", { name: "Add member" });

    await userEvent.type(within(form).getByRole("textbox", { name: "Username" }), "ghost");
    await userEvent.click(within(form).getByRole("button", { name: "Add member" }));
    expect(await within(form).findByText("No user named 'ghost'.")).toBeInTheDocument();

    await userEvent.clear(within(form).getByRole("textbox", { name: "Username" }));
    await userEvent.type(within(form).getByRole("textbox", { name: "Username" }), "rita");
    await pickOption(within(form).getByRole("textbox", { name: "Role" }), /^reviewer/);
    await userEvent.click(within(form).getByRole("button", { name: "Add member" }));

    expect(await within(form).findByText("rita was added as reviewer.")).toBeInTheDocument();
    expect(requests.filter((request) => request.method === "POST").at(-1)).toMatchObject({
      url: "/api/projects/3/members/",
      body: { username: "rita", role: "reviewer" },
    });
  });

  it("removes a member after confirmation", async () => {
    const { requests } = renderAs("owner", ({ method }) => (method === "DELETE" ? jsonResponse(null, 204) : undefined));

    await userEvent.click(within(await row("ann")).getByRole("button", { name: "Remove ann" }));
    const dialog = await screen.findByRole("dialog", { name: "Remove ann?" });
    await userEvent.click(within(dialog).getByRole("button", { name: "Remove" }));

    await waitFor(() => expect(requests.some((request) => request.method === "DELETE")).toBe(true));
    expect(requests.find((request) => request.method === "DELETE")?.url).toBe("/api/projects/3/members/3/");
  });
});
