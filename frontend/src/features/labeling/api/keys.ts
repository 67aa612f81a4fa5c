/** Query keys for the labeling feature. */
export const labelingKeys = {
  all: ["labeling"] as const,
  /** The item on screen (plain `next`). */
  next: (projectId: number) => [...labelingKeys.all, "next", projectId] as const,
  /** The item fetched ahead, to show once assignment `after` is done (`next?after=`). */
  ahead: (projectId: number, after: number) => [...labelingKeys.all, "ahead", projectId, after] as const,
  /** Judges' suggestions for the item of an assignment. */
  suggestions: (assignmentId: number) => [...labelingKeys.all, "suggestions", assignmentId] as const,
};
