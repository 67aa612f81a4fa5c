export type CsvCell = string | number | boolean | null | undefined;

// Spreadsheets run cells starting with these as formulas; a leading quote keeps them text.
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

function cell(value: CsvCell): string {
  if (value === null || value === undefined) {
    return "";
  }
  if (typeof value === "number") {
    return Number.isFinite(value) ? String(value) : "";
  }
  if (typeof value === "boolean") {
    return value ? "true" : "false";
  }
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 text: CRLF line ends, fields quoted only when they must be; nulls are empty. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return [header, ...rows].map((row) => row.map(cell).join(",")).join("\r\n") + "\r\n";
}

/** With a byte order mark, so spreadsheet programs read the file as UTF-8. */
export function csvBlob(header: readonly string[], rows: readonly (readonly CsvCell[])[]): Blob {
  return new Blob(["\uFEFF", toCsv(header, rows)], { type: "text/csv;charset=utf-8" });
}

/** The data behind a chart or table, ready to download. */
export interface CsvTable {
  header: string[];
  rows: CsvCell[][];
}
