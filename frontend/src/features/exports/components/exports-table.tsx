import { Anchor, Button, Group, Table, Text, VisuallyHidden } from "@mantine/core";
import { Fragment, useState } from "react";
import { isRecord } from "@/api/client";
import { DateTime } from "@/components/ui/date-time";
import { formatBytes } from "@/features/imports/utils/import-errors";
import type { Export } from "../types";
import { fileTypeLabel, formatLabel } from "../utils/options";
import { ExportProgress, ExportStatusBadge } from "./export-progress";
import { ManifestView } from "./manifest-view";

const COLUMNS = 7;

function questionOf(snapshot: Export): string | null {
  return isRecord(snapshot.options) && typeof snapshot.options.question === "string" ? snapshot.options.question : null;
}

/** Where a snapshot asked to be pushed to the Hub: the commit once pushed, or why it wasn't. */
function HubState({ snapshot }: { snapshot: Export }) {
  if (!snapshot.hub_repo) return null;
  if (snapshot.hub_url) {
    return (
      <Anchor href={snapshot.hub_url} target="_blank" rel="noreferrer" size="xs" display="block" data-testid="export-hub">
        On the Hub: {snapshot.hub_repo}
      </Anchor>
    );
  }
  if (snapshot.hub_error) {
    return (
      <Text size="xs" c="red" maw={280} data-testid="export-hub">
        Not pushed to {snapshot.hub_repo}: {snapshot.hub_error}
      </Text>
    );
  }
  return (
    <Text size="xs" c="dimmed" data-testid="export-hub">
      {snapshot.status === "failed" ? `Not pushed to ${snapshot.hub_repo}` : `Then pushed to ${snapshot.hub_repo}`}
    </Text>
  );
}

interface ExportsTableProps {
  exports: Export[];
  /** The id of the heading that names the table. */
  labelledBy: string;
  onDelete: (snapshot: Export) => void;
}

/** A project's snapshots, newest first: progress while they build, then their file and manifest. */
export function ExportsTable({ exports, labelledBy, onDelete }: ExportsTableProps) {
  const [open, setOpen] = useState<number | null>(null);
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table verticalSpacing="xs" aria-labelledby={labelledBy} data-testid="exports-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Export</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Progress</Table.Th>
            <Table.Th>Rows</Table.Th>
            <Table.Th>Size</Table.Th>
            <Table.Th>Created</Table.Th>
            <Table.Th>
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {exports.map((snapshot) => {
            const done = snapshot.status === "done";
            const question = questionOf(snapshot);
            const manifestId = `export-${snapshot.id}-manifest`;
            const expanded = open === snapshot.id && done;
            return (
              <Fragment key={snapshot.id}>
                <Table.Tr data-testid="export-row" data-export={snapshot.id}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      #{snapshot.id}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {formatLabel(snapshot.format)} · {fileTypeLabel(snapshot.file_type)}
                      {question && ` · ${question}`}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <ExportStatusBadge status={snapshot.status} />
                    {snapshot.error && (
                      <Text size="xs" c="red" maw={280} data-testid="export-error">
                        {snapshot.error}
                      </Text>
                    )}
                    <HubState snapshot={snapshot} />
                  </Table.Td>
                  <Table.Td>
                    <ExportProgress snapshot={snapshot} />
                  </Table.Td>
                  <Table.Td data-testid="export-rows">{done ? snapshot.rows.toLocaleString() : "—"}</Table.Td>
                  <Table.Td data-testid="export-size">{done ? formatBytes(snapshot.size_bytes) : "—"}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{snapshot.created_by ?? "—"}</Text>
                    <Text size="xs" c="dimmed">
                      <DateTime value={snapshot.created_at} />
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap" justify="flex-end">
                      {done && snapshot.download_url && (
                        <Button
                          component="a"
                          href={snapshot.download_url}
                          download
                          size="compact-sm"
                          variant="light"
                          aria-label={`Download export ${snapshot.id}`}
                        >
                          Download
                        </Button>
                      )}
                      {done && (
                        <Button
                          size="compact-sm"
                          variant="subtle"
                          aria-label={`Manifest of export ${snapshot.id}`}
                          aria-expanded={expanded}
                          aria-controls={expanded ? manifestId : undefined}
                          onClick={() => setOpen(expanded ? null : snapshot.id)}
                        >
                          Manifest
                        </Button>
                      )}
                      <Button
                        size="compact-sm"
                        variant="subtle"
                        color="red"
                        aria-label={`Delete export ${snapshot.id}`}
                        onClick={() => onDelete(snapshot)}
                      >
                        Delete
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
                {expanded && (
                  <Table.Tr>
                    <Table.Td colSpan={COLUMNS}>
                      <ManifestView snapshot={snapshot} id={manifestId} />
                    </Table.Td>
                  </Table.Tr>
                )}
              </Fragment>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
