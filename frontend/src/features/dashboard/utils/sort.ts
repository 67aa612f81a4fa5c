export type SortDirection = "asc" | "desc";

export interface SortState<Key extends string> {
  column: Key;
  direction: SortDirection;
}

/** Sorts by a number or text per row; undefined figures (null) stay last in both directions. */
export function sortRows<Row, Key extends string>(
  rows: readonly Row[],
  sort: SortState<Key>,
  value: (row: Row, column: Key) => number | string | null,
): Row[] {
  const sign = sort.direction === "asc" ? 1 : -1;
  return [...rows].sort((a, b) => {
    const left = value(a, sort.column);
    const right = value(b, sort.column);
    if (left === null || right === null) {
      return left === right ? 0 : left === null ? 1 : -1;
    }
    const order = typeof left === "string" || typeof right === "string" ? String(left).localeCompare(String(right)) : left - right;
    return sign * order;
  });
}

/** Clicking the sorted column flips it; another column starts descending for figures, ascending for names. */
export function nextSort<Key extends string>(current: SortState<Key>, column: Key, textColumn: boolean): SortState<Key> {
  if (current.column === column) {
    return { column, direction: current.direction === "asc" ? "desc" : "asc" };
  }
  return { column, direction: textColumn ? "asc" : "desc" };
}
