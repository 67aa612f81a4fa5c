import { useCallback, useEffect, useEffectEvent, useMemo, useState } from "react";
import type { NextItem } from "@/api/types";
import type { ItemContext } from "../utils/answers";
import { loadDraft, restoreAnswers, saveDraft } from "../utils/drafts";
import { createSession, type Session } from "../utils/session";
import { browserStore } from "../utils/storage";
import { useItemClock } from "./use-item-clock";

/**
 * Answers, focus and clock for one assignment. Starts from the assignment's saved draft (a reload
 * hands back the same assignment) and saves the draft on every change and when the page hides.
 * Mount it once per assignment (key by assignment id).
 */
export function useLabelingSession(next: NextItem) {
  const assignmentId = next.assignment.id;
  const [store] = useState(browserStore);
  const ctx = useMemo<ItemContext>(
    () => ({ candidateIds: next.candidates.map((candidate) => candidate.id), itemRubric: next.item.rubric }),
    [next],
  );
  const [draft] = useState(() => loadDraft(store, assignmentId));
  const [session, setSession] = useState<Session>(() =>
    createSession(restoreAnswers(next.questions, ctx, draft?.answers ?? null)),
  );
  const clock = useItemClock(draft?.elapsedMs ?? 0);

  const save = useEffectEvent(() => {
    saveDraft(store, assignmentId, {
      answers: session.answers,
      elapsedMs: clock.elapsed(Date.now()),
      expiresAt: next.assignment.expires_at,
      savedAt: Date.now(),
    });
  });

  useEffect(() => {
    save();
  }, [session.answers]);

  useEffect(() => {
    const onHide = () => {
      if (document.visibilityState === "hidden") {
        save();
      }
    };
    const onPageHide = () => save();
    document.addEventListener("visibilitychange", onHide);
    window.addEventListener("pagehide", onPageHide);
    return () => {
      document.removeEventListener("visibilitychange", onHide);
      window.removeEventListener("pagehide", onPageHide);
    };
  }, []);

  const update = useCallback((change: (current: Session) => Session) => setSession(change), []);

  return { ctx, session, update, clock };
}
