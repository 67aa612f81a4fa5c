import { client, unwrap } from "@/api/client";
import type { Annotation } from "@/api/types";

/** Skips the item: it is not offered to the caller again. Sent through the outbox like a submit. */
export function skipAssignment(assignmentId: number, signal?: AbortSignal): Promise<Annotation> {
  return unwrap(
    client.POST("/api/assignments/{assignment_id}/skip/", {
      params: { path: { assignment_id: assignmentId } },
      signal,
    }),
  );
}
