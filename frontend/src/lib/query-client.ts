import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { isApiError } from "@/api/client";

/** Owned by the auth feature; defined here because the cache reacts to auth failures. */
export const ME_QUERY_KEY = ["auth", "me"] as const;

function shouldRetry(failureCount: number, error: unknown): boolean {
  // Client errors won't fix themselves; retry only network and server failures.
  if (isApiError(error) && error.status < 500) {
    return false;
  }
  return failureCount < 2;
}

/**
 * A 401/403 from any endpoint may mean the session expired; re-checking
 * `/api/auth/me/` sends the user to the login page if so.
 */
function recheckSession(client: QueryClient, error: unknown) {
  if (isApiError(error, 401) || isApiError(error, 403)) {
    void client.invalidateQueries({ queryKey: ME_QUERY_KEY });
  }
}

export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      onError: (error, query) => {
        if (query.queryKey[0] !== ME_QUERY_KEY[0]) {
          recheckSession(client, error);
        }
      },
    }),
    mutationCache: new MutationCache({
      onError: (error) => recheckSession(client, error),
    }),
    defaultOptions: {
      queries: { retry: shouldRetry, staleTime: 30_000, refetchOnWindowFocus: true },
      mutations: { retry: false },
    },
  });
  return client;
}

/** Load again the active queries that failed (after the server came back). */
export function refetchFailed(client: QueryClient): Promise<void> {
  return client.refetchQueries({ type: "active", predicate: (query) => query.state.status === "error" });
}
