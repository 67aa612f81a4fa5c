import { Alert, Badge, Code, Group, List, Paper, SimpleGrid, Stack, Switch, Text, Textarea, TextInput } from "@mantine/core";
import { memo } from "react";
import type { Question } from "@/api/types";
import { errorAt, type ErrorMap } from "../utils/error-map";
import { cardLevelErrors } from "../utils/card-errors";
import { kindLabel } from "../utils/question-kinds";
import { RatingFields } from "./rating-fields";
import { RowControls } from "./row-controls";
import { RubricFields } from "./rubric-fields";
import { LabelsFields, PairwiseFields, RankingFields, TextFields } from "./simple-kind-fields";

/** List operations by position; stable across renders so unchanged cards can skip re-rendering. */
export interface QuestionHandlers {
  change: (index: number, question: Question) => void;
  move: (from: number, to: number) => void;
  remove: (index: number) => void;
}

interface QuestionCardProps {
  question: Question;
  index: number;
  count: number;
  handlers: QuestionHandlers;
  /** Errors relative to this question. */
  errors: ErrorMap;
  readOnly: boolean;
}

interface KindFieldsProps {
  question: Question;
  onChange: (question: Question) => void;
  errors: ErrorMap;
  readOnly: boolean;
}

function KindFields({ question, onChange, errors, readOnly }: KindFieldsProps) {
  const props = { errors, readOnly };
  switch (question.kind) {
    case "pairwise":
      return <PairwiseFields question={question} onChange={onChange} {...props} />;
    case "ranking":
      return <RankingFields question={question} onChange={onChange} {...props} />;
    case "rating":
      return <RatingFields question={question} onChange={onChange} {...props} />;
    case "rubric":
      return <RubricFields question={question} onChange={onChange} {...props} />;
    case "labels":
      return <LabelsFields question={question} onChange={onChange} {...props} />;
    case "text":
      return <TextFields question={question} onChange={onChange} {...props} />;
  }
}

function sameErrors(a: ErrorMap, b: ErrorMap): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export const QuestionCard = memo(
  QuestionCardView,
  (before, after) =>
    before.question === after.question &&
    before.index === after.index &&
    before.count === after.count &&
    before.handlers === after.handlers &&
    before.readOnly === after.readOnly &&
    sameErrors(before.errors, after.errors),
);

function QuestionCardView({ question, index, count, handlers, errors, readOnly }: QuestionCardProps) {
  const onChange = (next: Question) => handlers.change(index, next);
  const onMove = (to: number) => handlers.move(index, to);
  const onRemove = () => handlers.remove(index);
  const title = `Question ${index + 1}`;
  const general = cardLevelErrors(question.kind, errors);
  return (
    <Paper withBorder p="md" role="group" aria-label={title} data-testid="question-card">
      <Stack gap="sm">
        <Group justify="space-between" wrap="nowrap">
          <Group gap="xs">
            <Text fw={600}>{title}</Text>
            <Badge variant="outline">{kindLabel(question.kind)}</Badge>
            {question.id && <Code>{question.id}</Code>}
          </Group>
          {!readOnly && (
            <RowControls
              name={`question ${index + 1}`}
              index={index}
              count={count}
              onMove={onMove}
              onRemove={onRemove}
            />
          )}
        </Group>
        {general.length > 0 && (
          <Alert color="red" p="xs" data-testid="question-errors">
            <List size="sm">
              {general.map((line) => (
                <List.Item key={line}>{line}</List.Item>
              ))}
            </List>
          </Alert>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label="Question ID"
            description="Names the answer in exports; letters, digits, _ . -"
            value={question.id}
            onChange={(event) => onChange({ ...question, id: event.currentTarget.value })}
            error={errorAt(errors, "id")}
            readOnly={readOnly}
          />
          <Switch
            label="Required"
            description="Annotators must answer before submitting"
            mt="lg"
            checked={question.required}
            onChange={(event) => onChange({ ...question, required: event.currentTarget.checked })}
            error={errorAt(errors, "required")}
            disabled={readOnly}
          />
        </SimpleGrid>
        <TextInput
          label="Prompt"
          description="The question as annotators read it"
          value={question.prompt}
          onChange={(event) => onChange({ ...question, prompt: event.currentTarget.value })}
          error={errorAt(errors, "prompt")}
          readOnly={readOnly}
        />
        <Textarea
          label="Help"
          description="Optional Markdown shown next to the question"
          autosize
          minRows={1}
          maxRows={6}
          value={question.help}
          onChange={(event) => onChange({ ...question, help: event.currentTarget.value })}
          error={errorAt(errors, "help")}
          readOnly={readOnly}
        />
        <KindFields question={question} onChange={onChange} errors={errors} readOnly={readOnly} />
      </Stack>
    </Paper>
  );
}
