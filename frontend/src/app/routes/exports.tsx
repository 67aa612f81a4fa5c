import type { Project } from "@/api/types";
import { ExportsPage } from "@/features/exports/components/exports-page";
import { useExportEvents } from "@/features/exports/hooks/use-export-events";
import { ProjectShell } from "@/features/projects/components/project-shell";
import { useProjectEvents } from "@/features/projects/hooks/use-project-events";
import { NotFound } from "./not-found";

function LiveExportsPage({ project }: { project: Project }) {
  // export.progress events are written into the cached exports list; a finished build refetches it.
  const { status, events } = useProjectEvents(project.id);
  useExportEvents(project.id, events, status);
  return <ExportsPage project={project} socketStatus={status} />;
}

export function ExportsRoute() {
  return (
    <ProjectShell title="Exports" minimumRole="manager" notFound={<NotFound title="Project not found" />}>
      {(project) => <LiveExportsPage project={project} />}
    </ProjectShell>
  );
}
