import { ImportForm } from "@/features/imports/components/import-form";
import { ProjectShell } from "@/features/projects/components/project-shell";
import { NotFound } from "./not-found";

export function ImportRoute() {
  return (
    <ProjectShell title="Import items" minimumRole="manager" notFound={<NotFound title="Project not found" />}>
      {(project) => <ImportForm project={project} />}
    </ProjectShell>
  );
}
