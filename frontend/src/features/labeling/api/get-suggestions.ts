import { useQuery } from "@tanstack/react-query";
import { client, unwrap } from "@/api/client";
import type { Suggestions } from "@/api/types";
import { labelingKeys } from "./keys";

/** Judges' latest verdicts on an assignment's item; `enabled` is false unless the project shows them. */
export function getSuggestions(assignmentId: number, signal?: AbortSignal): Promise<Suggestions> {
  return unwrap(
    client.GET("/api/assignments/{assignment_id}/suggestions/", {
      params: { path: { assignment_id: assignmentId } },
      signal,
    }),
  );
}

/**
 * Suggestions for an assignment, asked for once (the item fetched ahead gets them fetched ahead
 * too). Blinded projects never show suggestions, so nothing is asked for there.
 */
export function useSuggestions(assignmentId: number | null, enabled: boolean) {
  return useQuery({
    queryKey: labelingKeys.suggestions(assignmentId ?? 0),
    queryFn: ({ signal }) => getSuggestions(assignmentId ?? 0, signal),
    enabled: enabled && assignmentId !== null,
    staleTime: Infinity,
    gcTime: 10 * 60_000,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
    retry: false,
  });
}
