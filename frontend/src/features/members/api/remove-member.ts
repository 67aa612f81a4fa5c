import { useMutation, useQueryClient } from "@tanstack/react-query";
import { client, unwrap } from "@/api/client";
import { projectKeys } from "@/features/projects/api/keys";

export function removeMember(projectId: number, memberId: number): Promise<void> {
  return unwrap(
    client.DELETE("/api/projects/{project_id}/members/{member_id}/", {
      params: { path: { project_id: projectId, member_id: memberId } },
    }),
  );
}

export function useRemoveMember(projectId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (memberId: number) => removeMember(projectId, memberId),
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: projectKeys.members(projectId) }),
        // Removing yourself changes what you may see.
        queryClient.invalidateQueries({ queryKey: projectKeys.detail(projectId), exact: true }),
        queryClient.invalidateQueries({ queryKey: projectKeys.list() }),
      ]);
    },
  });
}
