import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { readyProbe, responseVerdict, ServerStatus, type ServerStatusState } from "./server-status";

const noJitter = { initialDelayMs: 100, maxDelayMs: 400, factor: 2, jitter: 0 };

function json(body: unknown, status: number): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

describe("ServerStatus", () => {
  let probes: boolean[];
  let probed: number;
  let status: ServerStatus;
  let seen: ServerStatusState[];

  beforeEach(() => {
    vi.useFakeTimers();
    probes = [];
    probed = 0;
    status = new ServerStatus({
      probe: () => {
        probed += 1;
        const up = probes.shift();
        return up === undefined ? Promise.reject(new TypeError("Failed to fetch")) : Promise.resolve(up);
      },
      backoff: noJitter,
      recoveredForMs: 1_000,
    });
    seen = [];
    status.subscribe(() => seen.push(status.getSnapshot()));
  });

  afterEach(() => {
    status.dispose();
    vi.useRealTimers();
  });

  it("is up until a call fails", () => {
    expect(status.getSnapshot()).toEqual({ problem: null, detail: null, recovered: false });
    status.succeeded();
    expect(seen).toEqual([]);
  });

  it("probes with backoff while down and says when it is back", async () => {
    const back = vi.fn();
    status.onBack(back);
    probes = [false, false, true];

    status.failed("unreachable");
    expect(status.getSnapshot().problem).toBe("unreachable");
    await vi.advanceTimersByTimeAsync(99);
    expect(probed).toBe(0);
    await vi.advanceTimersByTimeAsync(1); // 100 ms: first probe (down)
    await vi.advanceTimersByTimeAsync(200); // then 200 ms (down)
    expect(probed).toBe(2);
    expect(back).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(400); // then 400 ms: up
    expect(probed).toBe(3);
    expect(back).toHaveBeenCalledTimes(1);
    expect(status.getSnapshot()).toEqual({ problem: null, detail: null, recovered: true });

    await vi.advanceTimersByTimeAsync(1_000);
    expect(status.getSnapshot()).toEqual({ problem: null, detail: null, recovered: false });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(probed).toBe(3); // no probing once up
  });

  it("keeps probing through probes that throw, capped at the longest delay", async () => {
    status.failed("unreachable");
    await vi.advanceTimersByTimeAsync(100 + 200 + 400 + 400 + 400);
    expect(probed).toBe(5);
    expect(status.getSnapshot().problem).toBe("unreachable");
  });

  it("comes back at once when any call succeeds, and stops probing", async () => {
    const back = vi.fn();
    status.onBack(back);
    status.failed("unavailable", "The database cannot be reached right now.");
    expect(status.getSnapshot()).toEqual({
      problem: "unavailable",
      detail: "The database cannot be reached right now.",
      recovered: false,
    });

    status.succeeded();
    expect(back).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(probed).toBe(0);
  });

  it("reports repeated failures once, and a change of problem", () => {
    status.failed("unreachable");
    status.failed("unreachable");
    status.failed("unavailable", "db");
    expect(seen.map((state) => state.problem)).toEqual(["unreachable", "unavailable"]);
  });

  it("forgets a listener that unsubscribed", () => {
    const back = vi.fn();
    const stop = status.onBack(back);
    stop();
    status.failed("unreachable");
    status.succeeded();
    expect(back).not.toHaveBeenCalled();
  });
});

describe("responseVerdict", () => {
  it("takes a proxy's 502 and 504 as down", async () => {
    expect(await responseVerdict(new Response("Bad Gateway", { status: 502 }))).toEqual({ down: true, detail: null });
    expect(await responseVerdict(new Response("", { status: 504 }))).toEqual({ down: true, detail: null });
  });

  it("takes the API's database 503 as down, with its words", async () => {
    const response = json({ detail: "The database cannot be reached.", code: "database_unavailable" }, 503);
    expect(await responseVerdict(response)).toEqual({ down: true, detail: "The database cannot be reached." });
    expect(await response.json()).toMatchObject({ code: "database_unavailable" }); // body left to read
  });

  it("leaves other 503s of the API to their feature", async () => {
    expect(await responseVerdict(json({ detail: "Sign-in is unavailable." }, 503))).toBeNull();
  });

  it("takes a 503 page that is not the API's JSON as down", async () => {
    expect(await responseVerdict(new Response("<h1>Maintenance</h1>", { status: 503 }))).toEqual({
      down: true,
      detail: null,
    });
  });

  it("takes any answer below 500 as up, and a 500 as saying nothing", async () => {
    expect(await responseVerdict(json({ detail: "Not found." }, 404))).toEqual({ down: false });
    expect(await responseVerdict(json({}, 200))).toEqual({ down: false });
    expect(await responseVerdict(json({}, 500))).toBeNull();
  });
});

describe("readyProbe", () => {
  afterEach(() => vi.unstubAllGlobals());

  const answering = (response: Response) => vi.stubGlobal("fetch", vi.fn(() => Promise.resolve(response)));

  it("is up on 200", async () => {
    answering(json({ status: "ok", checks: { database: "ok", broker: "ok" } }, 200));
    expect(await readyProbe(new AbortController().signal)).toBe(true);
  });

  it("is up when only the broker is down", async () => {
    answering(json({ status: "unavailable", checks: { database: "ok", broker: "error: OperationalError" } }, 503));
    expect(await readyProbe(new AbortController().signal)).toBe(true);
  });

  it("is down while the database is", async () => {
    answering(json({ status: "unavailable", checks: { database: "error: OperationalError", broker: "ok" } }, 503));
    expect(await readyProbe(new AbortController().signal)).toBe(false);
  });

  it("is down on a proxy's error page", async () => {
    answering(new Response("Bad Gateway", { status: 502 }));
    expect(await readyProbe(new AbortController().signal)).toBe(false);
  });
});
