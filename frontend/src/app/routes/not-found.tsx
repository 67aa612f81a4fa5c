import { Button, Stack, Text, Title } from "@mantine/core";
import { Link } from "react-router";
import { usePageTitle } from "@/components/ui/use-page-title";

export function NotFound({ title = "Page not found" }: { title?: string }) {
  usePageTitle(title);
  return (
    <Stack align="flex-start" py="xl">
      <Title order={1}>{title}</Title>
      <Text c="dimmed">It may have been moved, or you may not have access to it.</Text>
      <Button component={Link} to="/" variant="light">
        Back to projects
      </Button>
    </Stack>
  );
}
