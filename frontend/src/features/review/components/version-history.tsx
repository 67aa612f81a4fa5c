import { Accordion, Text } from "@mantine/core";
import type { ItemCriterion, Question } from "@/api/types";
import { DateTime } from "@/components/ui/date-time";
import { PageLoader, QueryError } from "@/components/ui/query-state";
import { AnswersView } from "@/features/items/components/answers-view";
import { formatDuration } from "@/features/items/utils/format";
import { useAnnotationVersions } from "../api/get-annotation-versions";

interface VersionHistoryProps {
  projectId: number;
  annotationId: number;
  questions: readonly Question[];
  candidateIds: readonly string[];
  candidateName: (id: string) => string;
  itemRubric: ItemCriterion[];
}

/** Every saved version of an annotation, newest first; an edit never replaces the earlier answers. */
export function VersionHistory({ projectId, annotationId, ...answerProps }: VersionHistoryProps) {
  const versions = useAnnotationVersions(projectId, annotationId);
  if (versions.isPending) {
    return <PageLoader label="Loading history" />;
  }
  if (versions.isError) {
    return <QueryError error={versions.error} title="Could not load the history" onRetry={() => void versions.refetch()} />;
  }
  if (versions.data.length <= 1) {
    return (
      <Text size="sm" c="dimmed" data-testid="version-history">
        Not edited since it was submitted.
      </Text>
    );
  }
  const newestFirst = [...versions.data].reverse();
  return (
    <Accordion variant="contained" multiple data-testid="version-history">
      {newestFirst.map((version) => (
        <Accordion.Item key={version.version} value={String(version.version)}>
          <Accordion.Control>
            <Text size="sm">
              Version {version.version} · {version.edited_by} · <DateTime value={version.created_at} /> ·{" "}
              {formatDuration(version.time_spent_ms)}
            </Text>
          </Accordion.Control>
          <Accordion.Panel>
            <AnswersView answers={version.answers} {...answerProps} />
          </Accordion.Panel>
        </Accordion.Item>
      ))}
    </Accordion>
  );
}
