/**
 * The one HTTP client for the Moot API, typed by `schema.d.ts` (generated from
 * the backend's OpenAPI schema with `npm run gen:api`).
 *
 * Auth is Django's session cookie plus CSRF: every unsafe request carries the
 * current `csrftoken` cookie in `X-CSRFToken`. The cookie is read on every call
 * because Django rotates the token on login.
 */
import createClient, { type Middleware } from "openapi-fetch";
import { responseVerdict, serverStatus } from "@/lib/server-status";
import type { paths } from "./schema";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS", "TRACE"]);

export class ApiError extends Error {
  readonly status: number;
  /** Parsed JSON body when the server sent one (DRF error payloads), else the text or null. */
  readonly body: unknown;

  constructor(status: number, body: unknown) {
    super(`Request failed with status ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.body = body;
  }

  /** DRF's `{"detail": "..."}` message, when present. */
  get detail(): string | null {
    if (isRecord(this.body) && typeof this.body.detail === "string") {
      return this.body.detail;
    }
    return null;
  }
}

export function isApiError(error: unknown, status?: number): error is ApiError {
  return error instanceof ApiError && (status === undefined || error.status === status);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function getCookie(name: string): string | null {
  for (const part of document.cookie.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) {
      return decodeURIComponent(rest.join("="));
    }
  }
  return null;
}

const csrfMiddleware: Middleware = {
  onRequest({ request }) {
    if (!SAFE_METHODS.has(request.method)) {
      const token = getCookie("csrftoken");
      if (token) {
        request.headers.set("X-CSRFToken", token);
      }
    }
    return request;
  },
};

/** Tells the page-wide server status what each call found (see `lib/server-status`). */
const serverStatusMiddleware: Middleware = {
  async onResponse({ response }) {
    const verdict = await responseVerdict(response);
    if (verdict?.down) {
      serverStatus.failed("unavailable", verdict.detail);
    } else if (verdict) {
      serverStatus.succeeded();
    }
    return undefined;
  },
  onError({ error }) {
    // A call the page cancelled says nothing about the server.
    if (!(error instanceof DOMException && error.name === "AbortError")) {
      serverStatus.failed("unreachable");
    }
    return undefined;
  },
};

export const client = createClient<paths>({
  // Absolute so requests also resolve outside a browser document (tests).
  baseUrl: window.location.origin,
  credentials: "same-origin",
  headers: { Accept: "application/json" },
  // Resolved per call so a replaced global fetch (tests, instrumentation) is honoured.
  fetch: (request) => globalThis.fetch(request),
});
client.use(csrfMiddleware, serverStatusMiddleware);

interface ClientResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** Returns the response data, throwing `ApiError` for any non-2xx status. */
export async function unwrap<T>(pending: Promise<ClientResult<T>>): Promise<T> {
  const { data, error, response } = await pending;
  if (!response.ok) {
    throw new ApiError(response.status, error ?? null);
  }
  return data as T;
}

/**
 * DRF page-number pagination links are absolute URLs built from the request's
 * Host, which differs from the browser's origin behind a proxy; only the page
 * number is taken from them.
 */
export function pageFromUrl(url: string | null | undefined): number | undefined {
  if (!url) {
    return undefined;
  }
  const page = Number(new URL(url, window.location.origin).searchParams.get("page") ?? "1");
  return Number.isSafeInteger(page) && page > 0 ? page : undefined;
}
