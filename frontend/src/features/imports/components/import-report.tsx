import { Alert, Anchor, Group, Stack, Table, Text } from "@mantine/core";
import { Link } from "react-router";
import type { ImportError, ImportResult } from "@/api/types";

/** The server reports at most this many problems before it stops scanning. */
const MAX_REPORTED = 50;

export function ImportSummary({ result, projectId }: { result: ImportResult; projectId: number }) {
  return (
    <Alert color="teal" title="Import finished" data-testid="import-result" role="status">
      <Stack gap={4}>
        <Group gap="lg">
          <Text size="sm">
            <strong data-testid="import-created">{result.created}</strong> created
          </Text>
          <Text size="sm">
            <strong data-testid="import-updated">{result.updated}</strong> updated
          </Text>
          <Text size="sm">
            <strong data-testid="import-unchanged">{result.unchanged}</strong> unchanged
          </Text>
          {result.references > 0 && (
            <Text size="sm">
              <strong>{result.references}</strong> reference annotations
            </Text>
          )}
          {result.annotations > 0 && (
            <Text size="sm">
              <strong data-testid="import-annotations">{result.annotations}</strong> annotations
            </Text>
          )}
        </Group>
        <Text size="sm" c="dimmed">
          Read as {result.format}.{" "}
          <Anchor component={Link} to={`/projects/${projectId}/items`} size="sm">
            Browse the items
          </Anchor>
        </Text>
      </Stack>
    </Alert>
  );
}

export function ImportErrorTable({ errors }: { errors: ImportError[] }) {
  const showFile = errors.some((error) => error.file);
  return (
    <Alert color="red" title="Nothing was imported" role="alert">
      <Stack gap="xs">
        <Text size="sm">
          An import is all or nothing, and {errors.length === 1 ? "this problem" : `these ${errors.length} problems`}{" "}
          stopped it. Fix the rows and upload again.
          {errors.length >= MAX_REPORTED && ` Only the first ${MAX_REPORTED} problems are listed.`}
        </Text>
        <Table.ScrollContainer minWidth={480}>
          <Table data-testid="import-errors" verticalSpacing={4} fz="sm" withTableBorder aria-label="Import errors">
            <Table.Thead>
              <Table.Tr>
                {showFile && <Table.Th>File</Table.Th>}
                <Table.Th>Line</Table.Th>
                <Table.Th>Field</Table.Th>
                <Table.Th>Message</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {errors.map((error, index) => (
                // Errors carry no id and may repeat a line; their order is the report's.
                <Table.Tr key={index} data-testid="import-error">
                  {showFile && <Table.Td>{error.file || "—"}</Table.Td>}
                  <Table.Td>{error.line > 0 ? error.line : "whole file"}</Table.Td>
                  <Table.Td>{error.field ?? "—"}</Table.Td>
                  <Table.Td style={{ overflowWrap: "anywhere" }}>{error.message}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Stack>
    </Alert>
  );
}
