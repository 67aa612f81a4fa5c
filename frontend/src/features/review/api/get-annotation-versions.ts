import { useQuery } from "@tanstack/react-query";
import { client, unwrap } from "@/api/client";
import type { AnnotationVersion } from "@/api/types";
import { projectKeys } from "@/features/projects/api/keys";

export function getAnnotationVersions(annotationId: number, signal?: AbortSignal): Promise<AnnotationVersion[]> {
  return unwrap(
    client.GET("/api/annotations/{annotation_id}/versions/", {
      params: { path: { annotation_id: annotationId } },
      signal,
    }),
  );
}

/** Every version of an annotation, oldest first; keyed under its project so project events refresh it. */
export function useAnnotationVersions(projectId: number, annotationId: number) {
  return useQuery({
    queryKey: [...projectKeys.annotations(projectId), "versions", annotationId],
    queryFn: ({ signal }) => getAnnotationVersions(annotationId, signal),
  });
}
