import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import type { ReceivedEvent } from "@/features/projects/hooks/use-project-events";
import { activeLearningKey } from "../api/get-active-learning";
import { refreshesActiveLearning } from "../utils/events";

/**
 * Refetches the active-learning settings when one of the project's live events (newest first,
 * from `useProjectEvents`) changes them. Each event is looked at once.
 */
export function useActiveLearningEvents(projectId: number, events: readonly ReceivedEvent[]) {
  const queryClient = useQueryClient();
  const seen = useRef(0);
  useEffect(() => {
    const fresh = events.filter((event) => event.key > seen.current);
    if (fresh.length === 0) return;
    seen.current = Math.max(...fresh.map((event) => event.key));
    if (fresh.some((event) => refreshesActiveLearning(event, projectId))) {
      void queryClient.invalidateQueries({ queryKey: activeLearningKey(projectId) });
    }
  }, [events, projectId, queryClient]);
}
