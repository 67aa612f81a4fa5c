import { ItemBrowser } from "@/features/items/components/item-browser";
import { ProjectShell } from "@/features/projects/components/project-shell";
import { useProjectEvents } from "@/features/projects/hooks/use-project-events";
import type { Project } from "@/api/types";
import { NotFound } from "./not-found";

function LiveItemBrowser({ project }: { project: Project }) {
  // Subscribes to the project's events so counts refresh as people label and import.
  useProjectEvents(project.id);
  return <ItemBrowser project={project} />;
}

export function ItemsRoute() {
  return (
    <ProjectShell title="Items" minimumRole="reviewer" notFound={<NotFound title="Project not found" />}>
      {(project) => <LiveItemBrowser project={project} />}
    </ProjectShell>
  );
}
