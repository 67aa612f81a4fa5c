import { Alert, Button, Group, JsonInput, List, Menu, Stack, Tabs, Text } from "@mantine/core";
import { useLayoutEffect, useMemo, useRef, useState } from "react";
import type { Question } from "@/api/types";
import { errorMapFromServer, errorsUnder, mergeErrors, type ErrorMap } from "../utils/error-map";
import { moveItem, removeAt, replaceAt } from "../utils/list";
import { QUESTION_KINDS, newQuestion } from "../utils/question-kinds";
import { parseQuestionsJson, questionsToJson } from "../utils/questions-json";
import { validateQuestions } from "../utils/validate-questions";
import { QuestionCard, type QuestionHandlers } from "./question-card";

/** What the server said about `questions` on the last save, with the list that was sent. */
export interface QuestionsServerErrors {
  sent: readonly Question[];
  /** The `questions` value of a DRF 400 body. */
  errors: unknown;
}

/**
 * Server errors are keyed by position in the list that was sent. A question's
 * errors stay up until that question is edited (or moved); list-level ones
 * until the list changes at all.
 */
function currentServerErrors(value: readonly Question[], server: QuestionsServerErrors | null | undefined): ErrorMap {
  if (!server) {
    return {};
  }
  const all = errorMapFromServer(server.errors);
  const shown: ErrorMap = {};
  for (const [path, messages] of Object.entries(all)) {
    const head = path.split(".")[0] ?? "";
    const index = /^\d+$/.test(head) ? Number(head) : null;
    const stillValid =
      index !== null && index < value.length ? value[index] === server.sent[index] : value === server.sent;
    if (stillValid) {
      shown[path] = messages;
    }
  }
  return shown;
}

function listLevelErrors(errors: ErrorMap, count: number): string[] {
  return Object.entries(errors).flatMap(([path, messages]) => {
    const head = path.split(".")[0] ?? "";
    if (path === "") return messages;
    if (/^\d+$/.test(head) && Number(head) < count) return [];
    return messages.map((message) => `${path}: ${message}`);
  });
}

interface QuestionsEditorProps {
  value: Question[];
  onChange: (questions: Question[]) => void;
  serverErrors?: QuestionsServerErrors | null;
  readOnly?: boolean;
}

/** Edits a project's ordered questions as cards or raw JSON, validating as you type. */
export function QuestionsEditor({ value, onChange, serverErrors, readOnly = false }: QuestionsEditorProps) {
  const [tab, setTab] = useState<string | null>("form");
  const [jsonText, setJsonText] = useState(() => questionsToJson(value));
  const [jsonError, setJsonError] = useState<string | null>(null);
  // The list the JSON text stands for; when the value changes elsewhere, the text follows.
  const [jsonSource, setJsonSource] = useState(value);
  if (jsonSource !== value) {
    setJsonSource(value);
    setJsonText(questionsToJson(value));
    setJsonError(null);
  }

  // Cards get handlers that never change identity, so editing one card doesn't re-render the others.
  const latest = useRef({ value, onChange });
  useLayoutEffect(() => {
    latest.current = { value, onChange };
  });
  const handlers = useMemo<QuestionHandlers>(
    () => ({
      change: (index, next) => latest.current.onChange(replaceAt(latest.current.value, index, next)),
      move: (from, to) => latest.current.onChange(moveItem(latest.current.value, from, to)),
      remove: (index) => latest.current.onChange(removeAt(latest.current.value, index)),
    }),
    [],
  );

  const errors = useMemo(
    () => mergeErrors(validateQuestions(value), currentServerErrors(value, serverErrors)),
    [value, serverErrors],
  );
  const listErrors = listLevelErrors(errors, value.length);

  const handleJson = (text: string) => {
    setJsonText(text);
    const parsed = parseQuestionsJson(text);
    if (parsed.ok) {
      setJsonError(null);
      setJsonSource(parsed.questions);
      onChange(parsed.questions);
    } else {
      setJsonError(parsed.error);
    }
  };

  const issueCount = Object.values(errors).reduce((total, messages) => total + messages.length, 0);

  return (
    <Stack gap="sm">
      {listErrors.length > 0 && (
        <Alert color="red" p="xs" role="alert" data-testid="questions-errors">
          <List size="sm">
            {listErrors.map((line) => (
              <List.Item key={line}>{line}</List.Item>
            ))}
          </List>
        </Alert>
      )}
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="form">Form</Tabs.Tab>
          <Tabs.Tab value="json">JSON</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="form" pt="sm">
          <Stack gap="sm">
            {jsonError && (
              <Alert color="yellow" p="xs">
                The JSON tab holds text that can't be read ({jsonError}); these cards show the last valid version.
              </Alert>
            )}
            {value.length === 0 && <Text c="dimmed">No questions yet.</Text>}
            {value.map((question, index) => (
              <QuestionCard
                // Position is the identity: ids are being edited and may collide.
                key={index}
                question={question}
                index={index}
                count={value.length}
                handlers={handlers}
                errors={errorsUnder(errors, String(index))}
                readOnly={readOnly}
              />
            ))}
            {!readOnly && (
              <Group>
                <Menu position="bottom-start" withinPortal>
                  <Menu.Target>
                    <Button variant="light">Add question</Button>
                  </Menu.Target>
                  <Menu.Dropdown>
                    {QUESTION_KINDS.map((info) => (
                      <Menu.Item key={info.kind} onClick={() => onChange([...value, newQuestion(info.kind, value)])}>
                        <Text size="sm" fw={500}>
                          {info.label}
                        </Text>
                        <Text size="xs" c="dimmed">
                          {info.description}
                        </Text>
                      </Menu.Item>
                    ))}
                  </Menu.Dropdown>
                </Menu>
              </Group>
            )}
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="json" pt="sm">
          <Stack gap="xs">
            <JsonInput
              label="Questions as JSON"
              description="The same list as an array of question objects; changes apply as soon as the text is valid."
              autosize
              minRows={8}
              maxRows={30}
              value={jsonText}
              onChange={handleJson}
              error={jsonError}
              readOnly={readOnly}
            />
            {!jsonError && issueCount > 0 && (
              <Alert color="red" p="xs" data-testid="questions-json-errors">
                <List size="sm">
                  {Object.entries(errors).flatMap(([path, messages]) =>
                    messages.map((message) => (
                      <List.Item key={`${path}:${message}`}>
                        {path ? `${readable(path)}: ` : ""}
                        {message}
                      </List.Item>
                    )),
                  )}
                </List>
              </Alert>
            )}
          </Stack>
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

function readable(path: string): string {
  const [head = "", ...rest] = path.split(".");
  const parts = rest.map((part) => (/^\d+$/.test(part) ? `#${Number(part) + 1}` : part));
  return [/^\d+$/.test(head) ? `Question ${Number(head) + 1}` : head, ...parts].join(" › ");
}
