import { Badge, Blockquote, Code, Group, List, Stack, Table, Text } from "@mantine/core";
import type { ReactNode } from "react";
import { isRecord } from "@/api/client";
import type { ItemCriterion, Question } from "@/api/types";
import {
  readLabels,
  readPairwise,
  readRanking,
  readRating,
  readRubric,
  readText,
  rubricCriteria,
} from "../utils/answers";

export interface AnswersViewProps {
  questions: readonly Question[];
  answers: unknown;
  /** Candidate ids in the order to show them (e.g. the order the annotator saw). */
  candidateIds: readonly string[];
  /** How to name a candidate, e.g. "A" or "A · model-x". */
  candidateName: (id: string) => string;
  /** The item's own rubric criteria, for rubric questions that use them. */
  itemRubric?: ItemCriterion[];
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2).replace(/\.?0+$/, "");
}

function RawValue({ value }: { value: unknown }) {
  return (
    <Code block data-testid="raw-answer">
      {JSON.stringify(value, null, 2)}
    </Code>
  );
}

function targetName(target: string, candidateName: (id: string) => string): string {
  return target === "item" ? "Whole item" : candidateName(target);
}

/** Candidates first in the given order, then any other targets the answer names. */
function orderedTargets(given: Record<string, unknown>, candidateIds: readonly string[]): string[] {
  const known = candidateIds.filter((id) => id in given);
  const rest = Object.keys(given).filter((id) => !candidateIds.includes(id));
  return [...known, ...rest];
}

