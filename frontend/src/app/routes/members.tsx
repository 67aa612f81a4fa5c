import { MembersManager } from "@/features/members/components/members-manager";
import { ProjectShell } from "@/features/projects/components/project-shell";
import { NotFound } from "./not-found";

export function MembersRoute() {
  return (
    <ProjectShell title="Members" notFound={<NotFound title="Project not found" />}>
      {(project) => <MembersManager project={project} />}
    </ProjectShell>
  );
}
