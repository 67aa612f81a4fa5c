import { Group, Paper, Stack, Title } from "@mantine/core";
import { useId, type ReactNode } from "react";

interface SectionProps {
  title: string;
  /** Beside the title, such as when the figures date from. */
  aside?: ReactNode;
  children: ReactNode;
}

/** One titled part of the page, a landmark named by its heading. */
export function Section({ title, aside, children }: SectionProps) {
  const id = useId();
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby={id}>
      <Stack gap="sm">
        <Group justify="space-between" align="baseline">
          <Title order={2} size="h4" id={id}>
            {title}
          </Title>
          {aside}
        </Group>
        {children}
      </Stack>
    </Paper>
  );
}
