/**
 * Query keys for everything scoped to a project, shared so mutations and live
 * events invalidate the same entries. Everything below `detail(id)` belongs to
 * that project; invalidate `detail(id)` with `exact: true` to refetch only the
 * project itself.
 */
export const projectKeys = {
  all: ["projects"] as const,
  list: () => [...projectKeys.all, "list"] as const,
  detail: (id: number) => [...projectKeys.all, "detail", id] as const,
  members: (id: number) => [...projectKeys.all, "detail", id, "members"] as const,
  items: (id: number) => [...projectKeys.all, "detail", id, "items"] as const,
  annotations: (id: number) => [...projectKeys.all, "detail", id, "annotations"] as const,
  gold: (id: number) => [...projectKeys.all, "detail", id, "gold"] as const,
};
