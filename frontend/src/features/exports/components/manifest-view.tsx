import { Button, Code, CopyButton, Group, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import type { Export } from "../types";
import { parseManifest } from "../utils/manifest";

function HashLine({ label, value }: { label: string; value: string }) {
  return (
    <Group gap="xs" wrap="nowrap" align="center">
      <Text size="sm" fw={500} miw={130}>
        {label}
      </Text>
      <Code style={{ wordBreak: "break-all" }} data-testid={`manifest-${label.startsWith("Content") ? "content" : "file"}-sha256`}>
        {value}
      </Code>
      <CopyButton value={value}>
        {({ copied, copy }) => (
          <Button size="compact-xs" variant="light" color={copied ? "teal" : "blue"} onClick={copy} aria-label={`Copy ${label}`}>
            {copied ? "Copied" : "Copy"}
          </Button>
        )}
      </CopyButton>
    </Group>
  );
}

function NameValueTable({ caption, rows, nameHeader, valueHeader }: {
  caption: string;
  rows: { name: string; value: string }[];
  nameHeader: string;
  valueHeader: string;
}) {
  return (
    <div>
      <Title order={4} size="h6" mb={4}>
        {caption}
      </Title>
      <Table withTableBorder verticalSpacing={4} fz="sm" aria-label={caption}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{nameHeader}</Table.Th>
            <Table.Th>{valueHeader}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={row.name}>
              <Table.Td>
                <Code>{row.name}</Code>
              </Table.Td>
              <Table.Td style={{ wordBreak: "break-word" }}>{row.value}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </div>
  );
}

/** A finished snapshot's manifest: counts, content hashes, the settings it was built with, and its columns. */
export function ManifestView({ snapshot, id }: { snapshot: Export; id: string }) {
  const manifest = parseManifest(snapshot.manifest);
  const label = `Manifest of export ${snapshot.id}`;
  if (!manifest) {
    return (
      <Text id={id} size="sm" c="dimmed">
        This export has no manifest.
      </Text>
    );
  }
  const contentSha = manifest.contentSha256 ?? snapshot.content_sha256;
  const fileSha = manifest.fileSha256 ?? snapshot.file_sha256;
  return (
    <Stack id={id} role="region" aria-label={label} gap="sm" py="xs" data-testid="export-manifest">
      <Group gap="lg">
        {manifest.counts.map((count) => (
          <div key={count.label}>
            <Text size="xs" c="dimmed">
              {count.label}
            </Text>
            <Text fw={600} data-testid="manifest-count">
              {count.value.toLocaleString()}
            </Text>
          </div>
        ))}
        {manifest.fileName && (
          <div>
            <Text size="xs" c="dimmed">
              File
            </Text>
            <Text fw={600}>{manifest.fileName}</Text>
          </div>
        )}
        {manifest.conversational !== null && (
          <div>
            <Text size="xs" c="dimmed">
              Prompts
            </Text>
            <Text fw={600}>{manifest.conversational ? "chat messages" : "plain text"}</Text>
          </div>
        )}
        {manifest.schemaVersion !== null && (
          <div>
            <Text size="xs" c="dimmed">
              Schema version
            </Text>
            <Text fw={600}>{manifest.schemaVersion}</Text>
          </div>
        )}
      </Group>
      <Stack gap={4}>
        {contentSha && <HashLine label="Content SHA-256" value={contentSha} />}
        {fileSha && <HashLine label="File SHA-256" value={fileSha} />}
        <Text size="xs" c="dimmed">
          The content hash covers the rows alone: the same rows give the same hash, whatever the file type.
        </Text>
      </Stack>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <NameValueTable caption="Settings" rows={manifest.settings} nameHeader="Option" valueHeader="Value" />
        <NameValueTable
          caption="Columns"
          rows={manifest.columns.map((column) => ({ name: column.name, value: column.type }))}
          nameHeader="Column"
          valueHeader="Type"
        />
      </SimpleGrid>
    </Stack>
  );
}
