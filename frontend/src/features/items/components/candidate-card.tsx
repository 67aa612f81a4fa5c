import { Badge, Group, Paper, Text } from "@mantine/core";
import type { Candidate } from "@/api/types";
import { RichText } from "./rich-text";

interface CandidateCardProps {
  candidate: Candidate;
  /** How the candidate is named here, e.g. "Response A" in the order an annotator saw them. */
  title?: string;
}

/** One response with its canonical id and source model (for reviewers and up, who may see models). */
export function CandidateCard({ candidate, title }: CandidateCardProps) {
  return (
    <Paper withBorder p="sm" data-testid="candidate" component="article" aria-label={title ?? `Candidate ${candidate.id}`}>
      <Group justify="space-between" mb="xs" wrap="nowrap">
        <Group gap="xs">
          {title && <Text fw={600}>{title}</Text>}
          <Text size="sm" c="dimmed">
            id {candidate.id}
          </Text>
        </Group>
        {candidate.model && (
          <Badge variant="light" color="gray" style={{ textTransform: "none" }}>
            {candidate.model}
          </Badge>
        )}
      </Group>
      <RichText source={candidate.text} />
    </Paper>
  );
}
