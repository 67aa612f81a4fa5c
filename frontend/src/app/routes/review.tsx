import { LiveBadge } from "@/components/ui/live-badge";
import type { Project } from "@/api/types";
import { ProjectShell } from "@/features/projects/components/project-shell";
import { useProjectEvents } from "@/features/projects/hooks/use-project-events";
import { ReviewQueue } from "@/features/review/components/review-queue";
import { NotFound } from "./not-found";

function LiveReviewQueue({ project }: { project: Project }) {
  // New submissions and other reviewers' decisions refresh the queue as they happen.
  const { status } = useProjectEvents(project.id);
  return (
    <>
      <LiveBadge status={status} />
      <ReviewQueue project={project} />
    </>
  );
}

export function ReviewRoute() {
  return (
    <ProjectShell title="Review" minimumRole="reviewer" notFound={<NotFound title="Project not found" />}>
      {(project) => <LiveReviewQueue project={project} />}
    </ProjectShell>
  );
}
