import { Input, Paper, Tabs, Textarea } from "@mantine/core";
import { useId, useState } from "react";
import { Guidelines } from "@/features/projects/components/guidelines";

interface GuidelinesEditorProps {
  value: string;
  onChange: (value: string) => void;
  error?: string;
  readOnly?: boolean;
}

/** Markdown guidelines with Write and Preview tabs. */
export function GuidelinesEditor({ value, onChange, error, readOnly = false }: GuidelinesEditorProps) {
  const [tab, setTab] = useState<string | null>("write");
  const labelId = useId();
  return (
    <Input.Wrapper
      labelElement="div"
      label="Guidelines"
      labelProps={{ id: labelId }}
      description="Markdown shown to annotators while they label"
      error={error}
    >
      <Tabs value={tab} onChange={setTab} mt={4} aria-labelledby={labelId}>
        <Tabs.List>
          <Tabs.Tab value="write">Write</Tabs.Tab>
          <Tabs.Tab value="preview">Preview</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="write" pt="xs">
          <Textarea
            aria-label="Guidelines"
            autosize
            minRows={6}
            maxRows={24}
            value={value}
            onChange={(event) => onChange(event.currentTarget.value)}
            error={Boolean(error)}
            readOnly={readOnly}
          />
        </Tabs.Panel>
        <Tabs.Panel value="preview" pt="xs">
          <Paper withBorder p="sm" mih={120}>
            <Guidelines source={value} />
          </Paper>
        </Tabs.Panel>
      </Tabs>
    </Input.Wrapper>
  );
}
