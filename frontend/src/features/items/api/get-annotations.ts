import { useInfiniteQuery } from "@tanstack/react-query";
import { client, pageFromUrl, unwrap } from "@/api/client";
import type { AnnotationList, ReviewStatus } from "@/api/types";
import { projectKeys } from "@/features/projects/api/keys";

/** Filters of the annotation list; the same names as the API's query parameters. */
export interface AnnotationFilters {
  status?: "submitted" | "skipped";
  review_status?: ReviewStatus;
  annotator?: string;
  item?: number;
}

export function getAnnotations(
  projectId: number,
  filters: AnnotationFilters,
  page: number,
  signal?: AbortSignal,
): Promise<AnnotationList> {
  return unwrap(
    client.GET("/api/projects/{project_id}/annotations/", {
      params: { path: { project_id: projectId }, query: { ...filters, page } },
      signal,
    }),
  );
}

export function annotationListKey(projectId: number, filters: AnnotationFilters) {
  return [...projectKeys.annotations(projectId), "list", filters] as const;
}

export function useAnnotations(projectId: number, filters: AnnotationFilters, options: { enabled?: boolean } = {}) {
  return useInfiniteQuery({
    queryKey: annotationListKey(projectId, filters),
    queryFn: ({ pageParam, signal }) => getAnnotations(projectId, filters, pageParam, signal),
    initialPageParam: 1,
    getNextPageParam: (lastPage) => pageFromUrl(lastPage.next),
    enabled: options.enabled ?? true,
  });
}
