import { Badge, Box, Group, Paper, Title } from "@mantine/core";
import { memo, type ReactNode } from "react";
import type { ShownCandidate } from "@/api/types";
import { responseLabel } from "../utils/candidates";
import { SCROLL_REGION_ATTR } from "../utils/key-input";
import { MarkdownText } from "./markdown-text";

interface CandidatePanelProps {
  candidate: ShownCandidate;
  index: number;
  /** Replaces the Markdown rendering (the word diff). */
  children?: ReactNode;
}

/** One response: a "Response A" header (with the model only when not blinded) and its own scroll area. */
export const CandidatePanel = memo(function CandidatePanel({ candidate, index, children }: CandidatePanelProps) {
  const label = responseLabel(index);
  const headingId = `candidate-heading-${index}`;
  return (
    <Paper withBorder component="section" aria-labelledby={headingId} data-testid="candidate" miw={0}>
      <Group
        justify="space-between"
        px="sm"
        py={6}
        wrap="nowrap"
        style={{ borderBottom: "1px solid var(--mantine-color-default-border)" }}
      >
        <Title order={3} size="h5" id={headingId}>
          {label}
        </Title>
        {candidate.model !== null && (
          <Badge variant="light" color="gray" tt="none" title="Model">
            {candidate.model}
          </Badge>
        )}
      </Group>
      <Box
        {...{ [SCROLL_REGION_ATTR]: "" }}
        tabIndex={0}
        aria-label={`${label} text`}
        px="sm"
        py="xs"
        style={{ maxHeight: "min(62vh, 760px)", overflowY: "auto" }}
      >
        {children ?? <MarkdownText source={candidate.text} />}
      </Box>
    </Paper>
  );
});
