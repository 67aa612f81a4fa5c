import { useQuery } from "@tanstack/react-query";
import { client, unwrap } from "@/api/client";
import type { Project } from "@/api/types";
import { projectKeys } from "./keys";

export function getProject(projectId: number, signal?: AbortSignal): Promise<Project> {
  return unwrap(
    client.GET("/api/projects/{project_id}/", { params: { path: { project_id: projectId } }, signal }),
  );
}

export function useProject(projectId: number) {
  return useQuery({
    queryKey: projectKeys.detail(projectId),
    queryFn: ({ signal }) => getProject(projectId, signal),
  });
}
