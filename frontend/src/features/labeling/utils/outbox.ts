import { isApiError, isRecord } from "@/api/client";
import type { SubmitRequest } from "@/api/types";
import { keysWithPrefix, readJson, removeKey, writeJson, type KeyValueStore } from "./storage";

/**
 * The outbox: a submit or skip is written here, keyed by assignment id, before it is sent, and
 * removed only once the server has answered for it. A stored request survives a dropped
 * connection, a crash or a reload; re-sending it is safe because the server answers a repeated
 * submit with the annotation it already stored.
 */

export const OUTBOX_PREFIX = "moot.labeling.outbox.";

export interface OutboxEntry {
  assignmentId: number;
  projectId: number;
  action: "submit" | "skip";
  /** The submit body; null for a skip. */
  body: SubmitRequest | null;
  queuedAt: number;
  /** Failed sends so far; above zero the entry is waiting for a retry. */
  attempts: number;
  lastError: string | null;
}

function isEntry(value: unknown): value is OutboxEntry {
  return (
    isRecord(value) &&
    typeof value.assignmentId === "number" &&
    typeof value.projectId === "number" &&
    (value.action === "submit" || value.action === "skip") &&
    (value.body === null || isRecord(value.body)) &&
    typeof value.queuedAt === "number" &&
    typeof value.attempts === "number"
  );
}

export class Outbox {
  /** Entries the browser refused to store (private mode, full quota): kept for this page's life at least. */
  private readonly memory = new Map<number, OutboxEntry>();

  constructor(private readonly store: KeyValueStore | null) {}

  /** Stores an entry; false when only this page's memory holds it. */
  put(entry: OutboxEntry): boolean {
    if (writeJson(this.store, OUTBOX_PREFIX + entry.assignmentId, entry)) {
      this.memory.delete(entry.assignmentId);
      return true;
    }
    this.memory.set(entry.assignmentId, entry);
    return false;
  }

  get(assignmentId: number): OutboxEntry | null {
    const value = readJson(this.store, OUTBOX_PREFIX + assignmentId);
    if (isEntry(value)) {
      return { ...value, lastError: value.lastError ?? null };
    }
    return this.memory.get(assignmentId) ?? null;
  }

  remove(assignmentId: number): void {
    this.memory.delete(assignmentId);
    removeKey(this.store, OUTBOX_PREFIX + assignmentId);
  }

  /** Every entry, oldest first. */
  list(): OutboxEntry[] {
    const ids = new Set([
      ...keysWithPrefix(this.store, OUTBOX_PREFIX).map((key) => Number(key.slice(OUTBOX_PREFIX.length))),
      ...this.memory.keys(),
    ]);
    return [...ids]
      .map((id) => this.get(id))
      .filter((entry): entry is OutboxEntry => entry !== null)
      .sort((a, b) => a.queuedAt - b.queuedAt);
  }
}

/** What became of one send. */
export type Delivery =
  | { type: "saved" }
  /** The server refused it for good (400 invalid answers, 409 skipped or taken, 404 gone). */
  | { type: "rejected"; status: number; body: unknown; message: string | null }
  /** Network failure, timeout or server trouble: keep it and try again. */
  | { type: "retry"; message: string };

/**
 * Statuses worth retrying: server errors, timeouts, rate limits, and 401/403, which here mean an
 * expired session or CSRF token; the answer must outlive signing in again.
 */
function retryable(status: number): boolean {
  return status >= 500 || [401, 403, 408, 425, 429].includes(status);
}

export function classifyFailure(error: unknown): Delivery {
  if (isApiError(error)) {
    if (retryable(error.status)) {
      return { type: "retry", message: error.detail ?? `HTTP ${error.status}` };
    }
    return { type: "rejected", status: error.status, body: error.body, message: error.detail };
  }
  // fetch rejects with a TypeError when the network is down, and with an AbortError on timeout.
  return { type: "retry", message: error instanceof Error ? error.message : "Network error" };
}

export async function deliver(entry: OutboxEntry, send: (entry: OutboxEntry) => Promise<unknown>): Promise<Delivery> {
  try {
    await send(entry);
    return { type: "saved" };
  } catch (error) {
    return classifyFailure(error);
  }
}
