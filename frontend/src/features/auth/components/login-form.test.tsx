import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { jsonResponse, mockFetch, renderWithProviders } from "@/testing/render";
import { LoginForm } from "./login-form";

describe("LoginForm", () => {
  it("posts the credentials with the current CSRF token and reports success", async () => {
    document.cookie = "csrftoken=token-123";
    const user = { id: 1, username: "demo", is_staff: false };
    const { requests } = mockFetch(() => jsonResponse(user));
    const onSuccess = vi.fn();

    renderWithProviders(<LoginForm onSuccess={onSuccess} />);
    await userEvent.type(screen.getByLabelText("Username"), "demo");
    await userEvent.type(screen.getByLabelText("Password"), "secret");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));

    await waitFor(() => expect(onSuccess).toHaveBeenCalled());
    expect(onSuccess.mock.calls[0]?.[0]).toEqual(user);
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request?.url).toBe("/api/auth/login/");
    expect(request?.method).toBe("POST");
    expect(request?.credentials).toBe("same-origin");
    expect(request?.headers.get("X-CSRFToken")).toBe("token-123");
    expect(request?.body).toEqual({ username: "demo", password: "secret" });
  });

  it("shows the server's message when the credentials are rejected", async () => {
    mockFetch(() => jsonResponse({ detail: "Invalid username or password." }, 400));
    const onSuccess = vi.fn();

    renderWithProviders(<LoginForm onSuccess={onSuccess} />);
    await userEvent.type(screen.getByLabelText("Username"), "demo");
    await userEvent.type(screen.getByLabelText("Password"), "wrong");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));

    expect(await screen.findByRole("alert")).toHaveTextContent("Invalid username or password.");
    expect(onSuccess).not.toHaveBeenCalled();
  });

  it("shows the server's message when sign-in attempts are limited", async () => {
    const detail = "Too many sign-in attempts. Try again later.";
    mockFetch(() => jsonResponse({ detail }, 429));

    renderWithProviders(<LoginForm onSuccess={vi.fn()} />);
    await userEvent.type(screen.getByLabelText("Username"), "demo");
    await userEvent.type(screen.getByLabelText("Password"), "secret");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));

    expect(await screen.findByRole("alert")).toHaveTextContent(detail);
  });

  it("does not submit empty fields", async () => {
    const { fetchMock } = mockFetch(() => jsonResponse({}));
    renderWithProviders(<LoginForm onSuccess={vi.fn()} />);

    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));

    expect(await screen.findByText("Enter your username")).toBeInTheDocument();
    expect(fetchMock).not.toHaveBeenCalled();
  });
});
