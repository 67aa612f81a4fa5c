import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, type RenderOptions } from "@testing-library/react";
import type { ReactElement, ReactNode } from "react";
import { MemoryRouter, Route, Routes } from "react-router";
import { vi } from "vitest";
import { theme } from "@/app/theme";

export function createTestQueryClient() {
  return new QueryClient({
    defaultOptions: { queries: { retry: false, gcTime: Infinity }, mutations: { retry: false } },
  });
}

interface Options extends Omit<RenderOptions, "wrapper"> {
  route?: string;
  /** Route pattern the element is mounted at, for components that read params. */
  path?: string;
  queryClient?: QueryClient;
}

export function renderWithProviders(ui: ReactElement, options: Options = {}) {
  const { route = "/", path = "*", queryClient = createTestQueryClient(), ...rest } = options;
  const Wrapper = ({ children }: { children: ReactNode }) => (
    <MantineProvider theme={theme}>
      <QueryClientProvider client={queryClient}>
        <MemoryRouter initialEntries={[route]}>
          <Routes>
            <Route path={path} element={children} />
            {path !== "*" && <Route path="*" element={<div data-testid="other-route" />} />}
          </Routes>
        </MemoryRouter>
      </QueryClientProvider>
    </MantineProvider>
  );
  return { queryClient, ...render(ui, { wrapper: Wrapper, ...rest }) };
}

export function jsonResponse(body: unknown, status = 200): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json" },
  });
}

export interface RecordedRequest {
  /** Path plus query string, e.g. `/api/projects/?page=2`. */
  url: string;
  method: string;
  headers: Headers;
  credentials: RequestCredentials;
  /** Parsed JSON body, or undefined when there was none. */
  body: unknown;
}

type Handler = (request: RecordedRequest) => Response;

/** Stubs global fetch; the handler answers each request and every request is recorded. */
export function mockFetch(handler: Handler) {
  const requests: RecordedRequest[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request =
      input instanceof Request ? new Request(input, init) : new Request(new URL(input, window.location.origin), init);
    const text = await request.text();
    const url = new URL(request.url);
    const recorded: RecordedRequest = {
      url: `${url.pathname}${url.search}`,
      method: request.method,
      headers: request.headers,
      credentials: request.credentials,
      body: text ? (JSON.parse(text) as unknown) : undefined,
    };
    requests.push(recorded);
    return handler(recorded);
  });
  vi.stubGlobal("fetch", fetchMock);
  return { fetchMock, requests };
}
