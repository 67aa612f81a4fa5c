import { Alert, Box, Grid, LoadingOverlay, Stack, Text } from "@mantine/core";
import { useEffect, useEffectEvent, useLayoutEffect, useRef, useState, type ReactNode } from "react";
import type { NextItem, SubmitRequest } from "@/api/types";
import { useSuggestions } from "../api/get-suggestions";
import { useLabelingSession } from "../hooks/use-labeling-session";
import { blockingQuestions, buildAnswers } from "../utils/answers";
import { keyInputFromEvent, QUESTION_ATTR } from "../utils/key-input";
import { reduceKey } from "../utils/keyboard";
import type { AnswerErrors } from "../utils/server-errors";
import { activate, moveActive, setAnswer, setRow } from "../utils/session";
import { suggestionLines } from "../utils/suggestions";
import { CandidatesView } from "./candidates-view";
import { ItemDetails } from "./item-details";
import { GuidelinesDrawer, ShortcutsModal } from "./labeling-dialogs";
import { LabelingHeader } from "./labeling-header";
import { PromptView } from "./prompt-view";
import { QuestionList } from "./questions/question-list";

interface LabelingWorkspaceProps {
  next: NextItem;
  /** The answer is on its way (or the next item is loading): nothing can change. */
  busy: boolean;
  /** Shown over the item when the next one takes a while. */
  loading: boolean;
  errors: AnswerErrors | null;
  outboxStatus: ReactNode;
  onSubmit: (body: SubmitRequest) => void;
  onSkip: () => void;
}

const NO_ERRORS: Record<string, string[]> = {};

/** One assignment on screen: prompt, responses, questions and the keyboard. Key it by assignment id. */
export function LabelingWorkspace(props: LabelingWorkspaceProps) {
  const { next, busy, loading, errors, outboxStatus, onSubmit, onSkip } = props;
  const { ctx, session, update, clock } = useLabelingSession(next);
  const [showDiff, setShowDiff] = useState(false);
  const [guidelinesOpen, setGuidelinesOpen] = useState(false);
  const [helpOpen, setHelpOpen] = useState(false);
  const [triedSubmit, setTriedSubmit] = useState(false);
  const questions = next.questions;
  // Keys can arrive faster than React re-renders (a fast typist, key repeat): each key must build
  // on the previous key's result, not on the session of the last render.
  const latest = useRef(session);
  useLayoutEffect(() => {
    latest.current = session;
  }, [session]);
  const blocking = blockingQuestions(questions, session.answers, ctx);
  const blinded = next.candidates.every((candidate) => candidate.model === null);
  // Shown beside the questions only; answers are never filled in from them.
  const suggestions = useSuggestions(next.assignment.id, !blinded);
  const suggested = suggestionLines(suggestions.data, next);

  const submit = () => {
    if (busy) {
      return;
    }
    const current = latest.current;
    const [first] = blockingQuestions(questions, current.answers, ctx);
    if (first !== undefined) {
      setTriedSubmit(true);
      update((state) => moveActive(state, questions, first));
      return;
    }
    onSubmit({ answers: buildAnswers(questions, current.answers, ctx), time_spent_ms: clock.elapsed(Date.now()) });
  };

  const onKeyDown = useEffectEvent((event: KeyboardEvent) => {
    if (busy || guidelinesOpen || helpOpen) {
      return;
    }
    const input = keyInputFromEvent(event);
    const current = latest.current;
    const outcome = input && reduceKey(current, questions, ctx, input);
    if (!outcome) {
      return;
    }
    event.preventDefault();
    if (outcome.session !== current) {
      latest.current = outcome.session;
      update(() => outcome.session);
    }
    switch (outcome.command) {
      case "submit":
        submit();
        break;
      case "skip":
        onSkip();
        break;
      case "guidelines":
        setGuidelinesOpen(true);
        break;
      case "help":
        setHelpOpen(true);
        break;
      case "diff":
        setShowDiff((shown) => !shown);
        break;
      case "leave-text": {
        const field = document.activeElement instanceof HTMLElement ? document.activeElement : null;
        field?.closest<HTMLElement>(`[${QUESTION_ATTR}]`)?.focus();
        break;
      }
      case null:
        break;
    }
  });

  useEffect(() => {
    const listener = (event: KeyboardEvent) => onKeyDown(event);
    window.addEventListener("keydown", listener);
    return () => window.removeEventListener("keydown", listener);
  }, []);

  return (
    <Stack gap="sm">
      <LabelingHeader
        progress={next.progress}
        clock={clock}
        outboxStatus={outboxStatus}
        canSubmit={blocking.length === 0}
        busy={busy}
        onSubmit={submit}
        onSkip={onSkip}
        onGuidelines={() => setGuidelinesOpen(true)}
        onHelp={() => setHelpOpen(true)}
      />
      {errors && errors.other.length > 0 && (
        <Alert color="red" title="Your answer was not saved" role="alert">
          {errors.other.map((line) => (
            <Text key={line} size="sm">
              {line}
            </Text>
          ))}
        </Alert>
      )}
      <Box pos="relative">
        <LoadingOverlay
          visible={loading}
          zIndex={4}
          overlayProps={{ blur: 1 }}
          loaderProps={{ "aria-label": "Loading the next item" }}
        />
        <Grid gutter="sm">
          <Grid.Col span={{ base: 12, xl: 8 }}>
            <Stack gap="sm">
              {!blinded && <ItemDetails item={next.item} />}
              <PromptView prompt={next.item.prompt} />
              <CandidatesView
                candidates={next.candidates}
                showDiff={showDiff}
                onToggleDiff={() => setShowDiff((shown) => !shown)}
              />
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, xl: 4 }}>
            <Stack gap="xs">
              {triedSubmit && blocking.length > 0 && (
                <Text size="sm" c="orange" role="status">
                  Answer the highlighted question before submitting.
                </Text>
              )}
              <QuestionList
                next={next}
                ctx={ctx}
                session={session}
                disabled={busy}
                errors={errors?.byQuestion ?? NO_ERRORS}
                suggestions={suggested}
                onAnswer={(id, state) => update((current) => setAnswer(current, id, state))}
                onActivate={(index) => update((current) => activate(current, index))}
                onRow={(index, row) => update((current) => setRow(current, questions, ctx, index, row))}
              />
            </Stack>
          </Grid.Col>
        </Grid>
      </Box>
      <GuidelinesDrawer opened={guidelinesOpen} source={next.guidelines} onClose={() => setGuidelinesOpen(false)} />
      <ShortcutsModal opened={helpOpen} onClose={() => setHelpOpen(false)} />
    </Stack>
  );
}
