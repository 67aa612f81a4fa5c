import { Button, Group, Text } from "@mantine/core";
import { useState } from "react";
import { csvBlob, type CsvTable } from "../utils/csv";
import { downloadBlob } from "../utils/download";

interface DownloadsProps {
  /** What is downloaded, for the buttons' accessible names. */
  name: string;
  /** File name without extension. */
  file: string;
  csv: CsvTable;
  /** Renders the PNG; absent for tables. */
  png?: () => Promise<Blob>;
}

/** PNG and CSV download buttons for one chart or table. */
export function Downloads({ name, file, csv, png }: DownloadsProps) {
  const [error, setError] = useState<string | null>(null);
  const [rendering, setRendering] = useState(false);

  const savePng = async () => {
    if (!png) return;
    setError(null);
    setRendering(true);
    try {
      downloadBlob(`${file}.png`, await png());
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : "Could not save the image.");
    } finally {
      setRendering(false);
    }
  };

  return (
    <Group gap={4} wrap="nowrap">
      {error && (
        <Text size="xs" c="red" role="alert">
          {error}
        </Text>
      )}
      {png && (
        <Button size="compact-xs" variant="default" loading={rendering} aria-label={`Download ${name} as PNG`} onClick={() => void savePng()}>
          PNG
        </Button>
      )}
      <Button
        size="compact-xs"
        variant="default"
        aria-label={`Download ${name} as CSV`}
        onClick={() => downloadBlob(`${file}.csv`, csvBlob(csv.header, csv.rows))}
      >
        CSV
      </Button>
    </Group>
  );
}
