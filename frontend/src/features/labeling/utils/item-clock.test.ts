import { describe, expect, it } from "vitest";
import { formatDuration, ItemClock } from "./item-clock";

describe("ItemClock", () => {
  it("counts only while running and starts from a restored value", () => {
    const clock = new ItemClock(2_000, 0);
    expect(clock.elapsed(1_000)).toBe(3_000);
    clock.pause(1_500);
    expect(clock.elapsed(60_000)).toBe(3_500);
    clock.resume(60_000);
    expect(clock.elapsed(61_000)).toBe(4_500);
    expect(formatDuration(4_500)).toBe("0:04");
    expect(formatDuration(3_725_000)).toBe("1:02:05");
  });
});
