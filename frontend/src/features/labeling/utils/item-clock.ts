/** The most the server accepts for `time_spent_ms` (a day). */
export const MAX_TIME_SPENT_MS = 24 * 60 * 60 * 1000;

/**
 * Time spent on one item: it runs only while the page is visible, and starts from what a saved
 * draft already counted. Callers pass `now` so tests control time.
 */
export class ItemClock {
  private base: number;
  private since: number | null;

  constructor(initialMs: number, now: number, running = true) {
    this.base = Math.max(0, initialMs);
    this.since = running ? now : null;
  }

  get running(): boolean {
    return this.since !== null;
  }

  pause(now: number): void {
    if (this.since !== null) {
      this.base += Math.max(0, now - this.since);
      this.since = null;
    }
  }

  resume(now: number): void {
    if (this.since === null) {
      this.since = now;
    }
  }

  elapsed(now: number): number {
    const running = this.since === null ? 0 : Math.max(0, now - this.since);
    return Math.min(MAX_TIME_SPENT_MS, Math.round(this.base + running));
  }
}

/** "m:ss", or "h:mm:ss" past an hour. */
export function formatDuration(ms: number): string {
  const total = Math.floor(ms / 1000);
  const seconds = String(total % 60).padStart(2, "0");
  const minutes = Math.floor(total / 60) % 60;
  const hours = Math.floor(total / 3600);
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, "0")}:${seconds}` : `${minutes}:${seconds}`;
}
