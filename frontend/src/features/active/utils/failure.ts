import { isApiError, isRecord } from "@/api/client";
import { errorMessage } from "@/components/ui/error-message";
import { flattenErrors } from "@/features/projects/utils/field-errors";

/**
 * What went wrong with a request, as one sentence: the messages of a 400 body ("The project has
 * no preference head…"), the server's `detail` (503: the task queue is down), or a generic line.
 */
export function failureMessage(error: unknown): string {
  if (isApiError(error, 400) && isRecord(error.body)) {
    const lines = Object.values(error.body).flatMap((value) => flattenErrors(value));
    if (lines.length) return lines.join(" ");
  }
  return errorMessage(error);
}
