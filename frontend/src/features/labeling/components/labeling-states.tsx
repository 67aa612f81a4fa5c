import { Alert, Button, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { Link } from "react-router";

/** Shown when `next` answers 204: nothing is left for this person. */
interface DoneStateProps {
  projectId: number;
  checking: boolean;
  onCheckAgain: () => void;
}

export function DoneState({ projectId, checking, onCheckAgain }: DoneStateProps) {
  return (
    <Paper withBorder p="xl">
      <Stack align="flex-start" gap="sm">
        <Title order={2}>Nothing left to label</Title>
        <Text>You’re done for now. New items may arrive later; check again any time.</Text>
        <Group>
          <Button variant="light" loading={checking} onClick={onCheckAgain}>
            Check again
          </Button>
          <Button component={Link} to={`/projects/${projectId}`} variant="default">
            Back to the project
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

/** The answer for the item on screen is stored on this device and waits for the server. */
export function WaitingState({ lastError, onRetry }: { lastError: string | null; onRetry: () => void }) {
  return (
    <Alert color="orange" title="Your answer is saved on this device" role="status">
      <Stack gap="xs" align="flex-start">
        <Text size="sm">
          It could not reach the server yet and is being retried automatically. The next item loads as soon as
          it goes through; nothing you entered is lost if you close or reload this page.
        </Text>
        {lastError && (
          <Text size="xs" c="dimmed">
            Last error: {lastError}
          </Text>
        )}
        <Button size="xs" variant="light" color="orange" onClick={onRetry}>
          Retry now
        </Button>
      </Stack>
    </Alert>
  );
}
