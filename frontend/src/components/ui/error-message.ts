import { isApiError } from "@/api/client";

/** A sentence suitable for an alert, preferring the server's own `detail`. */
export function errorMessage(error: unknown): string {
  if (isApiError(error)) {
    if (error.detail) {
      return error.detail;
    }
    if (error.status >= 500) {
      return "The server had a problem. Please try again.";
    }
    return `Request failed (HTTP ${error.status}).`;
  }
  if (error instanceof TypeError) {
    return "Could not reach the server. Check your connection.";
  }
  return error instanceof Error ? error.message : "Something went wrong.";
}
