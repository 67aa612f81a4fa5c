import { Badge, Group, Progress, Stack, Text } from "@mantine/core";
import type { JudgeRun } from "@/api/types";
import { RUN_STATUS_COLORS, runProgress } from "../utils/run-format";

type RunCounters = Pick<JudgeRun, "id" | "status" | "done_items" | "failed_items" | "total_items">;

export function RunStatusBadge({ status }: { status: JudgeRun["status"] }) {
  return (
    <Badge variant="light" color={RUN_STATUS_COLORS[status]} data-testid="run-status">
      {status}
    </Badge>
  );
}

/** A run's progress bar with "handled / total" (and failures), failures shown in red. */
export function RunProgress({ run, width = 180 }: { run: RunCounters; width?: number }) {
  const { handled, total, percent } = runProgress(run);
  const failedShare = total > 0 ? (run.failed_items / total) * 100 : 0;
  return (
    <Stack gap={2} w={width}>
      <Progress.Root
        size="md"
        aria-label={`Run ${run.id} progress`}
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(percent)}
        aria-valuetext={`${handled} of ${total} items`}
      >
        {/* One progressbar for the whole bar; the sections only colour it. */}
        <Progress.Section withAria={false} value={percent - failedShare} color={RUN_STATUS_COLORS[run.status]} />
        {failedShare > 0 && <Progress.Section withAria={false} value={failedShare} color="red" />}
      </Progress.Root>
      <Text size="xs" c="dimmed" data-testid="run-counts">
        {handled} / {total}
        {run.failed_items > 0 && ` · ${run.failed_items} failed`}
      </Text>
    </Stack>
  );
}

/** Status badge and progress bar side by side, for tables. */
export function RunSummary({ run }: { run: RunCounters }) {
  return (
    <Group gap="xs" wrap="nowrap" align="center">
      <RunStatusBadge status={run.status} />
      <RunProgress run={run} width={140} />
    </Group>
  );
}
