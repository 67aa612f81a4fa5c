/** Query keys for the projects feature, shared so mutations and live events invalidate the same entries. */
export const projectKeys = {
  all: ["projects"] as const,
  list: () => [...projectKeys.all, "list"] as const,
  detail: (id: number) => [...projectKeys.all, "detail", id] as const,
  members: (id: number) => [...projectKeys.all, "detail", id, "members"] as const,
};
