import { Badge, Group, Text } from "@mantine/core";
import type { Annotation, ReviewStatus } from "@/api/types";
import { DateTime } from "@/components/ui/date-time";
import { formatDuration } from "../utils/format";

const REVIEW_COLORS: Record<ReviewStatus, string> = { pending: "gray", accepted: "teal", rejected: "red" };

/** Who annotated, when, how long it took, and where it stands in review. */
export function AnnotationBadges({ annotation }: { annotation: Annotation }) {
  return (
    <Group gap="xs" wrap="wrap">
      <Text fw={600}>{annotation.annotator}</Text>
      {annotation.is_reference && (
        <Badge variant="outline" color="violet">
          reference
        </Badge>
      )}
      <Badge variant="light" color={annotation.status === "skipped" ? "yellow" : "blue"}>
        {annotation.status}
      </Badge>
      <Badge variant="light" color={REVIEW_COLORS[annotation.review_status]}>
        {annotation.review_status}
      </Badge>
      <Text size="xs" c="dimmed">
        v{annotation.version} · {formatDuration(annotation.time_spent_ms)} · <DateTime value={annotation.updated_at} />
      </Text>
    </Group>
  );
}
