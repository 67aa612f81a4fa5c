import { act, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeWebSocket } from "@/testing/fake-websocket";
import { jsonResponse, mockFetch, renderWithProviders } from "@/testing/render";
import { projectKeys } from "../api/keys";
import { MAX_EVENTS } from "../hooks/use-project-events";
import { LiveEventsPanel } from "./live-events-panel";

describe("LiveEventsPanel", () => {
  beforeEach(() => {
    FakeWebSocket.reset();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("connects to the project's socket and shows status and events newest first", () => {
    renderWithProviders(<LiveEventsPanel projectId={3} createSocket={FakeWebSocket.create} />);
    const status = screen.getByTestId("ws-status");
    expect(status).toHaveTextContent(/^connecting$/);
    expect(FakeWebSocket.latest().url).toBe(`ws://${window.location.host}/ws/projects/3/`);

    act(() => FakeWebSocket.latest().open());
    expect(status).toHaveTextContent(/^live$/);

    act(() => {
      FakeWebSocket.latest().receive({
        type: "worker.pong",
        project: 3,
        at: "2026-11-26T20:00:00Z",
        data: { hostname: "w1", latency_ms: 12 },
      });
      FakeWebSocket.latest().receive({ type: "export.finished", project: 3, data: { rows: 5 } });
      FakeWebSocket.latest().receive({ no_type: true });
    });
    const entries = screen.getAllByTestId("event");
    expect(entries).toHaveLength(2);
    expect(entries[0]).toHaveTextContent('export.finished{"rows":5}');
    expect(entries[1]).toHaveTextContent("Worker w1 answered in 12 ms");

    act(() => FakeWebSocket.latest().drop());
    expect(status).toHaveTextContent(/^reconnecting$/);
  });

  it("keeps only the most recent events", () => {
    renderWithProviders(<LiveEventsPanel projectId={3} createSocket={FakeWebSocket.create} />);
    act(() => {
      FakeWebSocket.latest().open();
      for (let index = 0; index < MAX_EVENTS + 5; index += 1) {
        FakeWebSocket.latest().receive({ type: "tick", data: { index } });
      }
    });
    const entries = screen.getAllByTestId("event");
    expect(entries).toHaveLength(MAX_EVENTS);
    expect(entries[0]).toHaveTextContent(`{"index":${MAX_EVENTS + 4}}`);
  });

  it("invalidates cached project data when the project or its members change", () => {
    const { queryClient } = renderWithProviders(
      <LiveEventsPanel projectId={3} createSocket={FakeWebSocket.create} />,
    );
    const invalidate = vi.spyOn(queryClient, "invalidateQueries");
    act(() => FakeWebSocket.latest().open());

    act(() => FakeWebSocket.latest().receive({ type: "worker.pong", data: { hostname: "w", latency_ms: 1 } }));
    expect(invalidate).not.toHaveBeenCalled();

    act(() => FakeWebSocket.latest().receive({ type: "project.updated", data: { fields: ["name"] } }));
    expect(invalidate).toHaveBeenCalledWith({ queryKey: projectKeys.detail(3), exact: true });

    invalidate.mockClear();
    act(() => FakeWebSocket.latest().receive({ type: "member.added", data: { username: "a", role: "annotator" } }));
    expect(invalidate).toHaveBeenCalledWith({ queryKey: projectKeys.members(3) });
  });

  it("refreshes items and annotations when people label, review or import", () => {
    const { queryClient } = renderWithProviders(
      <LiveEventsPanel projectId={3} createSocket={FakeWebSocket.create} />,
    );
    const invalidate = vi.spyOn(queryClient, "invalidateQueries");
    act(() => FakeWebSocket.latest().open());

    act(() =>
      FakeWebSocket.latest().receive({
        type: "annotation.created",
        data: { annotation: 5, item: 12, annotator: "ann" },
      }),
    );
    expect(invalidate).toHaveBeenCalledWith({ queryKey: projectKeys.annotations(3) });
    expect(invalidate).toHaveBeenCalledWith({ queryKey: projectKeys.items(3) });
    expect(screen.getAllByTestId("event")[0]).toHaveTextContent("ann annotated item 12");

    invalidate.mockClear();
    act(() =>
      FakeWebSocket.latest().receive({
        type: "annotation.reviewed",
        data: { annotation: 5, item: 12, decision: "reject" },
      }),
    );
    expect(invalidate).toHaveBeenCalledWith({ queryKey: projectKeys.annotations(3) });
    expect(screen.getAllByTestId("event")[0]).toHaveTextContent("Annotation 5 rejected");

    invalidate.mockClear();
    act(() =>
      FakeWebSocket.latest().receive({ type: "items.imported", data: { created: 4, updated: 1, unchanged: 2 } }),
    );
    expect(invalidate).toHaveBeenCalledWith({ queryKey: projectKeys.items(3) });
    expect(invalidate).toHaveBeenCalledWith({ queryKey: projectKeys.detail(3), exact: true });
    expect(screen.getAllByTestId("event")[0]).toHaveTextContent("Import: 4 new, 1 updated, 2 unchanged");
  });

  it("closes the socket on unmount", () => {
    const { unmount } = renderWithProviders(
      <LiveEventsPanel projectId={3} createSocket={FakeWebSocket.create} />,
    );
    const socket = FakeWebSocket.latest();
    unmount();
    expect(socket.closed).toBe(true);
  });

  it("asks the server for a worker ping", async () => {
    document.cookie = "csrftoken=abc";
    const { requests } = mockFetch(() => jsonResponse({ queued: true }, 202));
    renderWithProviders(<LiveEventsPanel projectId={3} createSocket={FakeWebSocket.create} />);

    await userEvent.click(screen.getByRole("button", { name: "Ping worker" }));

    await waitFor(() => expect(requests).toHaveLength(1));
    expect(requests[0]?.url).toBe("/api/projects/3/worker-ping/");
    expect(requests[0]?.method).toBe("POST");
    expect(requests[0]?.headers.get("X-CSRFToken")).toBe("abc");
  });
});
