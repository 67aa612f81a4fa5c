import { Drawer, Group, Kbd, Modal, Stack, Table, Text } from "@mantine/core";
import { SHORTCUT_GROUPS } from "../utils/shortcuts";
import { MarkdownText } from "./markdown-text";

interface GuidelinesDrawerProps {
  opened: boolean;
  source: string;
  onClose: () => void;
}

export function GuidelinesDrawer({ opened, source, onClose }: GuidelinesDrawerProps) {
  return (
    <Drawer opened={opened} onClose={onClose} position="right" size="lg" title="Guidelines">
      {source.trim() ? <MarkdownText source={source} /> : <Text c="dimmed">This project has no guidelines.</Text>}
    </Drawer>
  );
}

export function ShortcutsModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} size="lg" title="Keyboard shortcuts">
      <Stack gap="md">
        {SHORTCUT_GROUPS.map((group) => (
          <div key={group.title}>
            <Text fw={600} size="sm" mb={4}>
              {group.title}
            </Text>
            <Table withRowBorders={false} verticalSpacing={2}>
              <Table.Tbody>
                {group.shortcuts.map((shortcut) => (
                  <Table.Tr key={shortcut.action}>
                    <Table.Td w={170}>
                      <Group gap={4}>
                        {shortcut.keys.map((key) =>
                          key === "…" ? (
                            <Text key={key} span size="xs">
                              …
                            </Text>
                          ) : (
                            <Kbd key={key} size="xs">
                              {key}
                            </Kbd>
                          ),
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{shortcut.action}</Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </div>
        ))}
      </Stack>
    </Modal>
  );
}
