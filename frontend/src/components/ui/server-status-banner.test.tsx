import { act, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { ServerStatus } from "@/lib/server-status";
import { renderWithProviders } from "@/testing/render";
import { ServerStatusBanner } from "./server-status-banner";

describe("ServerStatusBanner", () => {
  const status = new ServerStatus({ probe: () => new Promise<boolean>(() => undefined), recoveredForMs: 60_000 });
  afterEach(() => status.succeeded());

  it("shows nothing while the server answers", () => {
    renderWithProviders(<ServerStatusBanner status={status} />);
    expect(screen.queryByTestId("server-status")).toBeNull();
  });

  it("says the server cannot be reached, and that answers are kept", () => {
    renderWithProviders(<ServerStatusBanner status={status} />);
    act(() => status.failed("unreachable"));
    const alert = screen.getByRole("alert");
    expect(alert).toHaveTextContent("Can't reach the Moot server");
    expect(alert).toHaveTextContent("kept on this device");
  });

  it("gives the server's reason when it sent one, then says it is back", () => {
    renderWithProviders(<ServerStatusBanner status={status} />);
    act(() => status.failed("unavailable", "The database cannot be reached right now."));
    expect(screen.getByRole("alert")).toHaveTextContent(
      "Moot is temporarily unavailableThe database cannot be reached right now.",
    );

    act(() => status.succeeded());
    expect(screen.queryByRole("alert")).toBeNull();
    expect(screen.getByRole("status")).toHaveTextContent("Connected again");
  });
});
