import { useMutation, useQueryClient } from "@tanstack/react-query";
import { client, unwrap } from "@/api/client";
import { removeCachedExport } from "../utils/export-cache";
import { exportKeys } from "./keys";

/** Deletes a snapshot and its file; a build still running stops. */
export function deleteExport(exportId: number): Promise<void> {
  return unwrap(client.DELETE("/api/exports/{export_id}/", { params: { path: { export_id: exportId } } }));
}

export function useDeleteExport(projectId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteExport,
    onSuccess: async (_, exportId) => {
      removeCachedExport(queryClient, projectId, exportId);
      await queryClient.invalidateQueries({ queryKey: exportKeys.list(projectId) });
    },
  });
}
