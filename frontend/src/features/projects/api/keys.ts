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
  judges: (id: number) => [...projectKeys.all, "detail", id, "judges"] as const,
  /** The project's judges, each with its latest run; live events write into this cache too. */
  judgeList: (id: number) => [...projectKeys.all, "detail", id, "judges", "list"] as const,
  /** Everything cached about one judge; removed when the judge is deleted. */
  judge: (id: number, judgeId: number) => [...projectKeys.all, "detail", id, "judges", judgeId] as const,
  /** A judge's runs (newest first); live `judge_run.progress` events write into this cache. */
  judgeRuns: (id: number, judgeId: number) => [...projectKeys.all, "detail", id, "judges", judgeId, "runs"] as const,
  /** Judges' predictions, per item or per run; they change while runs progress. */
  predictions: (id: number) => [...projectKeys.all, "detail", id, "predictions"] as const,
  /** The dashboard's report and drill-downs; a `metrics.updated` event refetches them all. */
  metrics: (id: number) => [...projectKeys.all, "detail", id, "metrics"] as const,
};
