import { describe, expect, it } from "vitest";
import { applyFilters, filtersFromSearch, pageFromSearch } from "./filters";

describe("item filters in the address", () => {
  it("reads only values the API accepts", () => {
    const search = new URLSearchParams(
      "status=open&gold=maybe&min_annotations=2&max_annotations=-1&model=%20x%20&external_id=&page=3",
    );
    expect(filtersFromSearch(search)).toEqual({ status: "open", min_annotations: 2, model: "x" });
    expect(pageFromSearch(search)).toBe(3);
    expect(pageFromSearch(new URLSearchParams("page=0"))).toBe(1);
  });

  it("writes filters and keeps unrelated params", () => {
    const next = applyFilters(new URLSearchParams("item=12&status=done"), { gold: false, max_annotations: 0 });
    expect(next.toString()).toBe("item=12&gold=false&max_annotations=0");
  });
});
