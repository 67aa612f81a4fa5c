import { Alert, Badge, Group, Paper, Stack, Text } from "@mantine/core";
import { useEffect, useRef, type MouseEvent, type ReactNode } from "react";
import type { Question } from "@/api/types";
import type { AnswerStatus } from "../../utils/answers";
import { QUESTION_ATTR } from "../../utils/key-input";
import { MarkdownText } from "../markdown-text";

interface QuestionCardProps {
  question: Question;
  index: number;
  active: boolean;
  status: AnswerStatus;
  /** Changes whenever the keyboard moves between questions; the active card then takes focus. */
  focusTick: number;
  errors: string[] | undefined;
  /** Judges' suggestions for this question, as sentences ("Judge X suggests A is better (82%)"). */
  suggestions?: readonly string[];
  onActivate: () => void;
  children: ReactNode;
}

const STATUS_BADGE: Record<AnswerStatus, { label: string; color: string } | null> = {
  complete: { label: "answered", color: "teal" },
  partial: { label: "incomplete", color: "orange" },
  empty: null,
};

/**
 * One question: its prompt, help, widget and any server errors. The card itself is the focus
 * stop (Tab and j/k move between cards); its controls are clicked or driven by shortcuts.
 */
export function QuestionCard(props: QuestionCardProps) {
  const { question, index, active, status, focusTick, errors, suggestions, onActivate, children } = props;
  const ref = useRef<HTMLDivElement>(null);
  const titleId = `question-title-${question.id}`;

  useEffect(() => {
    const card = ref.current;
    if (!active || focusTick === 0 || !card) {
      return;
    }
    // A text question takes the keyboard straight into its field.
    const target = card.querySelector<HTMLElement>("textarea") ?? card;
    target.focus({ preventScroll: true });
    card.scrollIntoView({ block: "nearest" });
  }, [active, focusTick]);

  const onMouseDown = (event: MouseEvent<HTMLDivElement>) => {
    onActivate();
    const target = event.target instanceof Element ? event.target : null;
    if (target?.closest("textarea, input")) {
      return;
    }
    // Keep focus on the card, not the clicked control, so Enter still submits afterwards.
    if (target?.closest("button")) {
      event.preventDefault();
    }
    ref.current?.focus({ preventScroll: true });
  };

  const badge = STATUS_BADGE[status];
  return (
    <Paper
      ref={ref}
      withBorder
      p="sm"
      tabIndex={0}
      role="group"
      aria-labelledby={titleId}
      aria-current={active ? "step" : undefined}
      data-testid={`question-${question.id}`}
      {...{ [QUESTION_ATTR]: question.id }}
      data-active={active || undefined}
      onMouseDown={onMouseDown}
      onFocus={onActivate}
      style={{
        borderColor: active ? "var(--mantine-primary-color-filled)" : undefined,
        boxShadow: active ? "0 0 0 1px var(--mantine-primary-color-filled)" : undefined,
        scrollMarginTop: 120,
      }}
    >
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Text fw={600} id={titleId}>
            {index + 1}. {question.prompt || question.id}
          </Text>
          <Group gap={4} wrap="nowrap">
            {!question.required && (
              <Badge size="xs" variant="outline" color="gray">
                optional
              </Badge>
            )}
            {badge && (
              <Badge size="xs" variant="light" color={badge.color}>
                {badge.label}
              </Badge>
            )}
          </Group>
        </Group>
        {question.help && (
          <Text component="div" size="sm" c="dimmed">
            <MarkdownText source={question.help} />
          </Text>
        )}
        {suggestions && suggestions.length > 0 && (
          <Stack gap={2} data-testid="suggestions">
            {suggestions.map((line) => (
              <Text key={line} size="sm" c="grape" data-testid="suggestion">
                {line}
              </Text>
            ))}
          </Stack>
        )}
        {children}
        {errors && errors.length > 0 && (
          <Alert color="red" p="xs" role="alert" title="Not saved">
            <Stack gap={2}>
              {errors.map((line) => (
                <Text key={line} size="sm">
                  {line}
                </Text>
              ))}
            </Stack>
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}
