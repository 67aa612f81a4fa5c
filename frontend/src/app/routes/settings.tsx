import { ProjectSettingsForm } from "@/features/manage/components/project-settings-form";
import { ProjectShell } from "@/features/projects/components/project-shell";
import { NotFound } from "./not-found";

export function ProjectSettingsRoute() {
  return (
    <ProjectShell title="Settings" notFound={<NotFound title="Project not found" />}>
      {(project) => <ProjectSettingsForm project={project} />}
    </ProjectShell>
  );
}
