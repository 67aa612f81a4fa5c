import { describe, expect, it } from "vitest";
import { nextSort, sortRows } from "./sort";

const rows = [
  { name: "bo", rate: 0.4 },
  { name: "ana", rate: null },
  { name: "cy", rate: 0.9 },
];
const value = (row: (typeof rows)[number], column: "name" | "rate") => row[column];

describe("sortRows", () => {
  it("sorts figures both ways with undefined ones last", () => {
    expect(sortRows(rows, { column: "rate", direction: "desc" }, value).map((row) => row.name)).toEqual(["cy", "bo", "ana"]);
    expect(sortRows(rows, { column: "rate", direction: "asc" }, value).map((row) => row.name)).toEqual(["bo", "cy", "ana"]);
    expect(sortRows(rows, { column: "name", direction: "asc" }, value).map((row) => row.name)).toEqual(["ana", "bo", "cy"]);
  });

  it("flips the sorted column and starts others in their natural direction", () => {
    expect(nextSort({ column: "rate", direction: "desc" }, "rate", false)).toEqual({ column: "rate", direction: "asc" });
    expect(nextSort({ column: "rate", direction: "desc" }, "name", true)).toEqual({ column: "name", direction: "asc" });
    expect(nextSort({ column: "name", direction: "asc" }, "rate", false)).toEqual({ column: "rate", direction: "desc" });
  });
});
