import type { Project } from "@/api/types";
import { DashboardPage } from "@/features/dashboard/components/dashboard-page";
import { ProjectShell } from "@/features/projects/components/project-shell";
import { useProjectEvents } from "@/features/projects/hooks/use-project-events";
import { NotFound } from "./not-found";

function LiveDashboardPage({ project }: { project: Project }) {
  // metrics.updated events refetch the report, so figures move as people label.
  const { status } = useProjectEvents(project.id);
  return <DashboardPage project={project} socketStatus={status} />;
}

export function DashboardRoute() {
  return (
    <ProjectShell title="Dashboard" minimumRole="manager" notFound={<NotFound title="Project not found" />}>
      {(project) => <LiveDashboardPage project={project} />}
    </ProjectShell>
  );
}
