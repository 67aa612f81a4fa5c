import {
  Accordion,
  Autocomplete,
  Checkbox,
  Code,
  Fieldset,
  Group,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
} from "@mantine/core";
import type { UseFormReturnType } from "@mantine/form";
import { Fragment, useState } from "react";
import type { Question } from "@/api/types";
import { PageLoader, QueryError } from "@/components/ui/query-state";
import { useJudgeTemplates } from "../api/get-judge-templates";
import {
  DEFAULT_ENCODER,
  DTYPES,
  EMPTY_MAPPING,
  LOGPROBS,
  mappedRatingQuestions,
  ratingErrorKey,
  type HeadFeatures,
  type JudgeFormValues,
  type RatingMappingValues,
} from "../utils/judge-form";

type Form = UseFormReturnType<JudgeFormValues>;

const DEVICES = ["auto", "cpu", "cuda", "cuda:0", "cuda:1"];

/** Model, precision and device of a model the workers load (reward models and local LLMs). */
export function LocalModelFields({ form, kind }: { form: Form; kind: "reward_model" | "local_llm" }) {
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }}>
      <TextInput
        label="Model"
        description="A Hugging Face model id, or a path the workers can read"
        placeholder={kind === "reward_model" ? "Skywork/Skywork-Reward-V2-Llama-3.1-8B" : "Qwen/Qwen3-8B"}
        required
        {...form.getInputProps("model")}
      />
      <TextInput
        label="Revision"
        description="A branch, tag or commit; empty for the default branch"
        {...form.getInputProps("revision")}
      />
      <Select label="Precision" data={DTYPES} allowDeselect={false} {...form.getInputProps("dtype")} />
      <Autocomplete
        label="Device"
        description="auto, cpu, cuda or cuda:N"
        data={DEVICES}
        {...form.getInputProps("device")}
      />
      <NumberInput
        label="Max length (tokens)"
        description="Longer inputs fail for that item; empty for the model's limit"
        min={16}
        allowDecimal={false}
        {...form.getInputProps("max_length")}
      />
      {kind === "reward_model" && (
        <NumberInput
          label="Score head"
          description="The output read for pairwise and ranking questions"
          min={0}
          allowDecimal={false}
          {...form.getInputProps("head")}
        />
      )}
    </SimpleGrid>
  );
}

const FEATURE_OPTIONS: { value: HeadFeatures; label: string }[] = [
  { value: "candidate_prompt", label: "Response and prompt" },
  { value: "candidate", label: "Response only" },
];

/**
 * A preference head: the sentence encoder the workers embed texts with, and how the head is
 * fitted to the project's labels. It is trained from the Active learning page, not here.
 */
export function PreferenceHeadFields({ form }: { form: Form }) {
  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput
          label="Encoder"
          description={`A sentence encoder: a Hugging Face model id or a path the workers can read. ${DEFAULT_ENCODER} is installed with the workers.`}
          placeholder={DEFAULT_ENCODER}
          {...form.getInputProps("encoder")}
        />
        <Autocomplete
          label="Device"
          description="auto, cpu, cuda or cuda:N"
          data={DEVICES}
          {...form.getInputProps("device")}
        />
        <Select
          label="Features"
          description="Whether preferences may depend on what was asked"
          data={FEATURE_OPTIONS}
          allowDeselect={false}
          {...form.getInputProps("features")}
        />
        <NumberInput
          label="L2 penalty"
          description="Ridge penalty on the head's weights; larger is smoother"
          min={0}
          step={0.1}
          decimalScale={6}
          {...form.getInputProps("l2")}
        />
        <NumberInput
          label="Cross-validation folds"
          description="Folds by item for the held-out accuracy"
          min={2}
          max={20}
          allowDecimal={false}
          {...form.getInputProps("folds")}
        />
        <NumberInput
          label="Minimum pairs"
          description="Labeled pairs (without ties) needed before the head is trained"
          min={2}
          allowDecimal={false}
          {...form.getInputProps("min_pairs")}
        />
      </SimpleGrid>
      <Checkbox
        label="Model ties"
        description="Fit ties as their own outcome (Davidson) instead of counting them as half a win each"
        {...form.getInputProps("ties", { type: "checkbox" })}
      />
    </Stack>
  );
}

