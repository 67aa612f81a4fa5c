import { Group, Paper, Stack, Text, Title } from "@mantine/core";
import { useState } from "react";
import type { Project } from "@/api/types";
import { LiveBadge } from "@/components/ui/live-badge";
import { LoadMore } from "@/components/ui/load-more";
import { PageLoader, QueryError } from "@/components/ui/query-state";
import type { SocketStatus } from "@/lib/ws";
import { useExports } from "../api/get-exports";
import type { Export } from "../types";
import { cachedExports } from "../utils/export-cache";
import { DeleteExportDialog } from "./delete-export-dialog";
import { ExportForm } from "./export-form";
import { ExportsTable } from "./exports-table";

interface ExportsPageProps {
  project: Project;
  /** The live events connection that keeps build progress current. */
  socketStatus: SocketStatus;
}

/** A project's dataset exports: a form to build a new snapshot, and the snapshots built so far. */
export function ExportsPage({ project, socketStatus }: ExportsPageProps) {
  const exports = useExports(project.id, { live: socketStatus === "live" });
  const [deleting, setDeleting] = useState<Export | null>(null);

  let body;
  if (exports.isPending) {
    body = <PageLoader label="Loading exports" />;
  } else if (exports.isError) {
    body = <QueryError error={exports.error} title="Could not load exports" onRetry={() => void exports.refetch()} />;
  } else {
    const rows = cachedExports(exports.data);
    body =
      rows.length === 0 ? (
        <Text c="dimmed" data-testid="exports-empty">
          No exports yet. Create one above to snapshot this project's labels as a training file.
        </Text>
      ) : (
        <>
          <ExportsTable exports={rows} labelledBy="exports-heading" onDelete={setDeleting} />
          <LoadMore
            hasMore={exports.hasNextPage}
            loading={exports.isFetchingNextPage}
            onLoadMore={() => void exports.fetchNextPage()}
          />
        </>
      );
  }

  return (
    <Stack>
      <Paper withBorder p="md" component="section" aria-labelledby="new-export-heading">
        <Title order={2} size="h4" mb="sm" id="new-export-heading">
          New export
        </Title>
        <ExportForm project={project} />
      </Paper>
      <section aria-labelledby="exports-heading">
        <Group justify="space-between" mb="xs">
          <Title order={2} size="h4" id="exports-heading">
            Snapshots
          </Title>
          <LiveBadge status={socketStatus} />
        </Group>
        {body}
      </section>
      <DeleteExportDialog projectId={project.id} snapshot={deleting} onClose={() => setDeleting(null)} />
    </Stack>
  );
}
