/** Scales with more points than this are named in the JSON tab instead of one box per point. */
export const MAX_NAMED_POINTS = 11;

/** The points of a rating scale, or null when the scale is not well formed or too long to list. */
export function scalePoints(min: number, max: number, step: number): number[] | null {
  if (![min, max, step].every(Number.isFinite) || step <= 0 || max <= min) {
    return null;
  }
  const count = Math.floor((max - min) / step + 1e-9) + 1;
  if (count > MAX_NAMED_POINTS) {
    return null;
  }
  // Rounded so 0.1 steps give "0.3", not "0.30000000000000004".
  return Array.from({ length: count }, (_, k) => Number((min + k * step).toPrecision(12)));
}

/** The key a scale point's name is stored under. */
export function pointKey(point: number): string {
  return String(point);
}
