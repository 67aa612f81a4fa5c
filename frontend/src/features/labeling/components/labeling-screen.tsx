import { Alert, Group, Stack } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { isApiError } from "@/api/client";
import type { NextItem, SubmitRequest } from "@/api/types";
import { PageLoader, QueryError } from "@/components/ui/query-state";
import { usePageTitle } from "@/components/ui/use-page-title";
import { useAheadItem, useNextItem } from "../api/get-next-item";
import { useSuggestions } from "../api/get-suggestions";
import { labelingKeys } from "../api/keys";
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
 * The labeling screen for one project. Submits and skips go through the outbox. While an item is
 * on screen the one after it is fetched ahead; a submit or skip moves to it at once, without
 * waiting for the server. Without it, the next item is requested once the server has the answer.
 * An assignment whose answer is on its way is never shown for editing again, unless the server
 * refuses the answer as invalid (400): then it comes back, with its draft, to be fixed.
 */
export function LabelingScreen({ projectId }: { projectId: number }) {
  usePageTitle("Labeling");
  const queryClient = useQueryClient();
  const next = useNextItem(projectId);
  const [store] = useState(browserStore);
  /** Assignments this page has finished (stored, skipped, or refused for good). */
  const [finished, setFinished] = useState<ReadonlySet<number>>(() => new Set());
  const [rejection, setRejection] = useState<Rejection | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  /** Items moved away from before the server had their answer, by assignment id: a 400 brings one back. */
  const left = useRef(new Map<number, NextItem>());
  const current = next.data ?? null;
  const currentId = current?.assignment.id ?? null;
  const nextKey = labelingKeys.next(projectId);

  const onDelivered = (entry: OutboxEntry, delivery: FinalDelivery) => {
    const onScreen = queryClient.getQueryData<NextItem | null>(nextKey) ?? null;
    const isCurrent = entry.assignmentId === onScreen?.assignment.id;
    const leftItem = left.current.get(entry.assignmentId);
    left.current.delete(entry.assignmentId);
    const item = isCurrent ? onScreen : (leftItem ?? null);
    if (delivery.type === "rejected" && delivery.status === 400) {
      // Still this person's assignment: they fix the answer, which stays in its draft.
      const errors = parseAnswerErrors(
        delivery.body,
        item ? item.candidates.map((candidate) => candidate.id) : [],
        item ? item.questions.map((question) => question.id) : [],
      );
      if (item && entry.projectId === projectId) {
        if (!isCurrent) {
          // Back to the refused item; the one shown meanwhile keeps its draft and comes back after.
          queryClient.setQueryData<NextItem | null>(nextKey, item);
        }
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
    if (entry.projectId !== projectId) {
      return;
    }
    setFinished((done) => new Set(done).add(entry.assignmentId));
    if (isCurrent || onScreen === null) {
      if (isCurrent && queryClient.getQueryData(labelingKeys.ahead(projectId, entry.assignmentId)) === null) {
        // Nothing was left behind it: say so now, and check whether an item was released meanwhile.
        queryClient.setQueryData<NextItem | null>(nextKey, null);
      }
      void next.refetch();
    }
  };
  const outbox = useOutbox(onDelivered);

  // `next?after=` while answers for other items of this project are still on their way would
  // hand back one of those, which the server still counts as held: wait until they are through.
  const othersPending = outbox.entries.some(
    (queued) => queued.projectId === projectId && queued.assignmentId !== currentId,
  );
  const ahead = useAheadItem(projectId, currentId, !othersPending);
  // The item fetched ahead gets its suggestions fetched ahead too, so they show with it.
  const aheadItem = ahead.data ?? null;
  useSuggestions(
    aheadItem?.assignment.id ?? null,
    aheadItem !== null && aheadItem.candidates.some((candidate) => candidate.model !== null),
  );

  useEffect(() => {
    purgeDrafts(store, Date.now());
  }, [store]);

  const enqueue = (assignmentId: number, action: OutboxEntry["action"], body: SubmitRequest | null) => {
    setRejection(null);
    setNotice(null);
    outbox.enqueue({ assignmentId, projectId, action, body, queuedAt: Date.now(), attempts: 0, lastError: null });
    const following = queryClient.getQueryData<NextItem | null>(labelingKeys.ahead(projectId, assignmentId));
    const usable =
      following &&
      following.assignment.id !== assignmentId &&
      !finished.has(following.assignment.id) &&
      !outbox.entries.some((queued) => queued.assignmentId === following.assignment.id);
    if (current && usable) {
      // Move on at once; the answer is in the outbox and this item is kept in case of a 400.
      left.current.set(assignmentId, current);
      // The item ahead was fetched before this answer: count it, so progress never goes back.
      const counted = current.progress.submitted_by_me + (action === "submit" ? 1 : 0);
      const progress = {
        ...following.progress,
        submitted_by_me: Math.max(following.progress.submitted_by_me, counted),
      };
      const moved: NextItem = { ...following, progress };
      queryClient.setQueryData<NextItem | null>(nextKey, moved);
    }
    // Otherwise the item stays, frozen, until the server has the answer (as without fetching ahead).
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
