/**
 * The one websocket client: a socket that reconnects with exponential backoff
 * until it is closed by its owner. Message payloads are parsed as JSON and
 * handed over untyped; callers validate the shape they expect.
 */

export type SocketStatus = "connecting" | "live" | "reconnecting";

/** The subset of the browser WebSocket this module relies on (lets tests inject a fake). */
export interface WebSocketLike {
  onopen: ((event: Event) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
  close(code?: number, reason?: string): void;
}

export type WebSocketFactory = (url: string) => WebSocketLike;

export interface BackoffOptions {
  initialDelayMs: number;
  maxDelayMs: number;
  factor: number;
  /** Fraction of the delay randomised either way, so many tabs don't reconnect in lockstep. */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = {
  initialDelayMs: 500,
  maxDelayMs: 30_000,
  factor: 2,
  jitter: 0.2,
};

/** Delay before reconnect attempt number `attempt` (0-based). */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  const base = Math.min(options.maxDelayMs, options.initialDelayMs * options.factor ** attempt);
  const spread = base * options.jitter;
  return Math.max(0, Math.round(base - spread + random() * 2 * spread));
}

export interface SocketOptions {
  url: string;
  onMessage: (data: unknown) => void;
  onStatus?: (status: SocketStatus) => void;
  createSocket?: WebSocketFactory;
  backoff?: Partial<BackoffOptions>;
  random?: () => number;
}

export interface SocketConnection {
  close(): void;
}

export function connectSocket(options: SocketOptions): SocketConnection {
  const createSocket = options.createSocket ?? ((url: string) => new WebSocket(url));
  const backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
  let attempt = 0;
  let socket: WebSocketLike | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let closed = false;
  let status: SocketStatus | null = null;

  const setStatus = (next: SocketStatus) => {
    if (next !== status) {
      status = next;
      options.onStatus?.(next);
    }
  };

  const scheduleReconnect = () => {
    setStatus("reconnecting");
    const delay = backoffDelay(attempt, backoff, options.random);
    attempt += 1;
    timer = setTimeout(() => {
      timer = null;
      open();
    }, delay);
  };

  function open() {
    if (closed) {
      return;
    }
    let current: WebSocketLike;
    try {
      current = createSocket(options.url);
    } catch {
      // The constructor throws on malformed URLs or blocked schemes; retry like a dropped link.
      scheduleReconnect();
      return;
    }
    socket = current;
    current.onopen = () => {
      attempt = 0;
      setStatus("live");
    };
    current.onmessage = (event) => {
      if (typeof event.data !== "string") {
        return;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(event.data);
      } catch {
        return;
      }
      options.onMessage(parsed);
    };
    current.onclose = () => {
      if (socket !== current || closed) {
        return;
      }
      socket = null;
      scheduleReconnect();
    };
    // An error is always followed by close, which drives the reconnect.
    current.onerror = null;
  }

  setStatus("connecting");
  open();

  return {
    close() {
      closed = true;
      if (timer !== null) {
        clearTimeout(timer);
        timer = null;
      }
      if (socket) {
        const current = socket;
        socket = null;
        current.onopen = null;
        current.onmessage = null;
        current.onclose = null;
        current.close(1000, "client closed");
      }
    },
  };
}

/** Same-origin websocket URL for a path such as `/ws/projects/3/`. */
export function websocketUrl(path: string, location: Location = window.location): string {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}${path}`;
}
