import { describe, expect, it } from "vitest";
import { csvBlob, toCsv } from "./csv";

describe("toCsv", () => {
  it("writes plain fields as they are, with CRLF line ends", () => {
    expect(toCsv(["part", "alpha", "n"], [["pref", 0.25, 6]])).toBe("part,alpha,n\r\npref,0.25,6\r\n");
  });

  it("quotes fields with commas, quotes, line breaks or edge spaces, doubling inner quotes", () => {
    const rows = [["a,b", 'say "hi"', "two\nlines", "cr\rhere", " padded", "plain"]];
    expect(toCsv(["x"], rows)).toBe('x\r\n"a,b","say ""hi""","two\nlines","cr\rhere"," padded",plain\r\n');
  });

  it("leaves undefined figures empty and never writes NaN", () => {
    expect(toCsv(["a", "b", "c", "d", "e"], [[null, undefined, Number.NaN, Number.POSITIVE_INFINITY, false]])).toBe(
      "a,b,c,d,e\r\n,,,,false\r\n",
    );
  });

  it("keeps negative numbers as numbers but defuses text a spreadsheet would run as a formula", () => {
    expect(toCsv(["v"], [[-0.5], ["=SUM(A1)"], ["+1"], ["-x"], ["@cmd"]])).toBe("v\r\n-0.5\r\n'=SUM(A1)\r\n'+1\r\n'-x\r\n'@cmd\r\n");
  });

  it("marks the file as UTF-8 for spreadsheet programs", async () => {
    const blob = csvBlob(["name"], [["Zoë"]]);
    expect(blob.type).toBe("text/csv;charset=utf-8");
    const bytes = new Uint8Array(await blob.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes.slice(3))).toBe("name\r\nZoë\r\n");
  });
});
