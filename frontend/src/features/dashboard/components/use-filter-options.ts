import { useState } from "react";
import type { Report } from "@/api/types";
import type { DashboardFilters } from "../utils/filters";
import type { FilterOption } from "./filters-bar";

interface Names {
  annotators: Map<number, string>;
  judges: Map<number, string>;
}

function merged(names: Names, report: Report): Names {
  return {
    annotators: new Map([...names.annotators, ...report.annotators.map((row) => [row.id, row.username] as const)]),
    judges: new Map([...names.judges, ...report.judges.map((judge) => [judge.judge, judge.name] as const)]),
  };
}

function same(a: Map<number, string>, b: Map<number, string>): boolean {
  return a.size === b.size && [...a].every(([id, name]) => b.get(id) === name);
}

function options(names: Map<number, string>, selected: number[], fallback: string): FilterOption[] {
  const ids = [...new Set([...names.keys(), ...selected])];
  return ids
    .map((id) => ({ value: String(id), label: names.get(id) ?? `${fallback} #${id}` }))
    .sort((a, b) => a.label.localeCompare(b.label));
}

/**
 * People and judges to filter by. A filtered report lists only those it kept, so everyone seen
 * in an earlier report stays choosable.
 */
export function useFilterOptions(report: Report | null, filters: DashboardFilters) {
  const [names, setNames] = useState<Names>({ annotators: new Map(), judges: new Map() });
  if (report) {
    const next = merged(names, report);
    if (!same(next.annotators, names.annotators) || !same(next.judges, names.judges)) {
      // Adjusting state while rendering, as React documents for state derived from props.
      setNames(next);
    }
  }
  return {
    annotators: options(names.annotators, filters.annotators, "User"),
    judges: options(names.judges, filters.judges, "Judge"),
  };
}
