import { describe, expect, it } from "vitest";
import { applyFilters, filtersFromSearch, isMetaCondition, NO_FILTERS, rangeError, scopeQuery } from "./filters";

describe("dashboard filters", () => {
  it("reads valid filters from the URL and drops the rest", () => {
    const search = new URLSearchParams(
      "since=2026-11-01&until=2026-02-30&annotator=4&annotator=x&annotator=4&annotator=2&judge=7&meta=lang:en&meta=broken&item=9",
    );
    expect(filtersFromSearch(search)).toEqual({ since: "2026-11-01", annotators: [2, 4], judges: [7], meta: ["lang:en"] });
  });

  it("writes filters back, keeping other parameters", () => {
    const next = applyFilters(new URLSearchParams("tab=judges&annotator=1"), {
      since: "2026-11-01",
      annotators: [3, 5],
      judges: [],
      meta: ["split:test"],
    });
    expect(next.toString()).toBe("tab=judges&since=2026-11-01&annotator=3&annotator=5&meta=split%3Atest");
    expect(applyFilters(next, NO_FILTERS).toString()).toBe("tab=judges");
  });

  it("sends whole local days as instants, the last day included", () => {
    const query = scopeQuery({ since: "2026-11-01", until: "2026-11-01", annotators: [3], judges: [7], meta: ["lang:en"] });
    expect(query).toEqual({
      since: new Date(2026, 10, 1).toISOString(),
      until: new Date(2026, 10, 2).toISOString(),
      annotator: [3],
      judge: [7],
      meta: ["lang:en"],
    });
    expect(scopeQuery(NO_FILTERS)).toEqual({});
  });

  it("accepts metadata conditions the server accepts", () => {
    expect(isMetaCondition("lang:en")).toBe(true);
    expect(isMetaCondition("source-id:a:b")).toBe(true);
    expect(isMetaCondition("lang:")).toBe(true);
    expect(isMetaCondition(":en")).toBe(false);
    expect(isMetaCondition("lang en:x")).toBe(false);
    expect(isMetaCondition("lang")).toBe(false);
  });

  it("refuses a range that ends before it starts", () => {
    expect(rangeError({ ...NO_FILTERS, since: "2026-11-02", until: "2026-11-01" })).toBe("The start date is after the end date.");
    expect(rangeError({ ...NO_FILTERS, since: "2026-11-01", until: "2026-11-01" })).toBeNull();
  });
});
