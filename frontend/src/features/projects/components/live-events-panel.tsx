import { Badge, Button, Group, Paper, Stack, Text, Title } from "@mantine/core";
import type { SocketStatus, WebSocketFactory } from "@/lib/ws";
import { errorMessage } from "@/components/ui/error-message";
import { usePingWorker } from "../api/ping-worker";
import { useProjectEvents } from "../hooks/use-project-events";
import { EventFeed } from "./event-feed";

const STATUS_COLORS: Record<SocketStatus, string> = {
  connecting: "gray",
  live: "green",
  reconnecting: "orange",
};

interface LiveEventsPanelProps {
  projectId: number;
  createSocket?: WebSocketFactory;
}

export function LiveEventsPanel({ projectId, createSocket }: LiveEventsPanelProps) {
  const { status, events } = useProjectEvents(projectId, { createSocket });
  const ping = usePingWorker(projectId);

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="live-events-title">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h4" id="live-events-title">
            Live events
          </Title>
          <Badge color={STATUS_COLORS[status]} variant="dot" data-testid="ws-status" role="status">
            {status}
          </Badge>
        </Group>
        <Group>
          <Button size="xs" variant="light" loading={ping.isPending} onClick={() => ping.mutate()}>
            Ping worker
          </Button>
          {ping.isError && (
            <Text size="sm" c="red" role="alert">
              {errorMessage(ping.error)}
            </Text>
          )}
        </Group>
        <EventFeed events={events} />
      </Stack>
    </Paper>
  );
}
