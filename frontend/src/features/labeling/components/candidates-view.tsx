import { Group, Kbd, SimpleGrid, Stack, Switch, Text } from "@mantine/core";
import { useMemo } from "react";
import type { ShownCandidate } from "@/api/types";
import { sideOf, wordDiff } from "../utils/word-diff";
import { CandidatePanel } from "./candidate-panel";
import { DiffText } from "./diff-text";

interface CandidatesViewProps {
  candidates: ShownCandidate[];
  showDiff: boolean;
  onToggleDiff: () => void;
}

/** Two responses side by side (stacked on narrow screens); three or more always stacked. */
export function CandidatesView({ candidates, showDiff, onToggleDiff }: CandidatesViewProps) {
  const pair = candidates.length === 2 ? candidates : null;
  const [left, right] = candidates;
  const diff = useMemo(
    () => (pair && showDiff && left && right ? wordDiff(left.text, right.text) : null),
    [pair, showDiff, left, right],
  );
  return (
    <Stack gap="xs">
      {pair && (
        <Group gap="xs">
          <Switch
            size="sm"
            checked={showDiff}
            onChange={onToggleDiff}
            label={
              <>
                Show differences <Kbd size="xs">d</Kbd>
              </>
            }
          />
          {showDiff && diff === null && (
            <Text size="sm" c="dimmed">
              These responses are too different to compare word by word.
            </Text>
          )}
        </Group>
      )}
      <SimpleGrid cols={{ base: 1, md: pair ? 2 : 1 }} spacing="sm">
        {candidates.map((candidate, index) => (
          <CandidatePanel key={candidate.id} candidate={candidate} index={index}>
            {diff && index < 2 ? <DiffText parts={sideOf(diff, index === 0 ? "left" : "right")} /> : undefined}
          </CandidatePanel>
        ))}
      </SimpleGrid>
    </Stack>
  );
}
