import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from "@/lib/ws";
import { deliver, type Delivery, type Outbox, type OutboxEntry } from "./outbox";

export type FinalDelivery = Exclude<Delivery, { type: "retry" }>;

export interface OutboxQueueOptions {
  outbox: Outbox;
  send: (entry: OutboxEntry, signal: AbortSignal) => Promise<unknown>;
  /** Called with every entry whenever the outbox changes. */
  onChange?: (entries: OutboxEntry[]) => void;
  /** Called once the server has answered for an entry for good (stored, or refused). */
  onDelivered?: (entry: OutboxEntry, delivery: FinalDelivery) => void;
  /** A request hanging on a dead connection counts as failed after this long. */
  timeoutMs?: number;
  backoff?: Partial<BackoffOptions>;
  random?: () => number;
}

/**
 * Sends outbox entries one after another and retries failed ones with exponential backoff
 * (plus whenever `retryNow` is called, e.g. on the browser's `online` event). Entries are only
 * removed once the server has answered for them.
 */
export class OutboxQueue {
  private running: Promise<void> | null = null;
  private again = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private disposed = false;
  private readonly backoff: BackoffOptions;

  constructor(private readonly options: OutboxQueueOptions) {
    this.backoff = { ...DEFAULT_BACKOFF, initialDelayMs: 1_000, ...options.backoff };
  }

  entries(): OutboxEntry[] {
    return this.options.outbox.list();
  }

  /** Stores the entry first, then sends it. */
  enqueue(entry: OutboxEntry): Promise<void> {
    this.options.outbox.put(entry);
    this.notify();
    return this.flush();
  }

  /** Sends every entry now (new ones at once; failed ones too, ahead of their backoff). */
  retryNow(): Promise<void> {
    return this.flush();
  }

  flush(): Promise<void> {
    if (this.disposed) {
      return Promise.resolve();
    }
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.clearTimer();
    this.running = this.run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  dispose(): void {
    this.disposed = true;
    this.clearTimer();
  }

  private async run(): Promise<void> {
    // A failed entry is tried once per run; entries queued while running are picked up before it ends.
    const tried = new Set<number>();
    do {
      this.again = false;
      for (const entry of this.entries()) {
        if (this.disposed || tried.has(entry.assignmentId)) {
          continue;
        }
        tried.add(entry.assignmentId);
        await this.sendOne(entry);
      }
    } while (this.again && !this.disposed);
    this.scheduleRetry();
  }

  private async sendOne(entry: OutboxEntry): Promise<void> {
    const delivery = await deliver(entry, (current) => this.sendWithTimeout(current));
    const { outbox } = this.options;
    if (delivery.type === "retry") {
      // Another tab may have delivered it meanwhile; only a still-present entry is updated.
      if (outbox.get(entry.assignmentId)) {
        outbox.put({ ...entry, attempts: entry.attempts + 1, lastError: delivery.message });
      }
    } else {
      outbox.remove(entry.assignmentId);
    }
    if (this.disposed) {
      return;
    }
    this.notify();
    if (delivery.type !== "retry") {
      this.options.onDelivered?.(entry, delivery);
    }
  }

  private async sendWithTimeout(entry: OutboxEntry): Promise<unknown> {
    const controller = new AbortController();
    const timeout = setTimeout(() => controller.abort(), this.options.timeoutMs ?? 20_000);
    try {
      return await this.options.send(entry, controller.signal);
    } finally {
      clearTimeout(timeout);
    }
  }

  private scheduleRetry(): void {
    const failed = this.entries().filter((entry) => entry.attempts > 0);
    if (this.disposed || failed.length === 0) {
      return;
    }
    const attempt = Math.min(...failed.map((entry) => entry.attempts)) - 1;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, backoffDelay(attempt, this.backoff, this.options.random));
  }

  private clearTimer(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }

  private notify(): void {
    this.options.onChange?.(this.entries());
  }
}
