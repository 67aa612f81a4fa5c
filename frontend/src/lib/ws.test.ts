import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeWebSocket } from "@/testing/fake-websocket";
import { backoffDelay, connectSocket, websocketUrl, type SocketStatus } from "./ws";

const noJitter = { initialDelayMs: 100, maxDelayMs: 1_000, factor: 2, jitter: 0 };

describe("backoffDelay", () => {
  it("grows exponentially and is capped", () => {
    expect([0, 1, 2, 3, 4, 5].map((attempt) => backoffDelay(attempt, noJitter))).toEqual([
      100, 200, 400, 800, 1_000, 1_000,
    ]);
  });

  it("spreads the delay by the jitter fraction", () => {
    const options = { ...noJitter, jitter: 0.5 };
    expect(backoffDelay(1, options, () => 0)).toBe(100);
    expect(backoffDelay(1, options, () => 0.5)).toBe(200);
    expect(backoffDelay(1, options, () => 1)).toBe(300);
  });
});

describe("connectSocket", () => {
  let statuses: SocketStatus[];
  let messages: unknown[];

  const connect = () =>
    connectSocket({
      url: "ws://example.test/ws/projects/3/",
      createSocket: FakeWebSocket.create,
      backoff: noJitter,
      onStatus: (status) => statuses.push(status),
      onMessage: (message) => messages.push(message),
    });

  beforeEach(() => {
    vi.useFakeTimers();
    FakeWebSocket.reset();
    statuses = [];
    messages = [];
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it("reports connecting, then live once open, and delivers parsed messages", () => {
    connect();
    expect(statuses).toEqual(["connecting"]);
    expect(FakeWebSocket.latest().url).toBe("ws://example.test/ws/projects/3/");

    FakeWebSocket.latest().open();
    FakeWebSocket.latest().receive({ type: "worker.pong", data: {} });
    FakeWebSocket.latest().receive("not json");

    expect(statuses).toEqual(["connecting", "live"]);
    expect(messages).toEqual([{ type: "worker.pong", data: {} }]);
  });

  it("reconnects with growing delays until a connection opens, then resets the backoff", () => {
    connect();
    FakeWebSocket.latest().open();

    FakeWebSocket.latest().drop();
    expect(statuses.at(-1)).toBe("reconnecting");
    expect(FakeWebSocket.instances).toHaveLength(1);

    vi.advanceTimersByTime(99);
    expect(FakeWebSocket.instances).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeWebSocket.instances).toHaveLength(2);

    // Second failure in a row waits twice as long.
    FakeWebSocket.latest().drop();
    vi.advanceTimersByTime(199);
    expect(FakeWebSocket.instances).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(FakeWebSocket.instances).toHaveLength(3);

    FakeWebSocket.latest().open();
    expect(statuses.at(-1)).toBe("live");

    // After a successful open the next drop starts from the initial delay again.
    FakeWebSocket.latest().drop();
    vi.advanceTimersByTime(100);
    expect(FakeWebSocket.instances).toHaveLength(4);
    expect(statuses).toEqual(["connecting", "live", "reconnecting", "live", "reconnecting"]);
  });

  it("caps the delay after many failures", () => {
    connect();
    for (let attempt = 0; attempt < 6; attempt += 1) {
      FakeWebSocket.latest().drop();
      vi.runOnlyPendingTimers();
    }
    const count = FakeWebSocket.instances.length;
    FakeWebSocket.latest().drop();
    vi.advanceTimersByTime(999);
    expect(FakeWebSocket.instances).toHaveLength(count);
    vi.advanceTimersByTime(1);
    expect(FakeWebSocket.instances).toHaveLength(count + 1);
  });

  it("retries when the socket constructor throws", () => {
    let calls = 0;
    connectSocket({
      url: "ws://example.test/",
      backoff: noJitter,
      createSocket: (url) => {
        calls += 1;
        if (calls === 1) {
          throw new SyntaxError("bad url");
        }
        return FakeWebSocket.create(url);
      },
      onMessage: () => {},
      onStatus: (status) => statuses.push(status),
    });
    expect(statuses).toEqual(["connecting", "reconnecting"]);
    vi.advanceTimersByTime(100);
    expect(FakeWebSocket.instances).toHaveLength(1);
  });

  it("stops reconnecting once closed by its owner", () => {
    const connection = connect();
    FakeWebSocket.latest().open();
    FakeWebSocket.latest().drop();

    connection.close();
    vi.advanceTimersByTime(10_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
  });

  it("closes the open socket and ignores its late events", () => {
    const connection = connect();
    const socket = FakeWebSocket.latest();
    socket.open();

    connection.close();
    expect(socket.closed).toBe(true);
    socket.drop();
    vi.advanceTimersByTime(10_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(statuses).toEqual(["connecting", "live"]);
  });
});

describe("websocketUrl", () => {
  it("uses wss for https pages and keeps the host", () => {
    expect(websocketUrl("/ws/projects/3/", { protocol: "https:", host: "moot.example" } as Location)).toBe(
      "wss://moot.example/ws/projects/3/",
    );
    expect(websocketUrl("/ws/x/", { protocol: "http:", host: "localhost:5173" } as Location)).toBe(
      "ws://localhost:5173/ws/x/",
    );
  });
});
