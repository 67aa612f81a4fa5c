import "@mantine/notifications/styles.css";
import { Notifications } from "@mantine/notifications";
import type { ReactNode } from "react";
import type { Project } from "@/api/types";
import { ProjectShell } from "@/features/projects/components/project-shell";
import { useProjectEvents } from "@/features/projects/hooks/use-project-events";
import { useActiveLearningEvents } from "../hooks/use-active-learning-events";
import { ActiveLearningPage } from "./active-learning-page";

function LiveActiveLearningPage({ project }: { project: Project }) {
  // Finished judge runs, new labels and recomputed figures refetch the settings, queue and history.
  const { status, events } = useProjectEvents(project.id);
  useActiveLearningEvents(project.id, events);
  return <ActiveLearningPage project={project} socketStatus={status} />;
}

/**
 * The route `projects/:id/active`. Loaded on first visit with the charts library, like the
 * dashboard. The app mounts no notifications container, so this page brings its own.
 */
export function ActiveLearningRoute({ notFound }: { notFound: ReactNode }) {
  return (
    <>
      <Notifications position="top-right" />
      <ProjectShell title="Active learning" minimumRole="reviewer" notFound={notFound}>
        {(project) => <LiveActiveLearningPage project={project} />}
      </ProjectShell>
    </>
  );
}
