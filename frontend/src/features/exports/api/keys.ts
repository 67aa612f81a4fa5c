import { projectKeys } from "@/features/projects/api/keys";

/** Under the project's key, so invalidating everything about a project includes its exports. */
export const exportKeys = {
  /** The project's snapshots, newest first; live `export.progress` events write into this cache. */
  list: (projectId: number) => [...projectKeys.detail(projectId), "exports"] as const,
};
