import { Alert, Anchor, Button, Group, Stack, Text, Title } from "@mantine/core";
import type { ReactNode } from "react";
import { Link, useParams } from "react-router";
import { isApiError } from "@/api/client";
import type { Project, Role } from "@/api/types";
import { PageLoader, QueryError } from "@/components/ui/query-state";
import { usePageTitle } from "@/components/ui/use-page-title";
import { useProject } from "../api/get-project";
import { roleAtLeast } from "../utils/roles";
import { ProjectNav } from "./project-nav";
import { RoleBadge } from "./role-badge";

const ROLE_PHRASE: Record<Role, string> = {
  annotator: "project members",
  reviewer: "reviewers, managers and owners",
  manager: "managers and owners",
  owner: "owners",
};

interface ProjectShellProps {
  /** The page's name, shown as its heading and in the tab title. */
  title: string;
  /** Below this role the page explains who may use it instead of rendering. */
  minimumRole?: Role;
  /** What to show for a malformed id or a project the caller can't see. */
  notFound: ReactNode;
  actions?: (project: Project) => ReactNode;
  children: (project: Project) => ReactNode;
}

function ShellBody({ project, title, minimumRole, actions, children }: Omit<ProjectShellProps, "notFound"> & { project: Project }) {
  usePageTitle(`${title} · ${project.name}`);
  const allowed = !minimumRole || roleAtLeast(project.role, minimumRole);
  return (
    <Stack>
      <Stack gap={4}>
        <Anchor component={Link} to={`/projects/${project.id}`} size="sm">
          {project.name}
        </Anchor>
        <Group justify="space-between" align="center">
          <Group gap="sm" align="center">
            <Title order={1}>{title}</Title>
            <RoleBadge role={project.role} />
          </Group>
          {allowed && actions?.(project)}
        </Group>
      </Stack>
      <ProjectNav projectId={project.id} role={project.role} />
      {allowed ? (
        children(project)
      ) : (
        <Alert color="yellow" title="Not available with your role">
          <Stack gap="xs" align="flex-start">
            <Text size="sm">This page is for {ROLE_PHRASE[minimumRole ?? "annotator"]} of the project.</Text>
            <Button component={Link} to={`/projects/${project.id}`} size="xs" variant="light">
              Back to the project
            </Button>
          </Stack>
        </Alert>
      )}
    </Stack>
  );
}

function ShellLoader(props: ProjectShellProps & { projectId: number }) {
  const { projectId, notFound, ...rest } = props;
  const project = useProject(projectId);
  if (project.isPending) {
    return <PageLoader label="Loading project" />;
  }
  if (project.isError) {
    // Non-members get 404 from the API, which is the same as "no such project" here.
    if (isApiError(project.error, 404)) {
      return <>{notFound}</>;
    }
    return <QueryError error={project.error} onRetry={() => void project.refetch()} />;
  }
  return <ShellBody project={project.data} {...rest} />;
}

/** Frame of a project sub-page: loads the project from the `:id` route param, heading, navigation, role gate. */
export function ProjectShell(props: ProjectShellProps) {
  const { id } = useParams();
  const projectId = Number(id);
  if (!Number.isSafeInteger(projectId) || projectId <= 0) {
    return <>{props.notFound}</>;
  }
  // Keyed so state inside the page starts fresh for another project.
  return <ShellLoader key={projectId} projectId={projectId} {...props} />;
}
