import { Code, Group, Text } from "@mantine/core";
import type { LabelingItem } from "@/api/types";

/** External id and metadata; rendered only for projects that are not blinded. */
export function ItemDetails({ item }: { item: LabelingItem }) {
  const meta = Object.entries(item.meta);
  return (
    <Group gap="md" wrap="wrap">
      <Text size="xs" c="dimmed">
        Item <Code>{item.external_id}</Code>
      </Text>
      {meta.map(([key, value]) => (
        <Text key={key} size="xs" c="dimmed">
          {key}: <Code>{typeof value === "string" ? value : JSON.stringify(value)}</Code>
        </Text>
      ))}
    </Group>
  );
}
