import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { renderWithProviders } from "@/testing/render";
import type { ReceivedEvent } from "../hooks/use-project-events";
import { EventFeed } from "./event-feed";

function event(key: number, type: string, data: unknown): ReceivedEvent {
  return { key, type, data, project: 3, at: "2026-11-26T20:00:00Z" };
}

describe("EventFeed", () => {
  it("summarises worker.pong and shows unknown events as type plus JSON", () => {
    renderWithProviders(
      <EventFeed
        events={[
          event(2, "batch.imported", { items: 20, source: "upload.jsonl" }),
          event(1, "worker.pong", { hostname: "worker-1", latency_ms: 42.4 }),
        ]}
      />,
    );

    const feed = screen.getByTestId("event-feed");
    const entries = within(feed).getAllByTestId("event");
    expect(entries).toHaveLength(2);

    expect(entries[0]).toHaveTextContent("batch.imported");
    expect(entries[0]).toHaveTextContent('{"items":20,"source":"upload.jsonl"}');
    expect(entries[1]).toHaveTextContent("worker.pong");
    expect(entries[1]).toHaveTextContent("Worker worker-1 answered in 42 ms");
  });

  it("summarises project and member events", () => {
    renderWithProviders(
      <EventFeed
        events={[
          event(4, "member.changed", { username: "carol", role: "manager" }),
          event(3, "member.removed", { username: "bob", role: "reviewer" }),
          event(2, "member.added", { username: "alice", role: "annotator" }),
          event(1, "project.updated", { fields: ["name", "guidelines"] }),
        ]}
      />,
    );
    const entries = screen.getAllByTestId("event");
    expect(entries[0]).toHaveTextContent("carol is now manager");
    expect(entries[1]).toHaveTextContent("bob (reviewer) was removed");
    expect(entries[2]).toHaveTextContent("alice joined as annotator");
    expect(entries[3]).toHaveTextContent("Project updated: name, guidelines");
  });

  it("falls back to JSON when a known event has an unexpected shape", () => {
    renderWithProviders(<EventFeed events={[event(1, "worker.pong", { host: "x" })]} />);
    expect(screen.getByTestId("event")).toHaveTextContent('{"host":"x"}');
  });

  it("renders an empty feed with a hint", () => {
    renderWithProviders(<EventFeed events={[]} />);
    expect(screen.getByTestId("event-feed")).toBeEmptyDOMElement();
    expect(screen.getByText("No events yet.")).toBeInTheDocument();
  });
});
