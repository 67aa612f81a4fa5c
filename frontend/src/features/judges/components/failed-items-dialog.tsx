import { Anchor, Code, Modal, Table, Text } from "@mantine/core";
import { Link } from "react-router";
import type { JudgeRun, Project } from "@/api/types";
import { LoadMore } from "@/components/ui/load-more";
import { PageLoader, QueryError } from "@/components/ui/query-state";
import { useFailedPredictions } from "../api/get-failed-predictions";

function FailedItems({ project, run }: { project: Project; run: JudgeRun }) {
  const failed = useFailedPredictions(project.id, run.id);
  if (failed.isPending) {
    return <PageLoader label="Loading failed items" />;
  }
  if (failed.isError) {
    return <QueryError error={failed.error} title="Could not load failed items" onRetry={() => void failed.refetch()} />;
  }
  const rows = failed.data.pages.flatMap((page) => page.results);
  if (rows.length === 0) {
    return <Text c="dimmed">No failed items.</Text>;
  }
  return (
    <>
      <Table verticalSpacing="xs" aria-label={`Failed items of run ${run.id}`}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Item</Table.Th>
            <Table.Th>Question</Table.Th>
            <Table.Th>Error</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((prediction) => (
            <Table.Tr key={prediction.id} data-testid="failed-item">
              <Table.Td>
                <Anchor component={Link} to={`/projects/${project.id}/items?item=${prediction.item}`}>
                  {prediction.item}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <Code>{prediction.question_id}</Code>
              </Table.Td>
              <Table.Td>
                <Text size="sm" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
                  {prediction.error}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <LoadMore hasMore={failed.hasNextPage} loading={failed.isFetchingNextPage} onLoadMore={() => void failed.fetchNextPage()} />
    </>
  );
}

/** The items a run could not judge, with the reason for each; an item id opens it in the item browser. */
export function FailedItemsDialog({ project, run, onClose }: { project: Project; run: JudgeRun | null; onClose: () => void }) {
  return (
    <Modal opened={run !== null} onClose={onClose} title={run ? `Failed items of run #${run.id}` : ""} size="xl">
      {run && <FailedItems project={project} run={run} />}
    </Modal>
  );
}
