import "@mantine/dropzone/styles.css";
import { ActionIcon, Alert, Button, Group, JsonInput, Paper, Select, SimpleGrid, Stack, Text, TextInput } from "@mantine/core";
import { Dropzone, type FileRejection } from "@mantine/dropzone";
import { useState, type FormEvent } from "react";
import { isApiError, isRecord } from "@/api/client";
import type { ImportFileType, ImportFormat, Project } from "@/api/types";
import { errorMessage } from "@/components/ui/error-message";
import { useImportItems } from "../api/import-items";
import { ACCEPTED_FILES, FILE_TYPES, IMPORT_FORMATS, MAPPING_TEMPLATE } from "../utils/formats";
import { formatBytes, importErrorsFrom } from "../utils/import-errors";
import { ImportErrorTable, ImportSummary } from "./import-report";

function mappingProblem(text: string): string | null {
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? null : "The mapping must be a JSON object.";
  } catch {
    return "The mapping is not valid JSON.";
  }
}

function sameFile(a: File, b: File): boolean {
  return a.name === b.name && a.size === b.size && a.lastModified === b.lastModified;
}

/** Upload JSONL, CSV or Parquet files into a project, in a known layout or through a mapping. */
export function ImportForm({ project }: { project: Project }) {
  const importItems = useImportItems(project.id);
  const [files, setFiles] = useState<File[]>([]);
  const [rejected, setRejected] = useState<string[]>([]);
  const [format, setFormat] = useState<ImportFormat>("auto");
  const [fileType, setFileType] = useState<ImportFileType | null>(null);
  const [mapping, setMapping] = useState(MAPPING_TEMPLATE);
  const [reference, setReference] = useState("");
  const [problem, setProblem] = useState<string | null>(null);

  const formatInfo = IMPORT_FORMATS.find((info) => info.value === format);
  const mappingError = format === "mapping" ? mappingProblem(mapping) : null;

  const addFiles = (accepted: File[]) => {
    setFiles((previous) => [...previous, ...accepted.filter((file) => !previous.some((old) => sameFile(old, file)))]);
    setRejected([]);
    setProblem(null);
    importItems.reset();
  };

  const rejectFiles = (rejections: FileRejection[]) =>
    setRejected(rejections.map(({ file }) => `${file.name} is not a JSONL, CSV or Parquet file.`));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (files.length === 0) {
      setProblem("Choose at least one file to import.");
      return;
    }
    if (mappingError) {
      setProblem(mappingError);
      return;
    }
    setProblem(null);
    importItems.mutate(
      {
        files,
        format,
        fileType: fileType ?? undefined,
        mapping: format === "mapping" ? mapping : undefined,
        referenceAnnotator: reference.trim() || undefined,
      },
      { onSuccess: () => setFiles([]) },
    );
  };

  const rowErrors = importItems.isError && isApiError(importItems.error) ? importErrorsFrom(importItems.error.body) : null;

  return (
    <form onSubmit={submit} noValidate aria-label="Import items">
      <Stack>
        <Dropzone
          onDrop={addFiles}
          onReject={rejectFiles}
          accept={ACCEPTED_FILES}
          multiple
          useFsAccessApi={false}
          loading={importItems.isPending}
          inputProps={{ "aria-label": "Files" }}
        >
          <Stack align="center" gap={4} py="lg" style={{ pointerEvents: "none" }}>
            <Text fw={600}>Drop files here, or click to choose</Text>
            <Text size="sm" c="dimmed">
              JSONL, CSV or Parquet (JSONL and CSV may be gzipped). Several files are read in order.
            </Text>
          </Stack>
        </Dropzone>
        {rejected.map((line) => (
          <Text key={line} size="sm" c="red" role="alert">
            {line}
          </Text>
        ))}
        {files.length > 0 && (
          <Paper withBorder p="xs">
            <Stack gap={4} data-testid="import-files">
              {files.map((file, index) => (
                <Group key={`${file.name}-${file.size}-${file.lastModified}`} justify="space-between" wrap="nowrap">
                  <Text size="sm" truncate="end">
                    {file.name}{" "}
                    <Text span size="xs" c="dimmed">
                      {formatBytes(file.size)}
                    </Text>
                  </Text>
                  <ActionIcon
                    variant="subtle"
                    color="gray"
                    aria-label={`Remove ${file.name}`}
                    onClick={() => setFiles((previous) => previous.filter((_, i) => i !== index))}
                  >
                    ×
                  </ActionIcon>
                </Group>
              ))}
            </Stack>
          </Paper>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select
            label="Layout"
            description={formatInfo?.description}
            data={IMPORT_FORMATS.map((info) => ({ value: info.value, label: info.label }))}
            value={format}
            onChange={(value) => {
              const chosen = IMPORT_FORMATS.find((info) => info.value === value);
              if (chosen) setFormat(chosen.value);
            }}
            allowDeselect={false}
            renderOption={({ option }) => {
              const info = IMPORT_FORMATS.find((entry) => entry.value === option.value);
              return (
                <div>
                  <Text size="sm">{option.label}</Text>
                  <Text size="xs" c="dimmed">
                    {info?.description}
                  </Text>
                </div>
              );
            }}
          />
          <Select
            label="File type"
            description="Leave empty to go by the file names (.jsonl, .csv, .parquet)"
            placeholder="From the file names"
            data={FILE_TYPES}
            value={fileType}
            onChange={(value) => setFileType(FILE_TYPES.find((type) => type.value === value)?.value ?? null)}
            clearable
          />
        </SimpleGrid>
        {format === "mapping" && (
          <JsonInput
            label="Mapping"
            description="Item fields as dotted paths into each row (e.g. messages.0.content); use group_by with a candidate mapping to join rows, such as one file per model, into one item."
            autosize
            minRows={6}
            maxRows={24}
            value={mapping}
            onChange={setMapping}
            error={mappingError}
          />
        )}
        <TextInput
          label="Reference annotator"
          description="Optional: keep labels found in the source (chosen/rejected, winner, ratings) as accepted annotations by this username."
          value={reference}
          onChange={(event) => setReference(event.currentTarget.value)}
          maw={420}
        />
        {problem && (
          <Text size="sm" c="red" role="alert">
            {problem}
          </Text>
        )}
        <Group>
          <Button type="submit" loading={importItems.isPending}>
            Import
          </Button>
        </Group>
        {importItems.isSuccess && <ImportSummary result={importItems.data} projectId={project.id} />}
        {importItems.isError &&
          (rowErrors && rowErrors.length > 0 ? (
            <ImportErrorTable errors={rowErrors} />
          ) : (
            <Alert color="red" title="Nothing was imported" role="alert">
              {errorMessage(importItems.error)}
            </Alert>
          ))}
      </Stack>
    </form>
  );
}
