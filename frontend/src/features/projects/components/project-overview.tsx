import { Grid, Group, Paper, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import type { ReactNode } from "react";
import type { Project } from "@/api/types";
import { usePageTitle } from "@/components/ui/use-page-title";
import { LabelButton } from "@/features/labeling";
import { Guidelines } from "./guidelines";
import { LiveEventsPanel } from "./live-events-panel";
import { MembersTable } from "./members-table";
import { ProjectNav } from "./project-nav";
import { QuestionsTable } from "./questions-table";
import { RoleBadge } from "./role-badge";

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Paper withBorder p="md" component="section">
      <Title order={2} size="h4" mb="sm">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

function Setting({ label, value }: { label: string; value: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="sm">{value}</Text>
    </div>
  );
}

export function ProjectOverview({ project }: { project: Project }) {
  usePageTitle(project.name);
  return (
    <Stack>
      <Group justify="space-between" align="center">
        <Group align="center" gap="sm">
          <Title order={1}>{project.name}</Title>
          <RoleBadge role={project.role} />
        </Group>
        <LabelButton projectId={project.id} />
      </Group>
      <ProjectNav projectId={project.id} role={project.role} />
      <SimpleGrid cols={{ base: 2, sm: 6 }}>
        <Setting label="Items" value={project.item_count} />
        <Setting label="Overlap" value={project.overlap} />
        <Setting label="Assignment" value={project.assignment ?? "—"} />
        <Setting label="Blind" value={project.blind === undefined ? "—" : project.blind ? "Yes" : "No"} />
        <Setting label="Lock timeout" value={`${project.lock_timeout_s} s`} />
        <Setting label="Gold rate" value={`${Math.round((project.gold_rate ?? 0) * 100)}%`} />
      </SimpleGrid>
      <Grid>
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack>
            <Section title="Guidelines">
              <Guidelines source={project.guidelines ?? ""} />
            </Section>
            <Section title="Questions">
              <QuestionsTable questions={project.questions} />
            </Section>
            <Section title="Members">
              <MembersTable projectId={project.id} />
            </Section>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          {/* Keyed so a different project starts with an empty feed. */}
          <LiveEventsPanel key={project.id} projectId={project.id} />
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
