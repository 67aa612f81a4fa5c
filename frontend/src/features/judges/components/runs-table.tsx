import { Alert, Button, Group, Table, Text, Title, VisuallyHidden } from "@mantine/core";
import { useState } from "react";
import type { Judge, JudgeRun, Project } from "@/api/types";
import { DateTime } from "@/components/ui/date-time";
import { errorMessage } from "@/components/ui/error-message";
import { LoadMore } from "@/components/ui/load-more";
import { PageLoader, QueryError } from "@/components/ui/query-state";
import { useCancelJudgeRun } from "../api/cancel-judge-run";
import { useJudgeRuns } from "../api/get-judge-runs";
import { formatEta, formatRate, isActive } from "../utils/run-format";
import { describeScope } from "../utils/run-scope";
import { FailedItemsDialog } from "./failed-items-dialog";
import { RunProgress, RunStatusBadge } from "./run-progress";

function When({ value }: { value: string | null }) {
  return value ? <DateTime value={value} /> : <>—</>;
}

interface RunsTableProps {
  project: Project;
  judge: Judge;
  canManage: boolean;
}

/** A judge's runs, newest first, kept current by live progress events. */
export function RunsTable({ project, judge, canManage }: RunsTableProps) {
  const runs = useJudgeRuns(project.id, judge.id);
  const cancel = useCancelJudgeRun(project.id);
  const [failedOf, setFailedOf] = useState<JudgeRun | null>(null);
  const titleId = `judge-${judge.id}-runs`;

  let body;
  if (runs.isPending) {
    body = <PageLoader label="Loading runs" />;
  } else if (runs.isError) {
    body = <QueryError error={runs.error} title="Could not load runs" onRetry={() => void runs.refetch()} />;
  } else {
    const rows = runs.data.pages.flatMap((page) => page.results);
    body =
      rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          This judge has not run yet.
        </Text>
      ) : (
        <>
          <Table.ScrollContainer minWidth={900}>
            <Table verticalSpacing="xs" aria-labelledby={titleId} data-testid="runs-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Run</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Progress</Table.Th>
                  <Table.Th>Speed</Table.Th>
                  <Table.Th>Time left</Table.Th>
                  <Table.Th>Started</Table.Th>
                  <Table.Th>Finished</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((run) => (
                  <Table.Tr key={run.id} data-testid="run-row" data-run={run.id}>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        #{run.id}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {describeScope(run.scope)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <RunStatusBadge status={run.status} />
                      {run.error && (
                        <Text size="xs" c="red" maw={260} data-testid="run-error">
                          {run.error}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <RunProgress run={run} />
                    </Table.Td>
                    <Table.Td>{formatRate(run.items_per_s)}</Table.Td>
                    <Table.Td>{isActive(run.status) ? formatEta(run.eta_s) : "—"}</Table.Td>
                    <Table.Td>
                      <When value={run.started_at} />
                    </Table.Td>
                    <Table.Td>
                      <When value={run.finished_at} />
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4} wrap="nowrap" justify="flex-end">
                        {run.failed_items > 0 && (
                          <Button
                            size="compact-sm"
                            variant="subtle"
                            aria-label={`Failed items of run ${run.id}`}
                            onClick={() => setFailedOf(run)}
                          >
                            Failed items
                          </Button>
                        )}
                        {canManage && isActive(run.status) && (
                          <Button
                            size="compact-sm"
                            variant="subtle"
                            color="red"
                            aria-label={`Cancel run ${run.id}`}
                            loading={cancel.isPending && cancel.variables === run.id}
                            onClick={() => cancel.mutate(run.id)}
                          >
                            Cancel
                          </Button>
                        )}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <LoadMore hasMore={runs.hasNextPage} loading={runs.isFetchingNextPage} onLoadMore={() => void runs.fetchNextPage()} />
        </>
      );
  }

  return (
    <div>
      <Title order={3} size="h5" mb={4} id={titleId}>
        Runs
      </Title>
      {cancel.isError && (
        <Alert color="red" role="alert" withCloseButton onClose={() => cancel.reset()} closeButtonLabel="Dismiss" mb="xs">
          Could not cancel the run: {errorMessage(cancel.error)}
        </Alert>
      )}
      {body}
      <FailedItemsDialog project={project} run={failedOf} onClose={() => setFailedOf(null)} />
    </div>
  );
}
