import { Select, SimpleGrid, Stack, Switch } from "@mantine/core";
import type { LabelsQuestion, PairwiseQuestion, RankingQuestion, TextQuestion } from "@/api/types";
import { errorAt, errorsUnder, type ErrorMap } from "../utils/error-map";
import { PER_OPTIONS } from "../utils/question-kinds";
import { NumberField } from "./number-field";
import { StringListEditor } from "./string-list-editor";

export interface KindFieldsProps<Q> {
  question: Q;
  onChange: (question: Q) => void;
  /** Errors relative to the question (`"options.1"`, …). */
  errors: ErrorMap;
  readOnly: boolean;
}

export function PairwiseFields({ question, onChange, errors, readOnly }: KindFieldsProps<PairwiseQuestion>) {
  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <Switch
          label="Allow a tie"
          checked={question.tie}
          onChange={(event) => onChange({ ...question, tie: event.currentTarget.checked })}
          error={errorAt(errors, "tie")}
          disabled={readOnly}
        />
        <Switch
          label='Offer "both bad"'
          checked={question.both_bad}
          onChange={(event) => onChange({ ...question, both_bad: event.currentTarget.checked })}
          error={errorAt(errors, "both_bad")}
          disabled={readOnly}
        />
        <Select
          label="With more than two responses"
          data={[
            { value: "all", label: "Judge every pair" },
            { value: "sampled", label: "Judge one sampled pair" },
          ]}
          value={question.pairs}
          onChange={(value) => value && onChange({ ...question, pairs: value === "sampled" ? "sampled" : "all" })}
          allowDeselect={false}
          error={errorAt(errors, "pairs")}
          disabled={readOnly}
          size="xs"
        />
      </SimpleGrid>
      <StringListEditor
        label="Strength labels"
        description="How much better, weakest first (e.g. slightly, clearly, much). Leave empty for no strength."
        itemName="Strength label"
        values={question.strength ?? []}
        onChange={(strength) => onChange({ ...question, strength })}
        errors={errorsUnder(errors, "strength")}
        ordered
        readOnly={readOnly}
      />
    </Stack>
  );
}

export function RankingFields({ question, onChange, errors, readOnly }: KindFieldsProps<RankingQuestion>) {
  return (
    <Switch
      label="Allow ties (several responses sharing a place)"
      checked={question.ties}
      onChange={(event) => onChange({ ...question, ties: event.currentTarget.checked })}
      error={errorAt(errors, "ties")}
      disabled={readOnly}
    />
  );
}

export function LabelsFields({ question, onChange, errors, readOnly }: KindFieldsProps<LabelsQuestion>) {
  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Select
          label="Labels apply to"
          data={PER_OPTIONS}
          value={question.per}
          onChange={(value) => value && onChange({ ...question, per: value === "candidate" ? "candidate" : "item" })}
          allowDeselect={false}
          error={errorAt(errors, "per")}
          disabled={readOnly}
          size="xs"
        />
        <Switch
          label="Allow several labels"
          mt="lg"
          checked={question.multiple}
          onChange={(event) => onChange({ ...question, multiple: event.currentTarget.checked })}
          error={errorAt(errors, "multiple")}
          disabled={readOnly}
        />
      </SimpleGrid>
      <StringListEditor
        label="Options"
        itemName="Option"
        values={question.options}
        onChange={(options) => onChange({ ...question, options })}
        errors={errorsUnder(errors, "options")}
        readOnly={readOnly}
      />
    </Stack>
  );
}

export function TextFields({ question, onChange, errors, readOnly }: KindFieldsProps<TextQuestion>) {
  return (
    <NumberField
      label="Maximum length (characters)"
      value={question.max_length}
      onChange={(maxLength) => onChange({ ...question, max_length: maxLength })}
      min={1}
      max={100000}
      allowDecimal={false}
      error={errorAt(errors, "max_length")}
      readOnly={readOnly}
      size="xs"
      maw={240}
    />
  );
}
