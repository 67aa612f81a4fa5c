import { ActionIcon, Button, Group, Kbd, Paper, Text } from "@mantine/core";
import type { ReactNode } from "react";
import type { LabelingProgress } from "@/api/types";
import type { ItemClock } from "../utils/item-clock";
import { ItemTimer } from "./item-timer";

interface LabelingHeaderProps {
  progress: LabelingProgress;
  clock: ItemClock;
  outboxStatus: ReactNode;
  canSubmit: boolean;
  busy: boolean;
  onSubmit: () => void;
  onSkip: () => void;
  onGuidelines: () => void;
  onHelp: () => void;
}

/** Sticky bar: progress, time on this item, pending answers, and the item's actions with their keys. */
export function LabelingHeader(props: LabelingHeaderProps) {
  const { progress, clock, outboxStatus, canSubmit, busy } = props;
  return (
    <Paper
      withBorder
      px="sm"
      py={6}
      style={{ position: "sticky", top: "var(--app-shell-header-offset, 0px)", zIndex: 5 }}
    >
      <Group justify="space-between" gap="xs">
        <Group gap="md">
          <Text size="sm" data-testid="progress">
            <b>{progress.submitted_by_me}</b> submitted by you · <b>{progress.open_items}</b> open
          </Text>
          <ItemTimer clock={clock} />
          {outboxStatus}
        </Group>
        <Group gap="xs">
          <Button
            variant="subtle"
            size="xs"
            onClick={props.onGuidelines}
            aria-keyshortcuts="g"
            rightSection={<Kbd size="xs">g</Kbd>}
          >
            Guidelines
          </Button>
          <ActionIcon variant="subtle" aria-label="Keyboard shortcuts" aria-keyshortcuts="?" onClick={props.onHelp}>
            ?
          </ActionIcon>
          <Button
            variant="default"
            size="xs"
            disabled={busy}
            onClick={props.onSkip}
            aria-label="Skip"
            aria-keyshortcuts="s"
            rightSection={<Kbd size="xs">s</Kbd>}
          >
            Skip
          </Button>
          <Button
            size="xs"
            disabled={!canSubmit || busy}
            onClick={props.onSubmit}
            aria-label="Submit"
            aria-keyshortcuts="Enter"
            rightSection={<Kbd size="xs">Enter</Kbd>}
          >
            Submit
          </Button>
        </Group>
      </Group>
    </Paper>
  );
}
