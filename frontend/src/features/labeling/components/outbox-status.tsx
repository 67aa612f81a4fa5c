import { Badge, Button, Group } from "@mantine/core";
import type { OutboxEntry } from "../utils/outbox";

/** "1 answer pending — retrying" while any sent answer has not reached the server yet. */
export function OutboxStatus({ entries, onRetry }: { entries: OutboxEntry[]; onRetry: () => void }) {
  const waiting = entries.filter((entry) => entry.attempts > 0);
  if (waiting.length === 0) {
    return null;
  }
  const count = waiting.length;
  const lastError = waiting.find((entry) => entry.lastError)?.lastError;
  return (
    <Group gap={4} wrap="nowrap">
      <Badge
        color="orange"
        variant="light"
        tt="none"
        data-testid="outbox-status"
        role="status"
        title={lastError ? `Last error: ${lastError}` : undefined}
      >
        {count} {count === 1 ? "answer" : "answers"} pending — retrying
      </Badge>
      <Button size="compact-xs" variant="subtle" color="orange" onClick={onRetry}>
        Retry now
      </Button>
    </Group>
  );
}
