import { Alert, Button, Checkbox, Group, List, NumberInput, Radio, Select, SimpleGrid, Stack, Text, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useState } from "react";
import { isApiError } from "@/api/client";
import type { Project } from "@/api/types";
import { errorMessage } from "@/components/ui/error-message";
import { splitFieldErrors } from "@/features/projects/utils/field-errors";
import { useCreateExport } from "../api/create-export";
import type { Export } from "../types";
import {
  aggregationsFor,
  dimensionsFor,
  EXPORT_FIELDS,
  EXPORT_FORMATS,
  exportRequest,
  FILE_TYPES,
  fileTypeProblem,
  initialValues,
  isPairFormat,
  kindsText,
  MARGINS,
  questionsFor,
  tiesApply,
  validateExport,
  withFormat,
  withQuestion,
  type ExportFormValues,
} from "../utils/options";

/** The chosen entry's description, for a Select's description line. */
function describe<T extends string>(choices: readonly { value: T; description: string }[], value: string): string | undefined {
  return choices.find((choice) => choice.value === value)?.description || undefined;
}

/**
 * Chooses what a new snapshot holds and queues its build. Only the choices that apply to the
 * chosen format are shown; a 400 puts the server's message next to the field it names.
 */
export function ExportForm({ project }: { project: Project }) {
  const create = useCreateExport(project.id);
  const { questions } = project;
  const [problems, setProblems] = useState<string[]>([]);
  const [queued, setQueued] = useState<Export | null>(null);
  const form = useForm<ExportFormValues>({
    initialValues: initialValues(questions),
    validate: (values) => validateExport(values, questions),
  });
  const values = form.values;
  const { format } = values;
  const raw = format === "raw";
  const readable = questionsFor(format, questions);
  const dimensions = dimensionsFor(
    format,
    questions.find((question) => question.id === values.question),
  );
  const aggregations = aggregationsFor(format);
  const csvProblem = fileTypeProblem(format, "csv");

  const chooseFormat = (value: string | null) => {
    const next = EXPORT_FORMATS.find((choice) => choice.value === value)?.value;
    if (!next) return;
    form.clearErrors();
    setProblems([]);
    form.setValues(withFormat(values, next, questions));
  };

  const handleSubmit = form.onSubmit((submitted) => {
    setProblems([]);
    setQueued(null);
    create.mutate(exportRequest(submitted), {
      onSuccess: (snapshot) => setQueued(snapshot),
      onError: (error) => {
        if (isApiError(error, 400)) {
          const { fields, other } = splitFieldErrors(error.body, EXPORT_FIELDS);
          form.setErrors(fields);
          setProblems(other);
        }
      },
    });
  });

  // 400s are shown by their fields (or listed); anything else (503: the broker is down) is one message.
  const failure = create.isError && !isApiError(create.error, 400) ? errorMessage(create.error) : null;

  return (
    <form onSubmit={handleSubmit} noValidate aria-label="New export">
      <Stack>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select
            label="Format"
            description={describe(EXPORT_FORMATS, format)}
            data={EXPORT_FORMATS.map((choice) => ({ value: choice.value, label: choice.label }))}
            allowDeselect={false}
            {...form.getInputProps("format")}
            onChange={chooseFormat}
          />
          <Radio.Group
            label="File type"
            description={
              csvProblem ? `CSV is not offered: ${csvProblem}` : describe(FILE_TYPES, values.file_type)
            }
            {...form.getInputProps("file_type")}
          >
            <Group mt={6} gap="md">
              {FILE_TYPES.map((choice) => (
                <Radio
                  key={choice.value}
                  value={choice.value}
                  label={choice.label}
                  disabled={fileTypeProblem(format, choice.value) !== null}
                />
              ))}
            </Group>
          </Radio.Group>
        </SimpleGrid>

        {!raw && (
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select
              label="Question"
              description={`The ${kindsText(format)} question the rows come from.`}
              placeholder={readable.length ? "Choose a question" : "No question of that kind"}
              data={readable.map((question) => ({
                value: question.id,
                label: `${question.id} · ${question.prompt || question.kind}`,
              }))}
              allowDeselect={false}
              disabled={readable.length === 0}
              {...form.getInputProps("question")}
              onChange={(value) => form.setValues(withQuestion(values, value, questions))}
            />
            {dimensions.length > 0 && (
              <Select
                label="Dimension"
                description="Pairs come from the ratings: the response rated higher on this dimension wins."
                placeholder="Choose a dimension"
                data={dimensions.map((dimension) => ({ value: dimension.id, label: dimension.label }))}
                allowDeselect={false}
                {...form.getInputProps("dimension")}
              />
            )}
          </SimpleGrid>
        )}

        {raw ? (
          <Text size="sm" c="dimmed">
            Raw exports hold every annotation as it was given, so there is nothing to aggregate.
          </Text>
        ) : (
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select
              label="Aggregation"
              description={
                isPairFormat(format)
                  ? describe(aggregations, values.aggregation)
                  : `${describe(aggregations, values.aggregation) ?? ""} (Dawid-Skene applies to pairs only.)`
              }
              data={aggregations.map((choice) => ({ value: choice.value, label: choice.label }))}
              allowDeselect={false}
              {...form.getInputProps("aggregation")}
            />
            {values.aggregation === "min_agreement" && (
              <NumberInput
                label="Minimum agreement"
                description={
                  format === "ranking"
                    ? "The least Kendall's W among the rankings, above 0.5 and at most 1."
                    : "The least share of agreeing votes, above 0.5 and at most 1."
                }
                min={0.5}
                max={1}
                step={0.05}
                decimalScale={3}
                clampBehavior="none"
                {...form.getInputProps("min_agreement")}
              />
            )}
          </SimpleGrid>
        )}

        {(tiesApply(format) || format === "preference") && (
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {tiesApply(format) && (
              <Radio.Group
                label="Ties"
                description={
                  format === "ranking"
                    ? "Items whose agreed order has tied responses."
                    : "Pairs whose outcome is a tie (kept ones are flagged)."
                }
                {...form.getInputProps("ties")}
              >
                <Group mt={6} gap="md">
                  <Radio value="drop" label="Drop" />
                  <Radio value="keep" label="Keep" />
                </Group>
              </Radio.Group>
            )}
            {format === "preference" && (
              <Select
                label="Margin"
                description={describe(MARGINS, values.margin) ?? "Add a margin column to each pair."}
                data={MARGINS.map((choice) => ({ value: choice.value, label: choice.label }))}
                allowDeselect={false}
                {...form.getInputProps("margin")}
              />
            )}
          </SimpleGrid>
        )}

        <Stack gap="xs">
          <Checkbox
            label="Reviewed only"
            description="Only annotations a reviewer accepted."
            {...form.getInputProps("reviewed_only", { type: "checkbox" })}
          />
          <Checkbox
            label="Exclude gold items"
            description="Leave out the items used to check annotators."
            {...form.getInputProps("exclude_gold", { type: "checkbox" })}
          />
          {!raw && (
            <Checkbox
              label="Include model labels"
              description="Where no person labelled an item, a judge's prediction stands in (flagged per row)."
              {...form.getInputProps("include_model_labels", { type: "checkbox" })}
            />
          )}
        </Stack>

        <TextInput
          label="Push to Hugging Face Hub"
          description="Optional: once built, the file and its manifest are pushed to this private dataset repository (needs MOOT_HF_TOKEN on the workers)."
          placeholder="org/name"
          maw={520}
          {...form.getInputProps("push_to_hub")}
        />

        {problems.length > 0 && (
          <Alert color="red" title="The export was not created" role="alert">
            <List size="sm">
              {problems.map((line) => (
                <List.Item key={line}>{line}</List.Item>
              ))}
            </List>
          </Alert>
        )}
        {failure && (
          <Alert color="red" title="The export was not started" role="alert" data-testid="export-failure">
            {failure}
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={create.isPending}>
            Create export
          </Button>
          {queued && !create.isPending && (
            <Text size="sm" c="dimmed" role="status">
              Export #{queued.id} queued; its progress shows below.
            </Text>
          )}
        </Group>
      </Stack>
    </form>
  );
}
