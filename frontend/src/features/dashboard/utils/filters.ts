/**
 * The dashboard's filters, kept in the page URL so a filtered view can be shared. Dates are whole
 * days in the viewer's time zone (`until` includes its day); the API gets exact instants.
 */
export interface DashboardFilters {
  /** First day included, `YYYY-MM-DD`. */
  since?: string;
  /** Last day included, `YYYY-MM-DD`. */
  until?: string;
  annotators: number[];
  judges: number[];
  /** Item metadata conditions, each `key:value`. */
  meta: string[];
}

/** The filters as the metrics endpoints take them. */
export interface ScopeQuery {
  since?: string;
  until?: string;
  annotator?: number[];
  judge?: number[];
  meta?: string[];
}

export const NO_FILTERS: DashboardFilters = { annotators: [], judges: [], meta: [] };

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
// The server accepts the same characters in a metadata key.
const META = /^[A-Za-z0-9_-]+:.*$/;

function localDay(value: string): Date | null {
  const match = DAY.exec(value);
  if (!match) {
    return null;
  }
  const [year, month, day] = [Number(match[1]), Number(match[2]) - 1, Number(match[3])];
  const date = new Date(year, month, day);
  // Rejects days the calendar lacks, such as 2026-02-30, which Date would roll over.
  return date.getFullYear() === year && date.getMonth() === month && date.getDate() === day ? date : null;
}

export function isDay(value: string): boolean {
  return localDay(value) !== null;
}

export function isMetaCondition(value: string): boolean {
  return META.test(value.trim());
}

function ids(values: string[]): number[] {
  const found = values.map(Number).filter((value) => Number.isSafeInteger(value) && value > 0);
  return [...new Set(found)].sort((a, b) => a - b);
}

/** Reads the filters from a page URL, dropping values the API would reject. */
export function filtersFromSearch(search: URLSearchParams): DashboardFilters {
  const filters: DashboardFilters = {
    annotators: ids(search.getAll("annotator")),
    judges: ids(search.getAll("judge")),
    meta: [...new Set(search.getAll("meta").map((value) => value.trim()).filter(isMetaCondition))],
  };
  const since = search.get("since");
  if (since && isDay(since)) filters.since = since;
  const until = search.get("until");
  if (until && isDay(until)) filters.until = until;
  return filters;
}

/** Writes the filters into search params, keeping any other params. */
export function applyFilters(search: URLSearchParams, filters: DashboardFilters): URLSearchParams {
  const next = new URLSearchParams(search);
  for (const key of ["since", "until", "annotator", "judge", "meta"]) {
    next.delete(key);
  }
  if (filters.since) next.set("since", filters.since);
  if (filters.until) next.set("until", filters.until);
  filters.annotators.forEach((id) => next.append("annotator", String(id)));
  filters.judges.forEach((id) => next.append("judge", String(id)));
  filters.meta.forEach((condition) => next.append("meta", condition));
  return next;
}

export function hasFilters(filters: DashboardFilters): boolean {
  return Boolean(filters.since || filters.until || filters.annotators.length || filters.judges.length || filters.meta.length);
}

/** Why the date range cannot be asked for, or null when it can. */
export function rangeError(filters: DashboardFilters): string | null {
  if (filters.since && filters.until && filters.since > filters.until) {
    return "The start date is after the end date.";
  }
  return null;
}

/** The API query: local midnights as instants, `until` moved to the start of the next day. */
export function scopeQuery(filters: DashboardFilters): ScopeQuery {
  const query: ScopeQuery = {};
  const since = filters.since ? localDay(filters.since) : null;
  if (since) query.since = since.toISOString();
  const until = filters.until ? localDay(filters.until) : null;
  if (until) {
    until.setDate(until.getDate() + 1);
    query.until = until.toISOString();
  }
  if (filters.annotators.length) query.annotator = filters.annotators;
  if (filters.judges.length) query.judge = filters.judges;
  if (filters.meta.length) query.meta = filters.meta;
  return query;
}
