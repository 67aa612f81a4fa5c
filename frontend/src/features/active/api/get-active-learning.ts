import { useQuery } from "@tanstack/react-query";
import { client, unwrap } from "@/api/client";
import { projectKeys } from "@/features/projects/api/keys";
import type { ActiveLearning } from "../types";
import { pollInterval, type AwaitedRefresh } from "../utils/status";

/** The project's active-learning settings, its head's versions and the top of its queue. */
export function getActiveLearning(projectId: number, signal?: AbortSignal): Promise<ActiveLearning> {
  return unwrap(
    client.GET("/api/projects/{project_id}/active-learning/", { params: { path: { project_id: projectId } }, signal }),
  );
}

export const activeLearningKey = (projectId: number) => [...projectKeys.detail(projectId), "active-learning"] as const;

interface Options {
  /** A priority refresh this page asked for and has not seen land yet. */
  awaiting?: AwaitedRefresh | null;
}

/**
 * Refetched on the live events that move it (see `useActiveLearningEvents`). No event says when
 * a training or an asked-for refresh ends, so the query polls while one is under way.
 */
export function useActiveLearning(projectId: number, { awaiting = null }: Options = {}) {
  return useQuery({
    queryKey: activeLearningKey(projectId),
    queryFn: ({ signal }) => getActiveLearning(projectId, signal),
    refetchInterval: (query) => pollInterval(query.state.data, awaiting, Date.now()),
  });
}
