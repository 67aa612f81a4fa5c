import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "@/api/client";
import { memoryStore } from "../testing/fixtures";
import { Outbox, OUTBOX_PREFIX, type OutboxEntry } from "./outbox";
import { OutboxQueue, type FinalDelivery } from "./outbox-queue";

function entry(assignmentId: number, overrides: Partial<OutboxEntry> = {}): OutboxEntry {
  return {
    assignmentId,
    projectId: 1,
    action: "submit",
    body: { answers: { pref: { winner: "a" } }, time_spent_ms: 1200 },
    queuedAt: assignmentId,
    attempts: 0,
    lastError: null,
    ...overrides,
  };
}

function setup(send: (entry: OutboxEntry) => Promise<unknown>) {
  const store = memoryStore();
  const outbox = new Outbox(store);
  const delivered: [number, FinalDelivery][] = [];
  const queue = new OutboxQueue({
    outbox,
    send: (current) => send(current),
    onDelivered: (current, delivery) => delivered.push([current.assignmentId, delivery]),
    random: () => 0.5,
  });
  return { store, outbox, queue, delivered };
}

describe("OutboxQueue", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("stores the submission before sending and removes it once the server has it", async () => {
    const { store, queue, delivered } = setup((current) => {
      // The entry is already on disk while the request is in flight.
      expect(store.data.has(OUTBOX_PREFIX + current.assignmentId)).toBe(true);
      return Promise.resolve({ id: 1 });
    });
    await queue.enqueue(entry(7));
    expect(store.data.size).toBe(0);
    expect(delivered).toEqual([[7, { type: "saved" }]]);
  });

  it("keeps it on a network failure and retries with backoff until it goes through", async () => {
    const send = vi
      .fn<(current: OutboxEntry) => Promise<unknown>>()
      .mockRejectedValueOnce(new TypeError("Failed to fetch"))
      .mockRejectedValueOnce(new ApiError(502, null))
      .mockResolvedValue({ id: 1 });
    const { outbox, queue, delivered } = setup(send);

    await queue.enqueue(entry(7));
    expect(outbox.list()).toEqual([expect.objectContaining({ assignmentId: 7, attempts: 1, lastError: "Failed to fetch" })]);
    expect(delivered).toEqual([]);

    await vi.advanceTimersByTimeAsync(1_000);
    expect(send).toHaveBeenCalledTimes(2);
    expect(outbox.get(7)?.attempts).toBe(2);

    await vi.advanceTimersByTimeAsync(1_999);
    expect(send).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(send).toHaveBeenCalledTimes(3);
    expect(outbox.list()).toEqual([]);
    expect(delivered).toEqual([[7, { type: "saved" }]]);
    // The same body went out every time.
    expect(new Set(send.mock.calls.map(([sent]) => JSON.stringify(sent.body))).size).toBe(1);
  });

  it("removes it on a 400 and reports the errors", async () => {
    const body = { answers: { pref: { winner: ["Choose 'a' or 'b'."] } } };
    const { outbox, queue, delivered } = setup(() => Promise.reject(new ApiError(400, body)));
    await queue.enqueue(entry(7));
    expect(outbox.list()).toEqual([]);
    expect(delivered).toEqual([[7, { type: "rejected", status: 400, body, message: null }]]);
  });

  it("removes it on a 409 with the server's message", async () => {
    const { outbox, queue, delivered } = setup(() =>
      Promise.reject(new ApiError(409, { detail: "This assignment was skipped." })),
    );
    await queue.enqueue(entry(7, { action: "skip", body: null }));
    expect(outbox.list()).toEqual([]);
    expect(delivered[0]?.[1]).toMatchObject({ type: "rejected", status: 409, message: "This assignment was skipped." });
  });

  it("keeps it when the session expired (403), to send after signing in again", async () => {
    const { outbox, queue } = setup(() => Promise.reject(new ApiError(403, { detail: "Not signed in." })));
    await queue.enqueue(entry(7));
    expect(outbox.get(7)?.attempts).toBe(1);
  });

  it("sends what an earlier page left behind, oldest first, and retries at once when asked", async () => {
    const sent: number[] = [];
    let online = false;
    const { outbox, queue } = setup((current) => {
      sent.push(current.assignmentId);
      return online ? Promise.resolve({}) : Promise.reject(new TypeError("offline"));
    });
    outbox.put(entry(9, { queuedAt: 2 }));
    outbox.put(entry(8, { queuedAt: 1 }));

    await queue.flush();
    expect(sent).toEqual([8, 9]);
    online = true;
    await queue.retryNow();
    expect(sent).toEqual([8, 9, 8, 9]);
    expect(outbox.list()).toEqual([]);
  });

  it("keeps entries in memory when the browser refuses to store them", async () => {
    const failing = { ...memoryStore(), setItem: () => { throw new DOMException("full", "QuotaExceededError"); } };
    const outbox = new Outbox(failing);
    const send = vi.fn().mockRejectedValueOnce(new TypeError("offline")).mockResolvedValue({});
    const queue = new OutboxQueue({ outbox, send, random: () => 0.5 });
    await queue.enqueue(entry(3));
    expect(outbox.list()).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(outbox.list()).toEqual([]);
  });
});
