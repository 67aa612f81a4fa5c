/** Filters of the item list; the same names as the API's query parameters. */
export interface ItemFilters {
  status?: "open" | "done";
  gold?: boolean;
  min_annotations?: number;
  max_annotations?: number;
  model?: string;
  external_id?: string;
}

export const FILTER_KEYS = ["status", "gold", "min_annotations", "max_annotations", "model", "external_id"] as const;

function count(value: string | null): number | undefined {
  if (value === null || !/^\d+$/.test(value)) {
    return undefined;
  }
  return Number(value);
}

/** Reads filters from a page URL's search params, ignoring values the API would reject. */
export function filtersFromSearch(search: URLSearchParams): ItemFilters {
  const filters: ItemFilters = {};
  const status = search.get("status");
  if (status === "open" || status === "done") filters.status = status;
  const gold = search.get("gold");
  if (gold === "true" || gold === "false") filters.gold = gold === "true";
  const min = count(search.get("min_annotations"));
  if (min !== undefined) filters.min_annotations = min;
  const max = count(search.get("max_annotations"));
  if (max !== undefined) filters.max_annotations = max;
  const model = search.get("model")?.trim();
  if (model) filters.model = model;
  const externalId = search.get("external_id")?.trim();
  if (externalId) filters.external_id = externalId;
  return filters;
}

/** Writes filters into search params (other params, such as the open item, are kept). */
export function applyFilters(search: URLSearchParams, filters: ItemFilters): URLSearchParams {
  const next = new URLSearchParams(search);
  for (const key of FILTER_KEYS) {
    const value = filters[key];
    if (value === undefined || value === "") {
      next.delete(key);
    } else {
      next.set(key, String(value));
    }
  }
  return next;
}

export function pageFromSearch(search: URLSearchParams): number {
  const page = Number(search.get("page") ?? "1");
  return Number.isSafeInteger(page) && page > 0 ? page : 1;
}
