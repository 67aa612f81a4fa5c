import { useInfiniteQuery } from "@tanstack/react-query";
import { client, pageFromUrl, unwrap } from "@/api/client";
import type { ProjectList } from "@/api/types";
import { projectKeys } from "./keys";

export function getProjects(page: number, signal?: AbortSignal): Promise<ProjectList> {
  return unwrap(client.GET("/api/projects/", { params: { query: { page } }, signal }));
}

export function useProjects() {
  return useInfiniteQuery({
    queryKey: projectKeys.list(),
    queryFn: ({ pageParam, signal }) => getProjects(pageParam, signal),
    initialPageParam: 1,
    getNextPageParam: (lastPage) => pageFromUrl(lastPage.next),
  });
}
