import { useMutation, useQueryClient } from "@tanstack/react-query";
import { client, isApiError, unwrap } from "@/api/client";
import type { Export, ExportRequest } from "../types";
import { addCachedExport } from "../utils/export-cache";
import { exportKeys } from "./keys";

/**
 * Queues a snapshot's build (202, status queued). A 400 names the fields at fault; a 503 means
 * the task broker is down, and the server then records the snapshot as failed.
 */
export function createExport(projectId: number, body: ExportRequest): Promise<Export> {
  return unwrap(
    client.POST("/api/projects/{project_id}/exports/", { params: { path: { project_id: projectId } }, body }),
  );
}

export function useCreateExport(projectId: number) {
  const queryClient = useQueryClient();
  const queryKey = exportKeys.list(projectId);
  return useMutation({
    mutationFn: (body: ExportRequest) => createExport(projectId, body),
    onSuccess: async (snapshot) => {
      // Shown at once, so progress events that arrive before the refetch have a row to update.
      addCachedExport(queryClient, projectId, snapshot);
      await queryClient.invalidateQueries({ queryKey });
    },
    onError: async (error) => {
      // The failed snapshot the server recorded belongs in the list.
      if (isApiError(error, 503)) await queryClient.invalidateQueries({ queryKey });
    },
  });
}
