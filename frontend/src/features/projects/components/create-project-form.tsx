import {
  Alert,
  Button,
  Group,
  JsonInput,
  List,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Textarea,
  TextInput,
} from "@mantine/core";
import { useForm } from "@mantine/form";
import { useState } from "react";
import { isApiError } from "@/api/client";
import type { AssignmentStrategy, Project, ProjectRequest } from "@/api/types";
import { errorMessage } from "@/components/ui/error-message";
import { useCreateProject } from "../api/create-project";
import { DEFAULT_QUESTIONS } from "../utils/default-questions";
import { splitFieldErrors } from "../utils/field-errors";

const FORM_FIELDS = [
  "name",
  "guidelines",
  "questions",
  "overlap",
  "assignment",
  "blind",
  "lock_timeout_s",
] as const;

const ASSIGNMENT_OPTIONS: { value: AssignmentStrategy; label: string }[] = [
  { value: "sequential", label: "Sequential" },
  { value: "random", label: "Random" },
  { value: "priority", label: "By priority" },
  { value: "active", label: "Active learning" },
];

function parseQuestions(text: string): unknown[] | null {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? (value as unknown[]) : null;
  } catch {
    return null;
  }
}

interface CreateProjectFormProps {
  onCreated: (project: Project) => void;
  onCancel: () => void;
}

export function CreateProjectForm({ onCreated, onCancel }: CreateProjectFormProps) {
  const createProject = useCreateProject();
  const [otherErrors, setOtherErrors] = useState<string[]>([]);
  const form = useForm({
    mode: "uncontrolled",
    initialValues: {
      name: "",
      guidelines: "",
      questions: DEFAULT_QUESTIONS,
      overlap: 1 as number | string,
      assignment: "sequential" as AssignmentStrategy,
      blind: true,
      lock_timeout_s: 900 as number | string,
    },
    validate: {
      name: (value) => (value.trim() ? null : "Name is required"),
      questions: (value) => (parseQuestions(value) ? null : "Questions must be a JSON array"),
      overlap: (value) => (value === "" ? "Overlap is required" : null),
      lock_timeout_s: (value) => (value === "" ? "Lock timeout is required" : null),
    },
  });

  const handleSubmit = form.onSubmit((values) => {
    setOtherErrors([]);
    const request: ProjectRequest = {
      name: values.name.trim(),
      guidelines: values.guidelines,
      // Question definitions are validated by the server, which reports errors per question.
      questions: (parseQuestions(values.questions) ?? []) as ProjectRequest["questions"],
      overlap: Number(values.overlap),
      assignment: values.assignment,
      blind: values.blind,
      lock_timeout_s: Number(values.lock_timeout_s),
    };
    createProject.mutate(request, {
      onSuccess: (project) => onCreated(project),
      onError: (error) => {
        if (isApiError(error, 400)) {
          const { fields, other } = splitFieldErrors(error.body, FORM_FIELDS, (index) => `Question ${index + 1}`);
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
        <JsonInput
          label="Questions"
          description="A JSON array of question definitions"
          required
          autosize
          minRows={4}
          maxRows={20}
          formatOnBlur
          key={form.key("questions")}
          {...form.getInputProps("questions")}
        />
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
          <Switch
            label="Blind"
            description="Hide which model produced each response"
            mt="md"
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
