import { MantineProvider } from "@mantine/core";
import { QueryClientProvider } from "@tanstack/react-query";
import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { createMemoryRouter, RouterProvider } from "react-router";
import { createQueryClient } from "@/lib/query-client";
import { FakeWebSocket } from "@/testing/fake-websocket";
import { makeMembership, makeProject, page, pairwiseQuestion } from "@/testing/fixtures";
import { jsonResponse, mockFetch, type RecordedRequest } from "@/testing/render";
import { routes } from "./route-config";
import { theme } from "./theme";

const demo = { id: 1, username: "demo", is_staff: false };
const project = makeProject({
  id: 3,
  name: "helpfulness-v3",
  role: "owner",
  guidelines: 'Prefer **accurate** answers.\n\n<img src="x" alt="injected">',
  questions: [pairwiseQuestion()],
});

/** A tiny in-memory backend: the session flips on login/logout. */
function fakeBackend(initiallySignedIn: boolean) {
  let signedIn = initiallySignedIn;
  return mockFetch(({ url, method }: RecordedRequest) => {
    if (url === "/api/auth/login/" && method === "POST") {
      signedIn = true;
      return jsonResponse(demo);
    }
    if (url === "/api/auth/logout/" && method === "POST") {
      signedIn = false;
      return jsonResponse(null, 204);
    }
    if (!signedIn) {
      return jsonResponse({ detail: "Authentication credentials were not provided." }, 401);
    }
    if (url === "/api/auth/me/") {
      return jsonResponse(demo);
    }
    if (url === "/api/projects/?page=1") {
      return jsonResponse(page([project]));
    }
    if (url === "/api/projects/3/") {
      return jsonResponse(project);
    }
    if (url === "/api/projects/3/members/?page=1") {
      return jsonResponse(page([makeMembership({ user: { id: 1, username: "demo" }, role: "owner" })]));
    }
    return jsonResponse({ detail: "Not found." }, 404);
  });
}

function renderApp(path: string) {
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  render(
    <MantineProvider theme={theme}>
      <QueryClientProvider client={createQueryClient()}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>,
  );
  return router;
}

describe("app", () => {
  beforeEach(() => {
    FakeWebSocket.reset();
    vi.stubGlobal("WebSocket", FakeWebSocket);
  });

  it("sends anonymous users to the login page and back where they were going", async () => {
    fakeBackend(false);
    const router = renderApp("/projects/3");

    await userEvent.type(await screen.findByLabelText("Username"), "demo");
    await userEvent.type(screen.getByLabelText("Password"), "pw");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));

    expect(await screen.findByRole("heading", { level: 1, name: "helpfulness-v3" })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/projects/3");
  });

  it("shows the shell with the user and signs out", async () => {
    fakeBackend(true);
    const router = renderApp("/");

    expect(await screen.findByRole("heading", { level: 1, name: "Projects" })).toBeInTheDocument();
    expect(screen.getByText("Moot")).toBeInTheDocument();
    expect(screen.getByText("demo")).toBeInTheDocument();
    expect(await screen.findByRole("link", { name: "helpfulness-v3" })).toHaveAttribute("href", "/projects/3");

    await userEvent.click(screen.getByRole("button", { name: "Sign out" }));
    expect(await screen.findByRole("button", { name: "Sign in" })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/login");
  });

  it("renders the project overview with markdown, questions, members and live events", async () => {
    fakeBackend(true);
    renderApp("/projects/3");

    expect(await screen.findByRole("heading", { level: 1, name: "helpfulness-v3" })).toBeInTheDocument();
    expect(screen.getByText("accurate").tagName).toBe("STRONG");
    await waitFor(() => expect(document.title).toBe("helpfulness-v3 · Moot"));
    // Raw HTML in guidelines is dropped, never rendered.
    expect(screen.queryByRole("img", { name: "injected" })).not.toBeInTheDocument();

    const questions = screen.getByRole("table", { name: "Questions" });
    expect(within(questions).getByText("pref")).toBeInTheDocument();
    expect(within(questions).getByText("pairwise")).toBeInTheDocument();
    expect(within(questions).getByText("Which response is better?")).toBeInTheDocument();

    const members = await screen.findByRole("table", { name: "Members" });
    expect(within(members).getByText("demo")).toBeInTheDocument();

    expect(screen.getByTestId("ws-status")).toHaveTextContent(/^connecting$/);
    expect(FakeWebSocket.latest().url).toMatch(/\/ws\/projects\/3\/$/);
    act(() => FakeWebSocket.latest().open());
    expect(screen.getByTestId("ws-status")).toHaveTextContent(/^live$/);
  });

  it("shows not-found pages for unknown routes and inaccessible projects", async () => {
    fakeBackend(true);
    renderApp("/nowhere");
    expect(await screen.findByRole("heading", { name: "Page not found" })).toBeInTheDocument();
  });

  it("treats a 404 project as not found", async () => {
    fakeBackend(true);
    renderApp("/projects/99");
    expect(await screen.findByRole("heading", { name: "Project not found" })).toBeInTheDocument();
  });
});
