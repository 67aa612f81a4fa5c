import { Badge, Progress, Stack, Text } from "@mantine/core";
import type { Export, ExportStatus } from "../types";
import { exportProgress } from "../utils/progress";

const STATUS_COLORS: Record<ExportStatus, string> = {
  queued: "gray",
  running: "blue",
  done: "teal",
  failed: "red",
};

export function ExportStatusBadge({ status }: { status: ExportStatus }) {
  return (
    <Badge variant="light" color={STATUS_COLORS[status]} data-testid="export-status">
      {status}
    </Badge>
  );
}

/** Items read so far out of the project's items, as a bar and as numbers. */
export function ExportProgress({ snapshot }: { snapshot: Pick<Export, "id" | "status" | "items_done" | "items_total"> }) {
  const { done, total, percent } = exportProgress(snapshot);
  const counts = snapshot.status === "done" ? `${done} items read` : `${done} / ${total} items`;
  return (
    <Stack gap={2} w={160}>
      <Progress.Root
        size="md"
        role="progressbar"
        aria-label={`Export ${snapshot.id} progress`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(percent)}
        aria-valuetext={counts}
      >
        {/* One progressbar for the whole bar; the section only colours it. */}
        <Progress.Section
          withAria={false}
          value={percent}
          color={STATUS_COLORS[snapshot.status]}
          animated={snapshot.status === "running"}
        />
      </Progress.Root>
      <Text size="xs" c="dimmed" data-testid="export-counts">
        {counts}
      </Text>
    </Stack>
  );
}
