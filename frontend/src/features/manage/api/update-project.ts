import { useMutation, useQueryClient } from "@tanstack/react-query";
import { client, unwrap } from "@/api/client";
import type { Project, ProjectPatch } from "@/api/types";
import { projectKeys } from "@/features/projects/api/keys";

export function updateProject(projectId: number, changes: ProjectPatch): Promise<Project> {
  return unwrap(
    client.PATCH("/api/projects/{project_id}/", {
      params: { path: { project_id: projectId } },
      body: changes,
    }),
  );
}

export function useUpdateProject(projectId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (changes: ProjectPatch) => updateProject(projectId, changes),
    onSuccess: async (project) => {
      queryClient.setQueryData(projectKeys.detail(projectId), project);
      await queryClient.invalidateQueries({ queryKey: projectKeys.list() });
    },
  });
}
