import { Alert, Button, Group, List, NumberInput, Paper, Select, SimpleGrid, Stack, Switch, Text, TextInput, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useState, type ReactNode } from "react";
import { isApiError, isRecord } from "@/api/client";
import type { Project, ProjectPatch, Question } from "@/api/types";
import { errorMessage } from "@/components/ui/error-message";
import { splitFieldErrors } from "@/features/projects/utils/field-errors";
import { roleAtLeast } from "@/features/projects/utils/roles";
import { useUpdateProject } from "../api/update-project";
import { ASSIGNMENT_OPTIONS } from "../utils/assignment";
import { hasErrors } from "../utils/error-map";
import { validateQuestions } from "../utils/validate-questions";
import { GuidelinesEditor } from "./guidelines-editor";
import { QuestionsEditor, type QuestionsServerErrors } from "./questions-editor";
import { PROJECT_SETTING_FIELDS, projectBody, type ProjectSettingsValues } from "../utils/project-body";

const SETTING_FIELDS = PROJECT_SETTING_FIELDS;
type SettingsValues = ProjectSettingsValues;

function valuesOf(project: Project): SettingsValues {
  return {
    name: project.name,
    guidelines: project.guidelines ?? "",
    overlap: project.overlap,
    assignment: project.assignment ?? "sequential",
    blind: project.blind ?? true,
    suggestions: project.suggestions ?? false,
    lock_timeout_s: project.lock_timeout_s,
    gold_rate: project.gold_rate ?? 0,
  };
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Paper withBorder p="md" component="section" aria-label={title}>
      <Title order={2} size="h4" mb="sm">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

/** Everything a manager can change about a project; a read-only view for other roles. */
export function ProjectSettingsForm({ project }: { project: Project }) {
  const canEdit = roleAtLeast(project.role, "manager");
  const readOnly = !canEdit;
  const update = useUpdateProject(project.id);
  const [baseline, setBaseline] = useState(project);
  const [questions, setQuestions] = useState<Question[]>(project.questions);
  const [serverQuestionErrors, setServerQuestionErrors] = useState<QuestionsServerErrors | null>(null);
  const [otherErrors, setOtherErrors] = useState<string[]>([]);
  const [saved, setSaved] = useState(false);

  const form = useForm<SettingsValues>({
    initialValues: valuesOf(project),
    validate: {
      name: (value) => (value.trim() ? null : "Name is required"),
      overlap: (value) => (value === "" ? "Overlap is required" : null),
      lock_timeout_s: (value) => (value === "" ? "Lock timeout is required" : null),
      gold_rate: (value) => (value === "" ? "Gold rate is required" : null),
    },
  });

  const dirty = form.isDirty() || questions !== baseline.questions;

  const load = (next: Project) => {
    setBaseline(next);
    form.setInitialValues(valuesOf(next));
    form.setValues(valuesOf(next));
    form.resetDirty(valuesOf(next));
    setQuestions(next.questions);
    setServerQuestionErrors(null);
  };

  // Someone else saved meanwhile: follow along unless that would throw away edits here.
  // (While a save is in flight, the new updated_at is our own.)
  const changedElsewhere = project.updated_at !== baseline.updated_at && !update.isPending;
  if (changedElsewhere && !dirty) {
    load(project);
  }

  const questionErrors = validateQuestions(questions);

  const handleSubmit = form.onSubmit((values) => {
    setOtherErrors([]);
    setSaved(false);
    if (hasErrors(questionErrors)) {
      setOtherErrors(["Fix the problems marked in the questions before saving."]);
      return;
    }
    const sent = questions;
    const changes: ProjectPatch = projectBody(values, sent);
    update.mutate(changes, {
      onSuccess: (next) => {
        load(next);
        setSaved(true);
      },
      onError: (error) => {
        if (isApiError(error, 400) && isRecord(error.body)) {
          const { questions: questionsBody, ...rest } = error.body;
          setServerQuestionErrors(questionsBody === undefined ? null : { sent, errors: questionsBody });
          const { fields, other } = splitFieldErrors(rest, SETTING_FIELDS);
          form.setErrors(fields);
          setOtherErrors(
            questionsBody === undefined ? other : [...other, "Some questions were rejected; see the messages at the questions."],
          );
        } else {
          setOtherErrors([errorMessage(error)]);
        }
      },
    });
  });

  return (
    <form onSubmit={handleSubmit} noValidate aria-label="Project settings">
      <Stack>
        {readOnly && (
          <Alert color="blue" title="Read only">
            Only managers and owners can change these settings.
          </Alert>
        )}
        {changedElsewhere && dirty && (
          <Alert color="yellow" title="Changed elsewhere">
            <Stack gap="xs" align="flex-start">
              <Text size="sm">Someone saved this project while you were editing. Saving now overwrites their changes.</Text>
              <Button size="xs" variant="light" color="yellow" onClick={() => load(project)}>
                Discard my edits and load theirs
              </Button>
            </Stack>
          </Alert>
        )}
        {otherErrors.length > 0 && (
          <Alert color="red" title="The settings were not saved" role="alert">
            <List size="sm">
              {otherErrors.map((line) => (
                <List.Item key={line}>{line}</List.Item>
              ))}
            </List>
          </Alert>
        )}
        <Section title="General">
          <Stack>
            <TextInput label="Name" required readOnly={readOnly} {...form.getInputProps("name")} />
            <GuidelinesEditor
              value={form.values.guidelines}
              onChange={(value) => form.setFieldValue("guidelines", value)}
              error={typeof form.errors.guidelines === "string" ? form.errors.guidelines : undefined}
              readOnly={readOnly}
            />
          </Stack>
        </Section>
        <Section title="Distribution">
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <NumberInput
              label="Overlap"
              description="Annotations wanted per item"
              min={1}
              max={100}
              allowDecimal={false}
              readOnly={readOnly}
              {...form.getInputProps("overlap")}
            />
            <Select
              label="Assignment order"
              description="Which item an annotator gets next"
              data={ASSIGNMENT_OPTIONS}
              allowDeselect={false}
              disabled={readOnly}
              {...form.getInputProps("assignment")}
            />
            <NumberInput
              label="Lock timeout (seconds)"
              description="Before an unfinished assignment returns to the pool"
              min={30}
              max={604800}
              allowDecimal={false}
              readOnly={readOnly}
              {...form.getInputProps("lock_timeout_s")}
            />
            <NumberInput
              label="Gold rate"
              description="Share of items served that are gold items (0 to 1)"
              min={0}
              max={1}
              step={0.05}
              decimalScale={3}
              readOnly={readOnly}
              {...form.getInputProps("gold_rate")}
            />
            <Switch
              label="Blind"
              description="Hide model names and metadata from annotators"
              disabled={readOnly}
              {...form.getInputProps("blind", { type: "checkbox" })}
            />
            <Switch
              label="Show judge suggestions to annotators"
              description={
                form.values.blind
                  ? "Not available while the project is blind: a suggestion would reveal what judges think of each response."
                  : "Next to each question, what the project's judges answered (answers are never filled in)"
              }
              disabled={readOnly || form.values.blind}
              {...form.getInputProps("suggestions", { type: "checkbox" })}
            />
          </SimpleGrid>
        </Section>
        <Section title="Questions">
          <QuestionsEditor
            value={questions}
            onChange={setQuestions}
            serverErrors={serverQuestionErrors}
            readOnly={readOnly}
          />
        </Section>
        {canEdit && (
          <Group justify="flex-end">
            {saved && !dirty && (
              <Text size="sm" c="teal" role="status">
                Saved
              </Text>
            )}
            <Button variant="default" disabled={!dirty || update.isPending} onClick={() => load(baseline)}>
              Discard changes
            </Button>
            <Button type="submit" loading={update.isPending}>
              Save
            </Button>
          </Group>
        )}
      </Stack>
    </form>
  );
}
