import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import type { ReceivedEvent } from "@/features/projects/hooks/use-project-events";
import type { SocketStatus } from "@/lib/ws";
import { exportKeys } from "../api/keys";
import { applyExportProgress, parseExportProgress } from "../utils/progress";

/**
 * Writes `export.progress` events from the project's live events (newest first, from
 * `useProjectEvents`) into the cached exports, each event once and in the order it came. When
 * the socket comes back after a drop, events were missed, so the list is fetched again.
 */
export function useExportEvents(projectId: number, events: readonly ReceivedEvent[], status: SocketStatus) {
  const queryClient = useQueryClient();
  const seen = useRef(0);
  const previousStatus = useRef<SocketStatus>(status);

  useEffect(() => {
    const fresh = events.filter((event) => event.key > seen.current);
    if (fresh.length === 0) return;
    seen.current = Math.max(...fresh.map((event) => event.key));
    for (const event of [...fresh].reverse()) {
      if (event.type !== "export.progress" || (event.project !== null && event.project !== projectId)) continue;
      const progress = parseExportProgress(event.data);
      if (progress) applyExportProgress(queryClient, projectId, progress);
    }
  }, [events, projectId, queryClient]);

  useEffect(() => {
    if (previousStatus.current === "reconnecting" && status === "live") {
      void queryClient.invalidateQueries({ queryKey: exportKeys.list(projectId) });
    }
    previousStatus.current = status;
  }, [status, projectId, queryClient]);
}
