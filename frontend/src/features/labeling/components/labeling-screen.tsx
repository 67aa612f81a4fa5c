import { Alert, Group, Stack } from "@mantine/core";
import { useEffect, useState } from "react";
import { isApiError } from "@/api/client";
import type { SubmitRequest } from "@/api/types";
import { PageLoader, QueryError } from "@/components/ui/query-state";
import { usePageTitle } from "@/components/ui/use-page-title";
import { useNextItem } from "../api/get-next-item";
import { useDelayedFlag } from "../hooks/use-delayed-flag";
import { useOutbox } from "../hooks/use-outbox";
import { deleteDraft, purgeDrafts } from "../utils/drafts";
import type { OutboxEntry } from "../utils/outbox";
import type { FinalDelivery } from "../utils/outbox-queue";
import { parseAnswerErrors, type AnswerErrors } from "../utils/server-errors";
import { browserStore } from "../utils/storage";
import { DoneState, WaitingState } from "./labeling-states";
import { LabelingWorkspace } from "./labeling-workspace";
import { OutboxStatus } from "./outbox-status";

/** Below this, moving to the next item shows no loading state at all. */
const LOADING_DELAY_MS = 150;

interface Rejection {
  assignmentId: number;
  errors: AnswerErrors;
}

/**
 * The labeling screen for one project. Submits and skips go through the outbox; the next item is
 * requested once the server has the answer. An assignment whose answer is on its way is never
 * shown for editing again.
 */
export function LabelingScreen({ projectId }: { projectId: number }) {
  usePageTitle("Labeling");
  const next = useNextItem(projectId);
  const [store] = useState(browserStore);
  /** Assignments this page has finished (stored, skipped, or refused for good). */
  const [finished, setFinished] = useState<ReadonlySet<number>>(() => new Set());
  const [rejection, setRejection] = useState<Rejection | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const current = next.data ?? null;

  const onDelivered = (entry: OutboxEntry, delivery: FinalDelivery) => {
    const isCurrent = entry.assignmentId === current?.assignment.id;
    if (delivery.type === "rejected" && delivery.status === 400) {
      // Still this person's assignment: they fix the answer, which stays in its draft.
      const errors = parseAnswerErrors(
        delivery.body,
        isCurrent ? current.candidates.map((candidate) => candidate.id) : [],
        isCurrent ? current.questions.map((question) => question.id) : [],
      );
      if (isCurrent) {
        setRejection({ assignmentId: entry.assignmentId, errors });
      } else {
        const lines = [...Object.values(errors.byQuestion).flat(), ...errors.other];
        setNotice(`An earlier answer was not accepted: ${lines.join(" ")}`);
      }
      return;
    }
    deleteDraft(store, entry.assignmentId);
    if (delivery.type === "rejected") {
      setNotice(delivery.message ?? `The server refused this ${entry.action} (HTTP ${delivery.status}).`);
    }
    if (entry.projectId === projectId) {
      setFinished((done) => new Set(done).add(entry.assignmentId));
      void next.refetch();
    }
  };
  const outbox = useOutbox(onDelivered);

  useEffect(() => {
    purgeDrafts(store, Date.now());
  }, [store]);

  const enqueue = (assignmentId: number, action: OutboxEntry["action"], body: SubmitRequest | null) => {
    setRejection(null);
    setNotice(null);
    outbox.enqueue({ assignmentId, projectId, action, body, queuedAt: Date.now(), attempts: 0, lastError: null });
  };

  const entry = current ? outbox.entries.find((queued) => queued.assignmentId === current.assignment.id) : undefined;
  const advancing = current !== null && (finished.has(current.assignment.id) || entry !== undefined);
  const showLoading = useDelayedFlag(advancing || (next.isFetching && current !== null), LOADING_DELAY_MS);
  const status = <OutboxStatus entries={outbox.entries} onRetry={outbox.retryNow} />;
  const noticeAlert = notice && (
    <Alert color="yellow" withCloseButton onClose={() => setNotice(null)} role="alert">
      {notice}
    </Alert>
  );

  if (next.isPending) {
    return <PageLoader label="Loading the next item" />;
  }
  if (next.isError && (current === null || !next.isFetching)) {
    if (isApiError(next.error, 404)) {
      return <QueryError error={next.error} title="Project not found" />;
    }
    return <QueryError error={next.error} title="Could not load the next item" onRetry={() => void next.refetch()} />;
  }
  if (current === null) {
    return (
      <Stack gap="sm">
        {noticeAlert}
        <Group>{status}</Group>
        <DoneState projectId={projectId} checking={next.isFetching} onCheckAgain={() => void next.refetch()} />
      </Stack>
    );
  }
  if (entry && entry.attempts > 0) {
    return (
      <Stack gap="sm">
        <Group>{status}</Group>
        <WaitingState lastError={entry.lastError} onRetry={outbox.retryNow} />
      </Stack>
    );
  }
  const assignmentId = current.assignment.id;
  return (
    <Stack gap="sm">
      {noticeAlert}
      <LabelingWorkspace
        key={assignmentId}
        next={current}
        busy={advancing}
        loading={showLoading}
        errors={rejection?.assignmentId === assignmentId ? rejection.errors : null}
        outboxStatus={status}
        onSubmit={(body) => enqueue(assignmentId, "submit", body)}
        onSkip={() => enqueue(assignmentId, "skip", null)}
      />
    </Stack>
  );
}
