import { Code, Group, List, Text } from "@mantine/core";
import type { ReceivedEvent } from "../hooks/use-project-events";
import { describeEvent } from "../utils/events";

const timeFormatter = new Intl.DateTimeFormat(undefined, { timeStyle: "medium" });

function EventTime({ at }: { at: string | null }) {
  const date = at ? new Date(at) : null;
  if (!at || !date || Number.isNaN(date.getTime())) {
    return null;
  }
  return (
    <Text component="time" dateTime={at} size="xs" c="dimmed">
      {timeFormatter.format(date)}
    </Text>
  );
}

export function EventFeed({ events }: { events: ReceivedEvent[] }) {
  return (
    <>
      {events.length === 0 && (
        <Text size="sm" c="dimmed">
          No events yet.
        </Text>
      )}
      <List data-testid="event-feed" listStyleType="none" spacing="xs" aria-label="Event feed">
        {events.map((event) => (
          <List.Item key={event.key} data-testid="event">
            <Group gap="xs" wrap="nowrap" align="baseline">
              <Code>{event.type}</Code>
              <Text size="sm" style={{ wordBreak: "break-word" }}>
                {describeEvent(event)}
              </Text>
              <EventTime at={event.at} />
            </Group>
          </List.Item>
        ))}
      </List>
    </>
  );
}
