import { useMutation } from "@tanstack/react-query";
import { client, unwrap } from "@/api/client";
import type { Queued } from "@/api/types";

/** Queues a round-trip check; the answer arrives as a `worker.pong` websocket event. */
export function pingWorker(projectId: number): Promise<Queued> {
  return unwrap(
    client.POST("/api/projects/{project_id}/worker-ping/", { params: { path: { project_id: projectId } } }),
  );
}

export function usePingWorker(projectId: number) {
  return useMutation({
    mutationFn: () => pingWorker(projectId),
  });
}
