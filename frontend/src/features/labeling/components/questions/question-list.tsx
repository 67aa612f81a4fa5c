import { Stack } from "@mantine/core";
import type { NextItem, Question } from "@/api/types";
import { bindAnswer, type AnswerState, type ItemContext } from "../../utils/answers";
import { focusOf, type Session } from "../../utils/session";
import { LabelsWidget } from "./labels-widget";
import { PairwiseWidget } from "./pairwise-widget";
import { QuestionCard } from "./question-card";
import { RankingWidget } from "./ranking-widget";
import { RatingWidget } from "./rating-widget";
import { RubricWidget } from "./rubric-widget";
import { TextWidget } from "./text-widget";

interface QuestionListProps {
  next: NextItem;
  ctx: ItemContext;
  session: Session;
  disabled: boolean;
  errors: Record<string, string[]>;
  /** Judges' suggestions by question id. */
  suggestions: Record<string, string[]>;
  onAnswer: (questionId: string, state: AnswerState) => void;
  onActivate: (index: number) => void;
  onRow: (index: number, row: number) => void;
}

function Widget({ question, index, props }: { question: Question; index: number; props: QuestionListProps }) {
  const { session, ctx, disabled, next } = props;
  const state = bindAnswer(question, session.answers[question.id], ctx).state;
  const common = {
    ctx,
    disabled,
    focus: focusOf(session, question.id),
    active: session.active === index,
    onChange: (value: AnswerState) => props.onAnswer(question.id, value),
    onRow: (row: number) => props.onRow(index, row),
  };
  switch (question.kind) {
    case "pairwise":
      return state.kind === "pairwise" ? <PairwiseWidget {...common} question={question} state={state} /> : null;
    case "ranking": {
      const texts = Object.fromEntries(next.candidates.map((candidate) => [candidate.id, candidate.text]));
      return state.kind === "ranking" ? (
        <RankingWidget {...common} question={question} state={state} texts={texts} />
      ) : null;
    }
    case "rating":
      return state.kind === "rating" ? <RatingWidget {...common} question={question} state={state} /> : null;
    case "rubric":
      return state.kind === "rubric" ? <RubricWidget {...common} question={question} state={state} /> : null;
    case "labels":
      return state.kind === "labels" ? <LabelsWidget {...common} question={question} state={state} /> : null;
    case "text":
      return state.kind === "text" ? (
        <TextWidget {...common} question={question} state={state} label={question.prompt || question.id} />
      ) : null;
  }
}

/** The project's questions in order, each in a card with its kind's widget. */
export function QuestionList(props: QuestionListProps) {
  const { next, ctx, session, errors, suggestions, onActivate } = props;
  return (
    <Stack gap="sm" component="section" aria-label="Questions">
      {next.questions.map((question, index) => (
        <QuestionCard
          key={question.id}
          question={question}
          index={index}
          active={session.active === index}
          status={bindAnswer(question, session.answers[question.id], ctx).status()}
          focusTick={session.focusTick}
          errors={errors[question.id]}
          suggestions={suggestions[question.id]}
          onActivate={() => onActivate(index)}
        >
          <Widget question={question} index={index} props={props} />
        </QuestionCard>
      ))}
    </Stack>
  );
}
