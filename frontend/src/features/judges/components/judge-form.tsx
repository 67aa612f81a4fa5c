import { Alert, Button, Group, List, MultiSelect, Select, Stack, Text, TextInput } from "@mantine/core";
import { useForm, type UseFormReturnType } from "@mantine/form";
import { useState } from "react";
import { isApiError, isRecord } from "@/api/client";
import type { Judge, Project } from "@/api/types";
import { errorMessage } from "@/components/ui/error-message";
import { useCreateJudge } from "../api/create-judge";
import { useUpdateJudge } from "../api/update-judge";
import { EMPTY_JUDGE, judgeErrors, judgeRequest, valuesFromJudge, type JudgeFormValues } from "../utils/judge-form";
import { answerableQuestions, JUDGE_KINDS } from "../utils/kinds";
import { ApiFields, LocalModelFields, PreferenceHeadFields, PromptFields, RatingMappingFields } from "./judge-config-fields";

type Form = UseFormReturnType<JudgeFormValues>;

/** The settings of the chosen kind of judge. */
function KindFields({ form, project }: { form: Form; project: Project }) {
  switch (form.values.kind) {
    case "reward_model":
      return (
        <>
          <LocalModelFields form={form} kind="reward_model" />
          <RatingMappingFields form={form} questions={project.questions} />
        </>
      );
    case "local_llm":
      return (
        <>
          <LocalModelFields form={form} kind="local_llm" />
          <PromptFields form={form} />
        </>
      );
    case "api":
      return (
        <>
          <ApiFields form={form} />
          <PromptFields form={form} />
        </>
      );
    case "preference_head":
      return <PreferenceHeadFields form={form} />;
  }
}

interface JudgeFormProps {
  project: Project;
  /** The judge to change; null to add one. */
  judge: Judge | null;
  onSaved: (judge: Judge) => void;
  onCancel: () => void;
}

/** Adds or changes a judge: name, kind, the questions it answers and its kind's settings. */
export function JudgeForm({ project, judge, onSaved, onCancel }: JudgeFormProps) {
  const create = useCreateJudge(project.id);
  const update = useUpdateJudge(project.id, judge?.id ?? 0);
  const [otherErrors, setOtherErrors] = useState<string[]>([]);
  const form = useForm<JudgeFormValues>({
    initialValues: judge ? valuesFromJudge(judge) : EMPTY_JUDGE,
    validate: {
      name: (value) => (value.trim() ? null : "Name is required"),
      questions: (value) => (value.length ? null : "Choose at least one question"),
    },
  });
  const { kind } = form.values;
  const choices = answerableQuestions(kind, project.questions);
  const kindInfo = JUDGE_KINDS.find((info) => info.value === kind);

  const changeKind = (value: string | null) => {
    const next = JUDGE_KINDS.find((info) => info.value === value)?.value;
    if (!next) return;
    const allowed = new Set(answerableQuestions(next, project.questions).map((question) => question.id));
    form.setValues({ kind: next, questions: form.values.questions.filter((id) => allowed.has(id)) });
  };

  const handleSubmit = form.onSubmit((values) => {
    setOtherErrors([]);
    const body = judgeRequest(values, { questions: project.questions, previous: judge?.config });
    const onError = (error: Error) => {
      if (isApiError(error, 400) && isRecord(error.body)) {
        const { fields, other } = judgeErrors(error.body);
        form.setErrors(fields);
        setOtherErrors(other);
      } else {
        setOtherErrors([errorMessage(error)]);
      }
    };
    const onSuccess = (saved: Judge) => onSaved(saved);
    if (judge) {
      const { kind: _kind, ...changes } = body;
      update.mutate(changes, { onSuccess, onError });
    } else {
      create.mutate(body, { onSuccess, onError });
    }
  });

  return (
    <form onSubmit={handleSubmit} noValidate aria-label={judge ? `Edit ${judge.name}` : "New judge"}>
      <Stack>
        {otherErrors.length > 0 && (
          <Alert color="red" title="The judge was not saved" role="alert">
            <List size="sm">
              {otherErrors.map((line) => (
                <List.Item key={line}>{line}</List.Item>
              ))}
            </List>
          </Alert>
        )}
        <TextInput label="Name" required data-autofocus {...form.getInputProps("name")} />
        <Select
          label="Kind"
          description={judge ? "The kind of a judge cannot change; add another judge instead." : kindInfo?.description}
          data={JUDGE_KINDS.map((info) => ({ value: info.value, label: info.label }))}
          allowDeselect={false}
          disabled={judge !== null}
          {...form.getInputProps("kind")}
          onChange={changeKind}
        />
        <MultiSelect
          label="Questions"
          description={
            choices.length < project.questions.length
              ? `Only the questions a ${kindInfo?.label.toLowerCase() ?? "judge"} judge can answer are listed.`
              : "The questions this judge answers."
          }
          placeholder={form.values.questions.length ? undefined : "Choose questions"}
          data={choices.map((question) => ({ value: question.id, label: `${question.id} · ${question.prompt || question.kind}` }))}
          nothingFoundMessage="No question of this project fits this kind of judge"
          required
          {...form.getInputProps("questions")}
        />
        {choices.length === 0 && (
          <Text size="sm" c="orange">
            This project has no question a {kindInfo?.label.toLowerCase()} judge can answer.
          </Text>
        )}
        <KindFields form={form} project={project} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending || update.isPending}>
            {judge ? "Save judge" : "Add judge"}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
