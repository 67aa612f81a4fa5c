import { queryOptions, useQuery } from "@tanstack/react-query";
import { client, isApiError, unwrap } from "@/api/client";
import type { User } from "@/api/types";
import { ME_QUERY_KEY } from "@/lib/query-client";

export const meQueryKey = ME_QUERY_KEY;

/** The signed-in user, or null when the session is anonymous (401, or 403 from DRF's session auth). */
export async function getMe(signal?: AbortSignal): Promise<User | null> {
  try {
    return await unwrap(client.GET("/api/auth/me/", { signal }));
  } catch (error) {
    if (isApiError(error, 401) || isApiError(error, 403)) {
      return null;
    }
    throw error;
  }
}

export const meQueryOptions = queryOptions({
  queryKey: meQueryKey,
  queryFn: ({ signal }) => getMe(signal),
  staleTime: 5 * 60_000,
});

export function useMe() {
  return useQuery(meQueryOptions);
}
