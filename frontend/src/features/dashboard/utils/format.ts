import type { MetricEstimate } from "@/api/types";

/** Shown wherever a figure is undefined (too little data), never NaN. */
export const DASH = "—";

/** A finite number, or null for null, undefined, NaN and infinities. */
export function finite(value: number | null | undefined): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

export function formatNumber(value: number | null | undefined, digits = 2): string {
  const number = finite(value);
  if (number === null) {
    return DASH;
  }
  // Avoids "-0.00" for tiny negative values.
  const rounded = Number(number.toFixed(digits));
  return (Object.is(rounded, -0) ? 0 : rounded).toFixed(digits);
}

export function formatPercent(value: number | null | undefined, digits = 0): string {
  const number = finite(value);
  return number === null ? DASH : `${formatNumber(number * 100, digits)}%`;
}

export function formatCount(value: number | null | undefined): string {
  const number = finite(value);
  return number === null ? DASH : Math.round(number).toLocaleString("en-US");
}

/** "[0.41, 0.77]", or "" when the interval is undefined. */
export function formatInterval(
  estimate: MetricEstimate | null | undefined,
  format: (value: number) => string = (value) => formatNumber(value),
): string {
  const low = finite(estimate?.low);
  const high = finite(estimate?.high);
  return low === null || high === null ? "" : `[${format(low)}, ${format(high)}]`;
}

/** "0.62 [0.41, 0.77]", "0.62", or the dash. */
export function formatEstimate(estimate: MetricEstimate | null | undefined, digits = 2): string {
  const value = finite(estimate?.value);
  if (value === null) {
    return DASH;
  }
  const interval = formatInterval(estimate, (bound) => formatNumber(bound, digits));
  return interval ? `${formatNumber(value, digits)} ${interval}` : formatNumber(value, digits);
}

/** For sorting and CSV: the estimate's value or null. */
export function estimateValue(estimate: MetricEstimate | null | undefined): number | null {
  return finite(estimate?.value);
}

/** A file name stem from free text: lower case, dashes, no path characters. */
export function fileStem(...parts: string[]): string {
  const stem = parts
    .join("-")
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^[-.]+|[-.]+$/g, "");
  return stem || "dashboard";
}
