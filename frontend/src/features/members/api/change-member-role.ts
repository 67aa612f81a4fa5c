import { useMutation, useQueryClient } from "@tanstack/react-query";
import { client, unwrap } from "@/api/client";
import type { Membership, Role } from "@/api/types";
import { projectKeys } from "@/features/projects/api/keys";

export function changeMemberRole(projectId: number, memberId: number, role: Role): Promise<Membership> {
  return unwrap(
    client.PATCH("/api/projects/{project_id}/members/{member_id}/", {
      params: { path: { project_id: projectId, member_id: memberId } },
      body: { role },
    }),
  );
}

export function useChangeMemberRole(projectId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ memberId, role }: { memberId: number; role: Role }) => changeMemberRole(projectId, memberId, role),
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: projectKeys.members(projectId) }),
        // The caller may have changed their own role.
        queryClient.invalidateQueries({ queryKey: projectKeys.detail(projectId), exact: true }),
        queryClient.invalidateQueries({ queryKey: projectKeys.list() }),
      ]);
    },
  });
}
