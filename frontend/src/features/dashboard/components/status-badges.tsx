import { Badge, Group, Text, Tooltip } from "@mantine/core";
import { LiveBadge } from "@/components/ui/live-badge";
import type { MetricsResponse } from "@/api/types";
import { DateTime } from "@/components/ui/date-time";
import type { SocketStatus } from "@/lib/ws";

const STATUS: Record<MetricsResponse["status"], { label: string; color: string; hint: string }> = {
  ready: { label: "up to date", color: "teal", hint: "These figures include every answer so far." },
  stale: { label: "updating", color: "yellow", hint: "New answers came in; the figures below are the last ones while they are recomputed." },
  computing: { label: "computing", color: "blue", hint: "The first report for this view is being computed." },
  failed: { label: "failed", color: "red", hint: "The last computation failed." },
};

interface StatusBadgesProps {
  metrics: MetricsResponse | undefined;
  /** The figures on screen belong to other filters while the new ones load. */
  loadingFilters: boolean;
  socketStatus: SocketStatus;
}

/** How fresh the figures are, and whether they update live. */
export function StatusBadges({ metrics, loadingFilters, socketStatus }: StatusBadgesProps) {
  const status = metrics ? STATUS[metrics.status] : null;
  return (
    <Group gap="xs">
      <LiveBadge status={socketStatus} />
      {loadingFilters ? (
        <Badge color="gray" variant="light" data-testid="metrics-status">
          loading filters
        </Badge>
      ) : (
        status && (
          <Tooltip label={status.hint} multiline w={260}>
            <Badge color={status.color} variant="light" data-testid="metrics-status">
              {status.label}
            </Badge>
          </Tooltip>
        )
      )}
      {metrics?.computed_at && (
        <Text size="xs" c="dimmed">
          Computed <DateTime value={metrics.computed_at} /> in {Math.round(metrics.duration_ms).toLocaleString("en-US")} ms
        </Text>
      )}
    </Group>
  );
}
