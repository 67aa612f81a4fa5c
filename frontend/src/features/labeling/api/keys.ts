/** Query keys for the labeling feature. */
export const labelingKeys = {
  all: ["labeling"] as const,
  next: (projectId: number) => [...labelingKeys.all, "next", projectId] as const,
};
