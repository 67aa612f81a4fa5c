import { Alert, Button, Group, Modal, Radio, SegmentedControl, Stack, Text, TextInput } from "@mantine/core";
import { useState, type FormEvent } from "react";
import { isApiError, isRecord } from "@/api/client";
import type { Judge, Project } from "@/api/types";
import { errorMessage } from "@/components/ui/error-message";
import { flattenErrors } from "@/features/projects/utils/field-errors";
import { useStartJudgeRun } from "../api/start-judge-run";
import { DEFAULT_SCOPE, runStartBody, type ScopeChoice, type ScopeValues } from "../utils/run-scope";

function failureLines(error: unknown): string[] {
  if (isApiError(error, 400) && isRecord(error.body)) {
    const lines = Object.values(error.body).flatMap((value) => flattenErrors(value));
    if (lines.length) return lines;
  }
  return [errorMessage(error)];
}

interface RunDialogProps {
  project: Project;
  judge: Judge;
  opened: boolean;
  onClose: () => void;
}

/** Starts a run of one judge over all items, the unlabeled ones, or those matching a filter. */
export function RunDialog({ project, judge, opened, onClose }: RunDialogProps) {
  const start = useStartJudgeRun(project.id, judge.id);
  const [values, setValues] = useState<ScopeValues>(DEFAULT_SCOPE);
  const [problem, setProblem] = useState<string | null>(null);
  const patch = (change: Partial<ScopeValues>) => {
    setValues((previous) => ({ ...previous, ...change }));
    setProblem(null);
  };
  const close = () => {
    start.reset();
    setProblem(null);
    onClose();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const built = runStartBody(values);
    if ("problem" in built) {
      setProblem(built.problem);
      return;
    }
    start.mutate(built.body, { onSuccess: close });
  };

  return (
    <Modal opened={opened} onClose={close} title={`Run ${judge.name}`}>
      <form onSubmit={submit} noValidate aria-label={`Run ${judge.name}`}>
        <Stack>
          <Text size="sm" c="dimmed">
            The judge answers {judge.questions.join(", ")} for each item in scope. Earlier predictions are kept; the
            newest per item and question is the one shown.
          </Text>
          <Radio.Group
            label="Items"
            value={values.choice}
            onChange={(value) => patch({ choice: value as ScopeChoice })}
          >
            <Stack gap="xs" mt={4}>
              <Radio value="all" label={`All items (${project.item_count})`} />
              <Radio value="unlabeled" label="Unlabeled only (no human annotation yet)" />
              <Radio value="filter" label="Items matching a filter" />
            </Stack>
          </Radio.Group>
          {values.choice === "filter" && (
            <Stack gap="xs" pl="lg">
              <div>
                <Text size="sm" fw={500} id={`run-status-${judge.id}`}>
                  Status
                </Text>
                <SegmentedControl
                  aria-labelledby={`run-status-${judge.id}`}
                  size="xs"
                  value={values.status}
                  onChange={(value) => patch({ status: value === "open" || value === "done" ? value : "any" })}
                  data={[
                    { value: "any", label: "Any" },
                    { value: "open", label: "Open" },
                    { value: "done", label: "Done" },
                  ]}
                />
              </div>
              <TextInput
                label="Source model"
                description="Items with a response from this model"
                value={values.model}
                onChange={(event) => patch({ model: event.currentTarget.value })}
              />
            </Stack>
          )}
          {(problem || start.isError) && (
            <Alert color="red" role="alert" title="The run was not started">
              {problem ?? failureLines(start.error).join(" ")}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={start.isPending}>
              Start run
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
