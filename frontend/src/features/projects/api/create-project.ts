import { useMutation, useQueryClient } from "@tanstack/react-query";
import { client, unwrap } from "@/api/client";
import type { Project, ProjectRequest } from "@/api/types";
import { projectKeys } from "./keys";

export function createProject(input: ProjectRequest): Promise<Project> {
  return unwrap(client.POST("/api/projects/", { body: input }));
}

export function useCreateProject() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createProject,
    onSuccess: async (project) => {
      queryClient.setQueryData(projectKeys.detail(project.id), project);
      await queryClient.invalidateQueries({ queryKey: projectKeys.list() });
    },
  });
}
