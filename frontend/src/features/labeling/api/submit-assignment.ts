import { client, unwrap } from "@/api/client";
import type { Annotation, SubmitRequest } from "@/api/types";

/**
 * Stores the answers for an assignment: 201 when new, 200 when the server already had this
 * submit (a retry), both success. Throws `ApiError` (400 invalid answers, 409 skipped or taken).
 * Sent through the outbox (`useOutbox`), which keeps it until the server has answered.
 */
export function submitAssignment(assignmentId: number, body: SubmitRequest, signal?: AbortSignal): Promise<Annotation> {
  return unwrap(
    client.POST("/api/assignments/{assignment_id}/submit/", {
      params: { path: { assignment_id: assignmentId } },
      body,
      signal,
    }),
  );
}