/** An OpenAI-compatible endpoint; the key is read from the workers' environment, never stored. */
export function ApiFields({ form }: { form: Form }) {
  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput
          label="Base URL"
          description="Of an OpenAI-compatible API, e.g. https://api.openai.com/v1"
          required
          {...form.getInputProps("base_url")}
        />
        <TextInput label="Model" required {...form.getInputProps("model")} />
        <TextInput
          label="API key variable"
          description="Name of the environment variable that holds the key on the workers"
          placeholder="OPENAI_API_KEY"
          {...form.getInputProps("api_key_env")}
        />
        <Select
          label="Log probabilities"
          description="Read verdicts from token probabilities when the API offers them"
          data={LOGPROBS}
          allowDeselect={false}
          {...form.getInputProps("logprobs")}
        />
        <NumberInput label="Parallel requests" min={1} max={256} allowDecimal={false} {...form.getInputProps("max_concurrency")} />
        <NumberInput label="Timeout (seconds)" min={1} max={3600} {...form.getInputProps("timeout_s")} />
        <NumberInput label="Retries" min={0} max={20} allowDecimal={false} {...form.getInputProps("max_retries")} />
      </SimpleGrid>
      <Text size="sm" c="dimmed" data-testid="api-key-note">
        Keys are never stored in Moot. Set the variable in the workers&apos; environment (or in the
        MOOT_JUDGE_API_KEYS setting) and name it here.
      </Text>
    </Stack>
  );
}

const TEMPLATE_NOTES: Record<string, string> = {
  rationale: "Used only when “Generate a rationale” is on.",
};

const capitalized = (word: string) => `${word[0]?.toUpperCase() ?? ""}${word.slice(1)}`;

/**
 * One textarea per kind of template the server has, its default as the placeholder and the
 * `{fields}` it may use listed under it. Saved templates of a kind the server no longer lists
 * still show, so they can be emptied.
 */
function TemplateFields({ form }: { form: Form }) {
  const defaults = useJudgeTemplates();
  if (defaults.isPending) {
    return <PageLoader label="Loading the default templates" />;
  }
  const served = defaults.data ? Object.keys(defaults.data.templates) : [];
  const kinds = [...served, ...Object.keys(form.values.templates).filter((kind) => !served.includes(kind))];
  return (
    <Stack gap="sm">
      {defaults.isError ? (
        <QueryError
          error={defaults.error}
          title="Could not load the default templates"
          onRetry={() => void defaults.refetch()}
        />
      ) : (
        <Text size="sm" c="dimmed">
          Leave a template empty to use the default shown in it.
        </Text>
      )}
      {kinds.map((kind) => {
        const fields = defaults.data?.template_fields[kind] ?? [];
        const note = TEMPLATE_NOTES[kind];
        return (
          <Textarea
            key={kind}
            label={`${capitalized(kind)} template`}
            description={
              <span data-testid={`template-fields-${kind}`}>
                {note && <>{note} </>}
                {fields.length > 0 && (
                  <>
                    Fields:{" "}
                    {fields.map((field) => (
                      <Fragment key={field}>
                        <Code>{`{${field}}`}</Code>{" "}
                      </Fragment>
                    ))}
                  </>
                )}
              </span>
            }
            placeholder={defaults.data?.templates[kind]}
            autosize
            minRows={6}
            maxRows={16}
            styles={{ input: { fontFamily: "var(--mantine-font-family-monospace)" } }}
            {...form.getInputProps(`templates.${kind}`)}
            value={form.values.templates[kind] ?? ""}
          />
        );
      })}
    </Stack>
  );
}

