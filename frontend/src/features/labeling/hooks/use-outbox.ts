import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useEffectEvent, useRef, useState } from "react";
import { isApiError } from "@/api/client";
import { ME_QUERY_KEY } from "@/lib/query-client";
import { serverStatus } from "@/lib/server-status";
import { skipAssignment } from "../api/skip-assignment";
import { submitAssignment } from "../api/submit-assignment";
import { Outbox, OUTBOX_PREFIX, type OutboxEntry } from "../utils/outbox";
import { OutboxQueue, type FinalDelivery } from "../utils/outbox-queue";
import { browserStore } from "../utils/storage";

function send(entry: OutboxEntry, signal: AbortSignal): Promise<unknown> {
  if (entry.action === "skip") {
    return skipAssignment(entry.assignmentId, signal);
  }
  return submitAssignment(entry.assignmentId, entry.body ?? { answers: {}, time_spent_ms: 0 }, signal);
}

/**
 * The page's outbox: queued submits and skips, sent at once and retried with backoff, on the
 * browser's `online` event, when the server is back after an outage, and on the next page load. `entries` mirrors what is stored.
 */
export function useOutbox(onDelivered: (entry: OutboxEntry, delivery: FinalDelivery) => void) {
  const queryClient = useQueryClient();
  const [outbox] = useState(() => new Outbox(browserStore()));
  const [entries, setEntries] = useState<OutboxEntry[]>(() => outbox.list());
  const queue = useRef<OutboxQueue | null>(null);

  const delivered = useEffectEvent(onDelivered);
  const sendEntry = useEffectEvent(async (entry: OutboxEntry, signal: AbortSignal) => {
    try {
      return await send(entry, signal);
    } catch (error) {
      // The answer stays queued; re-checking the session sends the person to sign in if it expired.
      if (isApiError(error, 401) || isApiError(error, 403)) {
        void queryClient.invalidateQueries({ queryKey: ME_QUERY_KEY });
      }
      throw error;
    }
  });

  useEffect(() => {
    const current = new OutboxQueue({
      outbox,
      send: (entry, signal) => sendEntry(entry, signal),
      onChange: setEntries,
      onDelivered: (entry, delivery) => delivered(entry, delivery),
    });
    queue.current = current;
    void current.flush();
    const onOnline = () => void current.retryNow();
    const stopWatching = serverStatus.onBack(onOnline);
    const onStorage = (event: StorageEvent) => {
      if (event.key === null || event.key.startsWith(OUTBOX_PREFIX)) {
        setEntries(current.entries());
      }
    };
    window.addEventListener("online", onOnline);
    window.addEventListener("storage", onStorage);
    return () => {
      current.dispose();
      queue.current = null;
      stopWatching();
      window.removeEventListener("online", onOnline);
      window.removeEventListener("storage", onStorage);
    };
  }, [outbox]);

  const enqueue = useCallback((entry: OutboxEntry) => {
    void queue.current?.enqueue(entry);
  }, []);
  const retryNow = useCallback(() => {
    void queue.current?.retryNow();
  }, []);

  return { entries, enqueue, retryNow };
}
