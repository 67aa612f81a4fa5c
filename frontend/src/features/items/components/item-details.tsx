import { Badge, Code, Group, Paper, Stack, Text, Title } from "@mantine/core";
import type { Item, Project } from "@/api/types";
import { DateTime } from "@/components/ui/date-time";
import { LoadMore } from "@/components/ui/load-more";
import { PageLoader, QueryError } from "@/components/ui/query-state";
import { useAnnotations } from "../api/get-annotations";
import { itemCriteria } from "../utils/answers";
import { AnnotationBadges } from "./annotation-badges";
import { AnswersView } from "./answers-view";
import { CandidateCard } from "./candidate-card";
import { ItemPredictions } from "./item-predictions";
import { PromptView } from "./prompt-view";

function hasContent(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === "object") return Object.keys(value).length > 0;
  return true;
}

/** "a (model-x)": the canonical id with the source model, as reviewers see candidates. */
function candidateNamer(item: Item): (id: string) => string {
  const models = new Map(item.candidates.map((candidate) => [candidate.id, candidate.model]));
  return (id) => (models.get(id) ? `${id} (${models.get(id)})` : id);
}

function ItemAnnotations({ project, item }: { project: Project; item: Item }) {
  const annotations = useAnnotations(project.id, { item: item.id });
  if (annotations.isPending) {
    return <PageLoader label="Loading annotations" />;
  }
  if (annotations.isError) {
    return (
      <QueryError
        error={annotations.error}
        title="Could not load annotations"
        onRetry={() => void annotations.refetch()}
      />
    );
  }
  const rows = annotations.data.pages.flatMap((page) => page.results);
  if (rows.length === 0) {
    return <Text c="dimmed">No annotations yet.</Text>;
  }
  const candidateName = candidateNamer(item);
  return (
    <Stack gap="sm">
      {rows.map((annotation) => (
        <Paper key={annotation.id} withBorder p="sm" data-testid="item-annotation">
          <Stack gap="xs">
            <AnnotationBadges annotation={annotation} />
            {annotation.status === "submitted" && (
              <AnswersView
                questions={project.questions}
                answers={annotation.answers}
                candidateIds={annotation.display_order}
                candidateName={candidateName}
                itemRubric={itemCriteria(item.rubric)}
              />
            )}
          </Stack>
        </Paper>
      ))}
      <LoadMore
        hasMore={annotations.hasNextPage}
        loading={annotations.isFetchingNextPage}
        onLoadMore={() => void annotations.fetchNextPage()}
      />
    </Stack>
  );
}

/** Everything about one item: prompt, candidates with their models, metadata, annotations and judges' verdicts. */
export function ItemDetails({ project, item }: { project: Project; item: Item }) {
  const rubric = itemCriteria(item.rubric);
  return (
    <Stack>
      <Group gap="xs">
        <Badge color={item.done ? "teal" : "blue"} variant="light">
          {item.done ? "done" : "open"}
        </Badge>
        {hasContent(item.gold) && (
          <Badge color="yellow" variant="light">
            gold
          </Badge>
        )}
        <Text size="sm" c="dimmed">
          {item.annotation_count} of {project.overlap} annotations · priority {item.priority} · added{" "}
          <DateTime value={item.created_at} />
        </Text>
      </Group>
      <section aria-label="Prompt">
        <Title order={3} size="h5" mb={4}>
          Prompt
        </Title>
        <PromptView prompt={item.prompt} />
      </section>
      <section aria-label="Candidates">
        <Title order={3} size="h5" mb={4}>
          Candidates
        </Title>
        <Stack gap="xs">
          {item.candidates.map((candidate) => (
            <CandidateCard key={candidate.id} candidate={candidate} />
          ))}
        </Stack>
      </section>
      {rubric.length > 0 && (
        <section aria-label="Item rubric">
          <Title order={3} size="h5" mb={4}>
            Item rubric
          </Title>
          <Stack gap={2}>
            {rubric.map((criterion) => (
              <Text key={criterion.id} size="sm">
                <Code>{criterion.id}</Code> {criterion.text} ({criterion.points} pt)
              </Text>
            ))}
          </Stack>
        </section>
      )}
      {hasContent(item.gold) && (
        <section aria-label="Gold answer">
          <Title order={3} size="h5" mb={4}>
            Gold answer
          </Title>
          <Code block>{JSON.stringify(item.gold, null, 2)}</Code>
        </section>
      )}
      {hasContent(item.meta) && (
        <section aria-label="Metadata">
          <Title order={3} size="h5" mb={4}>
            Metadata
          </Title>
          <Code block>{JSON.stringify(item.meta, null, 2)}</Code>
        </section>
      )}
      <section aria-label="Annotations">
        <Title order={3} size="h5" mb={4}>
          Annotations
        </Title>
        <ItemAnnotations project={project} item={item} />
      </section>
      <section aria-label="Judges">
        <Title order={3} size="h5" mb={4}>
          Judges
        </Title>
        <ItemPredictions project={project} item={item} candidateName={candidateNamer(item)} />
      </section>
    </Stack>
  );
}
