import type { Project } from "@/api/types";
import { JudgesPage } from "@/features/judges/components/judges-page";
import { ProjectShell } from "@/features/projects/components/project-shell";
import { useProjectEvents } from "@/features/projects/hooks/use-project-events";
import { NotFound } from "./not-found";

function LiveJudgesPage({ project }: { project: Project }) {
  // judge_run.progress events are written into the cached runs and judges list; judge.changed
  // events refetch the list.
  const { status } = useProjectEvents(project.id);
  return <JudgesPage project={project} socketStatus={status} />;
}

export function JudgesRoute() {
  return (
    <ProjectShell title="Judges" minimumRole="reviewer" notFound={<NotFound title="Project not found" />}>
      {(project) => <LiveJudgesPage project={project} />}
    </ProjectShell>
  );
}
