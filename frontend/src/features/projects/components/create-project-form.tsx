import { Alert, Button, Group, List, NumberInput, Select, SimpleGrid, Stack, Switch, Textarea, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useState } from "react";
import { isApiError, isRecord } from "@/api/client";
import type { AssignmentStrategy, Project, ProjectRequest, Question } from "@/api/types";
import { errorMessage } from "@/components/ui/error-message";
import { ASSIGNMENT_OPTIONS } from "@/features/manage/utils/assignment";
import { QuestionsEditor, type QuestionsServerErrors } from "@/features/manage/components/questions-editor";
import { hasErrors } from "@/features/manage/utils/error-map";
import { PROJECT_SETTING_FIELDS, projectBody } from "@/features/manage/utils/project-body";
import { validateQuestions } from "@/features/manage/utils/validate-questions";
import { useCreateProject } from "../api/create-project";
import { DEFAULT_QUESTIONS } from "../utils/default-questions";
import { splitFieldErrors } from "../utils/field-errors";

const FORM_FIELDS = PROJECT_SETTING_FIELDS;

interface CreateProjectFormProps {
  onCreated: (project: Project) => void;
  onCancel: () => void;
}

export function CreateProjectForm({ onCreated, onCancel }: CreateProjectFormProps) {
  const createProject = useCreateProject();
  const [otherErrors, setOtherErrors] = useState<string[]>([]);
  const [questions, setQuestions] = useState<Question[]>(() => [...DEFAULT_QUESTIONS]);
  const [questionErrors, setQuestionErrors] = useState<QuestionsServerErrors | null>(null);
  const form = useForm({
    mode: "uncontrolled",
    initialValues: {
      name: "",
      guidelines: "",
      overlap: 1 as number | string,
      assignment: "sequential" as AssignmentStrategy,
      blind: true,
      suggestions: false,
      lock_timeout_s: 900 as number | string,
      gold_rate: 0 as number | string,
    },
    validate: {
      name: (value) => (value.trim() ? null : "Name is required"),
      overlap: (value) => (value === "" ? "Overlap is required" : null),
      lock_timeout_s: (value) => (value === "" ? "Lock timeout is required" : null),
      gold_rate: (value) => (value === "" ? "Gold rate is required" : null),
    },
  });

  const handleSubmit = form.onSubmit((values) => {
    setOtherErrors([]);
    if (hasErrors(validateQuestions(questions))) {
      setOtherErrors(["Fix the problems marked in the questions first."]);
      return;
    }
    const sent = questions;
    const request: ProjectRequest = projectBody(values, sent);
    createProject.mutate(request, {
      onSuccess: (project) => onCreated(project),
      onError: (error) => {
        if (isApiError(error, 400) && isRecord(error.body)) {
          const { questions: questionsBody, ...rest } = error.body;
          setQuestionErrors(questionsBody === undefined ? null : { sent, errors: questionsBody });
          const { fields, other } = splitFieldErrors(rest, FORM_FIELDS);
          form.setErrors(fields);
          setOtherErrors(other);
        } else {
          setOtherErrors([errorMessage(error)]);
        }
      },
    });
  });

  return (
    <form onSubmit={handleSubmit} noValidate>
      <Stack>
        {otherErrors.length > 0 && (
          <Alert color="red" title="The project could not be created" role="alert">
            <List size="sm">
              {otherErrors.map((line) => (
                <List.Item key={line}>{line}</List.Item>
              ))}
            </List>
          </Alert>
        )}
        <TextInput label="Name" required data-autofocus key={form.key("name")} {...form.getInputProps("name")} />
        <Textarea
          label="Guidelines"
          description="Markdown shown to annotators"
          autosize
          minRows={4}
          maxRows={12}
          key={form.key("guidelines")}
          {...form.getInputProps("guidelines")}
        />
        <QuestionsEditor value={questions} onChange={setQuestions} serverErrors={questionErrors} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <NumberInput
            label="Overlap"
            description="Annotations wanted per item"
            min={1}
            max={100}
            allowDecimal={false}
            key={form.key("overlap")}
            {...form.getInputProps("overlap")}
          />
          <NumberInput
            label="Lock timeout (seconds)"
            description="Before an unfinished assignment returns to the pool"
            min={30}
            max={604800}
            allowDecimal={false}
            key={form.key("lock_timeout_s")}
            {...form.getInputProps("lock_timeout_s")}
          />
          <Select
            label="Assignment"
            data={ASSIGNMENT_OPTIONS}
            allowDeselect={false}
            key={form.key("assignment")}
            {...form.getInputProps("assignment")}
          />
          <NumberInput
            label="Gold rate"
            description="Share of items served that are gold items (0 to 1)"
            min={0}
            max={1}
            step={0.05}
            decimalScale={3}
            key={form.key("gold_rate")}
            {...form.getInputProps("gold_rate")}
          />
          <Switch
            label="Blind"
            description="Hide which model produced each response"
            key={form.key("blind")}
            {...form.getInputProps("blind", { type: "checkbox" })}
          />
        </SimpleGrid>
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={createProject.isPending}>
            Create project
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
