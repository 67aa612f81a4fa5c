import { useParams } from "react-router";
import { LabelingScreen } from "@/features/labeling";
import { NotFound } from "./not-found";

export function LabelRoute() {
  const { id } = useParams();
  const projectId = Number(id);
  if (!Number.isSafeInteger(projectId) || projectId <= 0) {
    return <NotFound title="Project not found" />;
  }
  // Keyed so another project starts from a fresh screen.
  return <LabelingScreen key={projectId} projectId={projectId} />;
}
