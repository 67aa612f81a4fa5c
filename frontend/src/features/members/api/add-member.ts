import { useMutation, useQueryClient } from "@tanstack/react-query";
import { client, unwrap } from "@/api/client";
import type { MemberAddRequest, Membership } from "@/api/types";
import { projectKeys } from "@/features/projects/api/keys";

export function addMember(projectId: number, input: MemberAddRequest): Promise<Membership> {
  return unwrap(
    client.POST("/api/projects/{project_id}/members/", {
      params: { path: { project_id: projectId } },
      body: input,
    }),
  );
}

export function useAddMember(projectId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: MemberAddRequest) => addMember(projectId, input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: projectKeys.members(projectId) }),
  });
}
