import { Badge } from "@mantine/core";
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
      <Badge variant="dot" color={status === "live" ? "green" : "gray"} data-testid="ws-status">
        {status === "live" ? "updating live" : status}
      </Badge>
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
