import { Paper, SimpleGrid, Stack, Title } from "@mantine/core";
import type { Annotation, Project, ReviewDecision } from "@/api/types";
import { PageLoader, QueryError } from "@/components/ui/query-state";
import { useItem } from "@/features/items/api/get-item";
import { AnnotationBadges } from "@/features/items/components/annotation-badges";
import { AnswersView } from "@/features/items/components/answers-view";
import { CandidateCard } from "@/features/items/components/candidate-card";
import { PromptView } from "@/features/items/components/prompt-view";
import { itemCriteria, positionLetter } from "@/features/items/utils/answers";
import { ReviewActions } from "./review-actions";
import { VersionHistory } from "./version-history";

interface ReviewDetailProps {
  project: Project;
  annotation: Annotation;
  onReviewed: (decision: ReviewDecision) => void;
}

/** One annotation as its annotator saw the item (candidates in their display order), with its answers and history. */
export function ReviewDetail({ project, annotation, onReviewed }: ReviewDetailProps) {
  const item = useItem(project.id, annotation.item);

  if (item.isPending) {
    return <PageLoader label="Loading item" />;
  }
  if (item.isError) {
    return <QueryError error={item.error} title="Could not load the item" onRetry={() => void item.refetch()} />;
  }

  const byId = new Map(item.data.candidates.map((candidate) => [candidate.id, candidate]));
  const shown = annotation.display_order.filter((id) => byId.has(id));
  const letters = new Map(shown.map((id, index) => [id, positionLetter(index)]));
  const candidateName = (id: string) => {
    const letter = letters.get(id);
    const model = byId.get(id)?.model;
    const name = letter ? `Response ${letter}` : id;
    return model ? `${name} (${model})` : name;
  };
  const rubric = itemCriteria(item.data.rubric);
  const answerProps = {
    questions: project.questions,
    candidateIds: shown,
    candidateName,
    itemRubric: rubric,
  };

  return (
    <Stack data-testid="review-detail">
      <Paper withBorder p="sm">
        <Stack gap="xs">
          <AnnotationBadges annotation={annotation} />
          <ReviewActions
            // A fresh form (no leftover comment) for each annotation.
            key={annotation.id}
            projectId={project.id}
            annotationId={annotation.id}
            onReviewed={onReviewed}
          />
        </Stack>
      </Paper>
      <section aria-label="Prompt">
        <Title order={3} size="h5" mb={4}>
          Item {item.data.external_id}
        </Title>
        <PromptView prompt={item.data.prompt} />
      </section>
      <section aria-label="Responses as shown">
        <Title order={3} size="h5" mb={4}>
          Responses, in the order the annotator saw them
        </Title>
        <SimpleGrid cols={{ base: 1, md: Math.min(Math.max(shown.length, 1), 3) }}>
          {shown.map((id) => {
            const candidate = byId.get(id);
            return candidate ? <CandidateCard key={id} candidate={candidate} title={`Response ${letters.get(id) ?? "?"}`} /> : null;
          })}
        </SimpleGrid>
      </section>
      <section aria-label="Answers">
        <Title order={3} size="h5" mb={4}>
          Answers
        </Title>
        <AnswersView answers={annotation.answers} {...answerProps} />
      </section>
      <section aria-label="History">
        <Title order={3} size="h5" mb={4}>
          History
        </Title>
        <VersionHistory projectId={project.id} annotationId={annotation.id} {...answerProps} />
      </section>
    </Stack>
  );
}