function AnswerBody({
  question,
  value,
  candidateIds,
  candidateName,
  itemRubric,
}: { question: Question; value: unknown } & Omit<AnswersViewProps, "questions" | "answers">): ReactNode {
  switch (question.kind) {
    case "pairwise": {
      const answer = readPairwise(value);
      if (!answer) return <RawValue value={value} />;
      const strength = answer.strength !== undefined ? question.strength?.[answer.strength] : undefined;
      return (
        <Group gap="xs">
          <Text fw={600}>{answer.winner === "tie" ? "Tie" : `${candidateName(answer.winner)} is better`}</Text>
          {strength && <Badge variant="light">{strength}</Badge>}
          {answer.bothBad && <Badge color="red" variant="light">both bad</Badge>}
        </Group>
      );
    }
    case "ranking": {
      const answer = readRanking(value);
      if (!answer) return <RawValue value={value} />;
      return (
        <List type="ordered" size="sm">
          {answer.order.map((group) => (
            <List.Item key={group.join("|")}>{group.map(candidateName).join(" = ")}</List.Item>
          ))}
        </List>
      );
    }
    case "rating": {
      const answer = readRating(value);
      if (!answer) return <RawValue value={value} />;
      const targets = orderedTargets(answer.scores, candidateIds);
      return (
        <Table.ScrollContainer minWidth={200}>
          <Table withTableBorder withColumnBorders verticalSpacing={4} fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Dimension</Table.Th>
                {targets.map((target) => (
                  <Table.Th key={target}>{targetName(target, candidateName)}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {question.dimensions.map((dimension) => (
                <Table.Tr key={dimension.id}>
                  <Table.Td>{dimension.label || dimension.id}</Table.Td>
                  {targets.map((target) => {
                    const score = answer.scores[target]?.[dimension.id];
                    const name = score === undefined ? undefined : dimension.labels?.[String(score)];
                    return (
                      <Table.Td key={target}>
                        {score === undefined ? "—" : `${formatNumber(score)} / ${formatNumber(dimension.max)}`}
                        {name && (
                          <Text span size="xs" c="dimmed">
                            {" "}
                            ({name})
                          </Text>
                        )}
                      </Table.Td>
                    );
                  })}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      );
    }
    case "rubric": {
      const answer = readRubric(value);
      if (!answer) return <RawValue value={value} />;
      const criteria = rubricCriteria(question, itemRubric ?? []);
      const targets = orderedTargets(answer.criteria, candidateIds);
      const maxTotal = criteria.reduce((total, criterion) => total + (criterion.points ?? 1), 0);
      const totalFor = (target: string) => {
        const stored = answer.totals?.[target];
        if (stored !== undefined) return stored;
        // Older answers may lack derived totals; compute them the way the server does.
        return criteria.reduce((total, criterion) => {
          const levels = criterion.levels ?? ["fail", "pass"];
          const level = levels.indexOf(answer.criteria[target]?.[criterion.id] ?? "");
          return level < 0 ? total : total + ((criterion.points ?? 1) * level) / (levels.length - 1);
        }, 0);
      };
      return (
        <Table.ScrollContainer minWidth={200}>
          <Table withTableBorder withColumnBorders verticalSpacing={4} fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Criterion</Table.Th>
                {targets.map((target) => (
                  <Table.Th key={target}>{targetName(target, candidateName)}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {criteria.map((criterion) => (
                <Table.Tr key={criterion.id}>
                  <Table.Td>
                    {criterion.text}{" "}
                    <Text span size="xs" c="dimmed">
                      ({formatNumber(criterion.points ?? 1)} pt)
                    </Text>
                  </Table.Td>
                  {targets.map((target) => (
                    <Table.Td key={target}>{answer.criteria[target]?.[criterion.id] ?? "—"}</Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
            <Table.Tfoot>
              <Table.Tr>
                <Table.Th>Total</Table.Th>
                {targets.map((target) => (
                  <Table.Th key={target}>
                    {formatNumber(totalFor(target))} / {formatNumber(maxTotal)}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Tfoot>
          </Table>
        </Table.ScrollContainer>
      );
    }
    case "labels": {
      const answer = readLabels(value);
      if (!answer) return <RawValue value={value} />;
      const targets = orderedTargets(answer.labels, candidateIds);
      return (
        <Stack gap={4}>
          {targets.map((target) => {
            const labels = answer.labels[target] ?? [];
            return (
              <Group key={target} gap="xs">
                <Text size="sm" fw={500}>
                  {targetName(target, candidateName)}:
                </Text>
                {labels.length === 0 ? (
                  <Text size="sm" c="dimmed">
                    none
                  </Text>
                ) : (
                  labels.map((label) => (
                    <Badge key={label} variant="light" color="orange" style={{ textTransform: "none" }}>
                      {label}
                    </Badge>
                  ))
                )}
              </Group>
            );
          })}
        </Stack>
      );
    }
    case "text": {
      const answer = readText(value);
      if (!answer) return <RawValue value={value} />;
      return answer.text.trim() ? (
        <Blockquote p="xs" style={{ whiteSpace: "pre-wrap" }}>
          {answer.text}
        </Blockquote>
      ) : (
        <Text size="sm" c="dimmed">
          (empty)
        </Text>
      );
    }
  }
}

/** An annotation's answers rendered per question kind: who won, ratings, ranking, rubric levels, labels, text. */
export function AnswersView({ questions, answers, ...rest }: AnswersViewProps) {
  if (!isRecord(answers)) {
    return <RawValue value={answers} />;
  }
  const unknown = Object.keys(answers).filter((id) => !questions.some((question) => question.id === id));
  return (
    <Stack gap="sm">
      {questions.map((question) => (
        <div key={question.id} data-testid="answer" data-question={question.id}>
          <Text size="sm" fw={600} mb={4}>
            {question.prompt || question.id}{" "}
            <Text span size="xs" c="dimmed">
              ({question.id})
            </Text>
          </Text>
          {answers[question.id] === undefined ? (
            <Text size="sm" c="dimmed">
              Not answered
            </Text>
          ) : (
            <AnswerBody question={question} value={answers[question.id]} {...rest} />
          )}
        </div>
      ))}
      {unknown.length > 0 && (
        <div data-testid="answer">
          <Text size="sm" fw={600} mb={4}>
            Answers to questions no longer in the project
          </Text>
          <RawValue value={Object.fromEntries(unknown.map((id) => [id, answers[id]]))} />
        </div>
      )}
    </Stack>
  );
}
