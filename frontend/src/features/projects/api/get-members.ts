import { useInfiniteQuery } from "@tanstack/react-query";
import { client, pageFromUrl, unwrap } from "@/api/client";
import type { MembershipList } from "@/api/types";
import { projectKeys } from "./keys";

export function getMembers(projectId: number, page: number, signal?: AbortSignal): Promise<MembershipList> {
  return unwrap(
    client.GET("/api/projects/{project_id}/members/", {
      params: { path: { project_id: projectId }, query: { page } },
      signal,
    }),
  );
}

export function useMembers(projectId: number) {
  return useInfiniteQuery({
    queryKey: projectKeys.members(projectId),
    queryFn: ({ pageParam, signal }) => getMembers(projectId, pageParam, signal),
    initialPageParam: 1,
    getNextPageParam: (lastPage) => pageFromUrl(lastPage.next),
  });
}
