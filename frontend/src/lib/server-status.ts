/**
 * Whether the server answers, shared by the whole page.
 *
 * Every API call reports here (see `serverStatusMiddleware`): a call that cannot reach the
 * server, or a 502/504 from the proxy or a 503 saying the database is unavailable, marks the
 * server down; any other answer marks it up. While it is down, `/api/ready/` is probed with
 * backoff, so the page notices the server is back even when the person does nothing; then the
 * `onBack` listeners run (the labeling outbox sends what it holds, failed queries load again).
 */
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from "./ws";

export type ServerProblem = "unreachable" | "unavailable";

export interface ServerStatusState {
  problem: ServerProblem | null;
  /** The server's own words, when it sent some (a 503's `detail`). */
  detail: string | null;
  /** True for a few seconds after the server came back, to say so. */
  recovered: boolean;
}

/** Resolves true when the server serves requests again. */
export type Probe = (signal: AbortSignal) => Promise<boolean>;

export interface ServerStatusOptions {
  probe: Probe;
  backoff?: Partial<BackoffOptions>;
  recoveredForMs?: number;
  random?: () => number;
}

const UP: ServerStatusState = { problem: null, detail: null, recovered: false };

export class ServerStatus {
  private state: ServerStatusState = UP;
  private readonly listeners = new Set<() => void>();
  private readonly backListeners = new Set<() => void>();
  private readonly backoff: BackoffOptions;
  private attempt = 0;
  private probeTimer: ReturnType<typeof setTimeout> | null = null;
  private recoveredTimer: ReturnType<typeof setTimeout> | null = null;
  private probing: AbortController | null = null;

  constructor(private readonly options: ServerStatusOptions) {
    this.backoff = { ...DEFAULT_BACKOFF, initialDelayMs: 1_000, maxDelayMs: 10_000, ...options.backoff };
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): ServerStatusState => this.state;

  /** Run `listener` each time the server is back after being down. */
  onBack(listener: () => void): () => void {
    this.backListeners.add(listener);
    return () => this.backListeners.delete(listener);
  }

  failed(problem: ServerProblem, detail: string | null = null): void {
    const wasUp = this.state.problem === null;
    if (!wasUp && this.state.problem === problem && this.state.detail === detail) {
      return;
    }
    this.clearRecovered();
    this.set({ problem, detail, recovered: false });
    if (wasUp) {
      this.attempt = 0;
      this.scheduleProbe();
    }
  }

  succeeded(): void {
    if (this.state.problem !== null) {
      this.back();
    }
  }

  dispose(): void {
    this.stopProbing();
    this.clearRecovered();
    this.listeners.clear();
    this.backListeners.clear();
  }

  private set(state: ServerStatusState): void {
    this.state = state;
    for (const listener of this.listeners) {
      listener();
    }
  }

  private scheduleProbe(): void {
    const delay = backoffDelay(this.attempt, this.backoff, this.options.random);
    this.attempt += 1;
    this.probeTimer = setTimeout(() => void this.probeNow(), delay);
  }

  private async probeNow(): Promise<void> {
    this.probeTimer = null;
    const controller = new AbortController();
    this.probing = controller;
    let up = false;
    try {
      up = await this.options.probe(controller.signal);
    } catch {
      up = false;
    }
    if (controller.signal.aborted || this.state.problem === null) {
      return;
    }
    this.probing = null;
    if (up) {
      this.back();
    } else {
      this.scheduleProbe();
    }
  }

  private back(): void {
    this.stopProbing();
    this.set({ problem: null, detail: null, recovered: true });
    this.recoveredTimer = setTimeout(() => {
      this.recoveredTimer = null;
      this.set(UP);
    }, this.options.recoveredForMs ?? 4_000);
    for (const listener of this.backListeners) {
      listener();
    }
  }

  private stopProbing(): void {
    if (this.probeTimer !== null) {
      clearTimeout(this.probeTimer);
      this.probeTimer = null;
    }
    this.probing?.abort();
    this.probing = null;
  }

  private clearRecovered(): void {
    if (this.recoveredTimer !== null) {
      clearTimeout(this.recoveredTimer);
      this.recoveredTimer = null;
    }
  }
}

/**
 * The readiness probe: up when `/api/ready/` answers 200, or 503 with the database fine (only
 * the broker is down: labeling works, live updates wait).
 */
export async function readyProbe(signal: AbortSignal): Promise<boolean> {
  const response = await globalThis.fetch(new URL("/api/ready/", window.location.origin), {
    signal,
    headers: { Accept: "application/json" },
    cache: "no-store",
  });
  if (response.ok) {
    return true;
  }
  if (response.status !== 503) {
    return false;
  }
  const body: unknown = await response.json().catch(() => null);
  const checks = typeof body === "object" && body !== null ? (body as { checks?: unknown }).checks : null;
  return typeof checks === "object" && checks !== null && (checks as { database?: unknown }).database === "ok";
}

/** What a response says about the server: down (with the server's words), up, or nothing. */
export async function responseVerdict(
  response: Response,
): Promise<{ down: true; detail: string | null } | { down: false } | null> {
  if (response.status === 502 || response.status === 504) {
    return { down: true, detail: null };
  }
  if (response.status === 503) {
    const body: unknown = await response
      .clone()
      .json()
      .catch(() => undefined);
    if (body === undefined) {
      return { down: true, detail: null }; // not the API's JSON: a proxy's page
    }
    const { code, detail } = (typeof body === "object" && body !== null ? body : {}) as {
      code?: unknown;
      detail?: unknown;
    };
    // Other 503s (sign-in while its counters are unreachable) are about one feature only.
    return code === "database_unavailable" ? { down: true, detail: typeof detail === "string" ? detail : null } : null;
  }
  return response.status < 500 ? { down: false } : null;
}

export const serverStatus = new ServerStatus({ probe: readyProbe });
