import { Badge, Button, Code, Group, Stack, Table, Text } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { isRecord } from "@/api/client";
import type { Item, ItemPrediction, Project } from "@/api/types";
import { PageLoader, QueryError } from "@/components/ui/query-state";
import { describeVerdict, formatProbability } from "@/features/judges/utils/verdicts";
import { useItemPredictions } from "../api/get-item-predictions";
import { itemCriteria } from "../utils/answers";

interface VerdictProps {
  project: Project;
  item: Item;
  prediction: ItemPrediction;
  candidateName: (id: string) => string;
}

/** The judge's latest attempt at this question failed: the error says why there is no verdict. */
function Failure({ error }: { error: string }) {
  return (
    <Group gap={6} wrap="nowrap" align="flex-start">
      <Badge color="red" variant="light" size="sm" style={{ flexShrink: 0 }}>
        Failed
      </Badge>
      <Text size="sm" c="red" data-testid="prediction-error">
        {error || "No verdict"}
      </Text>
    </Group>
  );
}

/** The explanation an LLM or API judge wrote for a two-response pairwise verdict, if any. */
function rationaleOf(prediction: ItemPrediction): { text: string | null; error: string | null } {
  const details = isRecord(prediction.details) ? prediction.details : {};
  const text = typeof details.rationale === "string" && details.rationale ? details.rationale : null;
  const error = typeof details.rationale_error === "string" && details.rationale_error ? details.rationale_error : null;
  return { text, error };
}

/** Collapsed until asked for; the judge's prompt called the first two responses A and B. */
function Rationale({ text, item, candidateName }: { text: string; item: Item; candidateName: (id: string) => string }) {
  const [opened, { toggle }] = useDisclosure(false);
  const [first, second] = item.candidates;
  return (
    <Stack gap={2} align="flex-start">
      <Button size="compact-xs" variant="subtle" onClick={toggle} aria-expanded={opened}>
        {opened ? "Hide rationale" : "Show rationale"}
      </Button>
      {opened && (
        <div data-testid="prediction-rationale">
          <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
            {text}
          </Text>
          {first && second && (
            <Text size="xs" c="dimmed">
              Response A is {candidateName(first.id)}, response B is {candidateName(second.id)}.
            </Text>
          )}
        </div>
      )}
    </Stack>
  );
}

function Verdict({ project, item, prediction, candidateName }: VerdictProps) {
  if (prediction.error || prediction.value === null) {
    return <Failure error={prediction.error} />;
  }
  const question = project.questions.find((entry) => entry.id === prediction.question_id);
  const text = describeVerdict(question, prediction.value, {
    name: candidateName,
    order: item.candidates.map((candidate) => candidate.id),
    itemRubric: itemCriteria(item.rubric),
  });
  const rationale = rationaleOf(prediction);
  return (
    <Stack gap={2}>
      {text === null ? <Code>{JSON.stringify(prediction.value)}</Code> : <Text size="sm">{text}</Text>}
      {rationale.text !== null && <Rationale text={rationale.text} item={item} candidateName={candidateName} />}
      {rationale.text === null && rationale.error !== null && (
        <Text size="xs" c="dimmed">
          No rationale: {rationale.error}
        </Text>
      )}
    </Stack>
  );
}

/** How far a pairwise verdict moved when the responses were swapped (0: not at all). */
function SwapCell({ value }: { value: number | null }) {
  if (value === null) return <>—</>;
  return (
    <Text size="sm" c={value >= 0.5 ? "orange" : undefined}>
      {Math.round(value * 100)}%
    </Text>
  );
}

interface ItemPredictionsProps {
  project: Project;
  item: Item;
  /** How the item browser names candidates, e.g. "a (model-x)". */
  candidateName: (id: string) => string;
}

/**
 * Every judge's latest prediction on the item, per question: its verdict (with the judge's
 * rationale when it wrote one), or the error when the latest attempt failed.
 */
export function ItemPredictions({ project, item, candidateName }: ItemPredictionsProps) {
  const predictions = useItemPredictions(project.id, item.id);
  if (predictions.isPending) {
    return <PageLoader label="Loading predictions" />;
  }
  if (predictions.isError) {
    return (
      <QueryError
        error={predictions.error}
        title="Could not load predictions"
        onRetry={() => void predictions.refetch()}
      />
    );
  }
  if (predictions.data.length === 0) {
    return <Text c="dimmed">No judge has labeled this item yet.</Text>;
  }
  const prompts = new Map(project.questions.map((question) => [question.id, question.prompt]));
  return (
    <Table.ScrollContainer minWidth={520}>
      <Table verticalSpacing={4} fz="sm" aria-label="Judge predictions" withTableBorder>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Judge</Table.Th>
            <Table.Th>Question</Table.Th>
            <Table.Th>Verdict</Table.Th>
            <Table.Th>Probability</Table.Th>
            <Table.Th title="How much the verdict changed with the responses swapped">Swap inconsistency</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {predictions.data.map((prediction) => (
            <Table.Tr key={prediction.id} data-testid="item-prediction" data-failed={prediction.error ? "true" : undefined}>
              <Table.Td style={{ whiteSpace: "nowrap" }}>{prediction.judge_name}</Table.Td>
              <Table.Td title={prompts.get(prediction.question_id) ?? undefined}>
                <Code>{prediction.question_id}</Code>
              </Table.Td>
              <Table.Td>
                <Verdict project={project} item={item} prediction={prediction} candidateName={candidateName} />
              </Table.Td>
              <Table.Td>{formatProbability(prediction.probability) ?? "—"}</Table.Td>
              <Table.Td>
                <SwapCell value={prediction.swap_inconsistency} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
