import { Group, Stack, Title } from "@mantine/core";
import { usePageTitle } from "@/components/ui/use-page-title";
import { NewProjectButton } from "@/features/projects/components/new-project-button";
import { ProjectList } from "@/features/projects/components/project-list";

export function ProjectsRoute() {
  usePageTitle("Projects");
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>Projects</Title>
        <NewProjectButton />
      </Group>
      <ProjectList />
    </Stack>
  );
}
