import { useMutation, useQueryClient } from "@tanstack/react-query";
import { client, unwrap } from "@/api/client";
import type { Review, ReviewDecision } from "@/api/types";
import { projectKeys } from "@/features/projects/api/keys";

export interface ReviewInput {
  annotationId: number;
  decision: ReviewDecision;
  comment: string;
}

export function reviewAnnotation({ annotationId, decision, comment }: ReviewInput): Promise<Review> {
  return unwrap(
    client.POST("/api/annotations/{annotation_id}/review/", {
      params: { path: { annotation_id: annotationId } },
      body: { decision, comment },
    }),
  );
}

export function useReviewAnnotation(projectId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: reviewAnnotation,
    onSuccess: async () => {
      await Promise.all([
        // The review queue and each item's annotations change…
        queryClient.invalidateQueries({ queryKey: projectKeys.annotations(projectId) }),
        // …and a rejection sends the item back for another annotation.
        queryClient.invalidateQueries({ queryKey: projectKeys.items(projectId) }),
        queryClient.invalidateQueries({ queryKey: projectKeys.gold(projectId) }),
      ]);
    },
  });
}