/** Prompting settings of LLM and API judges, with optional template overrides. */
export function PromptFields({ form }: { form: Form }) {
  const [open, setOpen] = useState<string | null>(() =>
    Object.values(form.values.templates).some((template) => template.trim()) ? "templates" : null,
  );
  // A template the server refused is shown, not left inside a closed panel.
  const refused = Object.keys(form.errors).some((path) => path.startsWith("templates."));
  return (
    <Stack gap="sm">
      <Switch
        label="Judge pairs in both orders"
        description="Asks twice with the responses swapped and combines the answers, cancelling position bias"
        {...form.getInputProps("position_swap", { type: "checkbox" })}
      />
      <Switch
        label="Generate a rationale"
        description="Also writes a short explanation of each pairwise verdict between two responses, shown with the verdict in the item browser. The verdict doesn't depend on it; each explanation costs one more generation."
        {...form.getInputProps("rationale", { type: "checkbox" })}
      />
      <Textarea
        label="System prompt"
        autosize
        minRows={2}
        maxRows={8}
        {...form.getInputProps("system_prompt")}
      />
      <Accordion variant="contained" value={refused ? "templates" : open} onChange={setOpen}>
        <Accordion.Item value="templates">
          <Accordion.Control>Prompt templates</Accordion.Control>
          <Accordion.Panel>
            <TemplateFields form={form} />
          </Accordion.Panel>
        </Accordion.Item>
      </Accordion>
    </Stack>
  );
}

const MAPPING_INPUTS: { field: keyof RatingMappingValues; label: string; placeholder: string }[] = [
  { field: "head", label: "Head", placeholder: "0" },
  { field: "low", label: "Low", placeholder: "Fitted" },
  { field: "high", label: "High", placeholder: "Fitted" },
];

/**
 * How a reward model's scores become ratings, for each chosen rating question and dimension:
 * the head read, and the rewards that map to the scale's minimum (low) and maximum (high).
 */
export function RatingMappingFields({ form, questions }: { form: Form; questions: readonly Question[] }) {
  const mapped = mappedRatingQuestions(form.values.questions, questions);
  if (mapped.length === 0) return null;

  const set = (questionId: string, dimensionId: string, field: keyof RatingMappingValues, value: number | string) => {
    const ratings = form.values.ratings;
    const dimensions = ratings[questionId] ?? {};
    const mapping = dimensions[dimensionId] ?? EMPTY_MAPPING;
    form.setFieldValue("ratings", {
      ...ratings,
      [questionId]: { ...dimensions, [dimensionId]: { ...mapping, [field]: value } },
    });
    form.clearFieldError(ratingErrorKey(questionId, dimensionId, field));
  };

  return (
    <Stack gap="xs">
      <div>
        <Text size="sm" fw={500}>
          Rating scales
        </Text>
        <Text size="xs" c="dimmed">
          Which head scores each dimension, and the rewards that map to the ends of its scale. Leave low and
          high empty to fit them to the project&apos;s human ratings when a run finishes, or, without any, to
          squash the rewards onto the scale.
        </Text>
      </div>
      {mapped.map((question) => (
        <Fieldset key={question.id} legend={`${question.id} · ${question.prompt || "rating"}`} p="sm">
          <Stack gap="xs">
            {question.dimensions.map((dimension) => {
              const name = dimension.label || dimension.id;
              const mapping = form.values.ratings[question.id]?.[dimension.id] ?? EMPTY_MAPPING;
              return (
                <Group
                  key={dimension.id}
                  role="group"
                  aria-label={`${question.id} › ${name}`}
                  data-testid="rating-mapping"
                  align="flex-start"
                  wrap="nowrap"
                >
                  <Text size="sm" w={160} mt={28}>
                    {name}{" "}
                    <Text span size="xs" c="dimmed">
                      ({dimension.min}–{dimension.max})
                    </Text>
                  </Text>
                  {MAPPING_INPUTS.map(({ field, label, placeholder }) => (
                    <NumberInput
                      key={field}
                      label={label}
                      placeholder={placeholder}
                      w={120}
                      min={field === "head" ? 0 : undefined}
                      allowDecimal={field !== "head"}
                      allowNegative={field !== "head"}
                      value={mapping[field]}
                      onChange={(value) => set(question.id, dimension.id, field, value)}
                      error={form.errors[ratingErrorKey(question.id, dimension.id, field)]}
                    />
                  ))}
                </Group>
              );
            })}
          </Stack>
        </Fieldset>
      ))}
    </Stack>
  );
}
