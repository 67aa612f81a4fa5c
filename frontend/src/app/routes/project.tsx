import { useParams } from "react-router";
import { isApiError } from "@/api/client";
import { PageLoader, QueryError } from "@/components/ui/query-state";
import { useProject } from "@/features/projects/api/get-project";
import { ProjectOverview } from "@/features/projects/components/project-overview";
import { NotFound } from "./not-found";

function ProjectPage({ projectId }: { projectId: number }) {
  const project = useProject(projectId);
  if (project.isPending) {
    return <PageLoader label="Loading project" />;
  }
  if (project.isError) {
    // Non-members get 404 from the API, which is the same as "no such project" here.
    if (isApiError(project.error, 404)) {
      return <NotFound title="Project not found" />;
    }
    return <QueryError error={project.error} onRetry={() => void project.refetch()} />;
  }
  return <ProjectOverview project={project.data} />;
}

export function ProjectRoute() {
  const { id } = useParams();
  const projectId = Number(id);
  if (!Number.isSafeInteger(projectId) || projectId <= 0) {
    return <NotFound title="Project not found" />;
  }
  return <ProjectPage projectId={projectId} />;
}
