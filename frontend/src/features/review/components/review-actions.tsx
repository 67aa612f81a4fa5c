import { Alert, Button, Group, Kbd, Stack, Textarea } from "@mantine/core";
import { useHotkeys } from "@mantine/hooks";
import { useRef, useState } from "react";
import { isApiError, isRecord } from "@/api/client";
import type { ReviewDecision } from "@/api/types";
import { errorMessage } from "@/components/ui/error-message";
import { flattenErrors } from "@/features/projects/utils/field-errors";
import { useReviewAnnotation } from "../api/review-annotation";

interface ReviewActionsProps {
  projectId: number;
  annotationId: number;
  onReviewed: (decision: ReviewDecision) => void;
}

/** Accept (a) or reject (r, with a required comment) one annotation. */
export function ReviewActions({ projectId, annotationId, onReviewed }: ReviewActionsProps) {
  const review = useReviewAnnotation(projectId);
  const [rejecting, setRejecting] = useState(false);
  const [comment, setComment] = useState("");
  const [commentError, setCommentError] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const commentRef = useRef<HTMLTextAreaElement>(null);

  const decide = (decision: ReviewDecision) => {
    if (review.isPending) return;
    if (decision === "reject" && !comment.trim()) {
      setCommentError("Say why the annotation is rejected.");
      commentRef.current?.focus();
      return;
    }
    setFailure(null);
    review.mutate(
      { annotationId, decision, comment: decision === "reject" ? comment.trim() : "" },
      {
        onSuccess: () => onReviewed(decision),
        onError: (error) => {
          if (isApiError(error, 400) && isRecord(error.body) && error.body.comment !== undefined) {
            setCommentError(flattenErrors(error.body.comment).join("\n"));
          } else {
            setFailure(errorMessage(error));
          }
        },
      },
    );
  };

  const startReject = () => setRejecting(true);

  useHotkeys([
    ["a", () => !rejecting && decide("accept")],
    ["r", () => (rejecting ? commentRef.current?.focus() : startReject())],
  ]);

  return (
    <Stack gap="xs">
      {failure && (
        <Alert color="red" role="alert" p="xs">
          The review was not saved: {failure}
        </Alert>
      )}
      {rejecting && (
        <Textarea
          ref={commentRef}
          // Opening the box is a request to type the reason, so it takes focus.
          autoFocus
          label="Why is it rejected?"
          description="Required. The item goes back to the pool for another annotation."
          autosize
          minRows={2}
          maxRows={8}
          value={comment}
          onChange={(event) => {
            setComment(event.currentTarget.value);
            setCommentError(null);
          }}
          error={commentError}
          onKeyDown={(event) => {
            if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
              event.preventDefault();
              decide("reject");
            } else if (event.key === "Escape") {
              setRejecting(false);
            }
          }}
        />
      )}
      <Group gap="xs">
        {!rejecting ? (
          <>
            <Button
              color="teal"
              onClick={() => decide("accept")}
              loading={review.isPending && review.variables.decision === "accept"}
              aria-keyshortcuts="a"
              rightSection={<Kbd aria-hidden>a</Kbd>}
            >
              Accept
            </Button>
            <Button
              color="red"
              variant="light"
              onClick={startReject}
              aria-keyshortcuts="r"
              rightSection={<Kbd aria-hidden>r</Kbd>}
            >
              Reject
            </Button>
          </>
        ) : (
          <>
            <Button
              color="red"
              onClick={() => decide("reject")}
              loading={review.isPending}
              aria-keyshortcuts="Control+Enter"
              rightSection={<Kbd aria-hidden>Ctrl+Enter</Kbd>}
            >
              Confirm rejection
            </Button>
            <Button variant="default" onClick={() => setRejecting(false)} rightSection={<Kbd aria-hidden>Esc</Kbd>}>
              Cancel
            </Button>
          </>
        )}
      </Group>
    </Stack>
  );
}
