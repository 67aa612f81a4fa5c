import { Select } from "@mantine/core";
import { useMemo, useState } from "react";
import type { Report } from "@/api/types";
import { biasRows } from "../charts/bias-chart";
import { forestOption } from "../charts/forest-chart";
import type { CsvTable } from "../utils/csv";
import { ChartCard } from "./chart-card";

export function BiasCard({ report, file }: { report: Report; file: string }) {
  const questions = useMemo(() => {
    const pairwise = report.parts.filter((part) => part.kind === "pairwise").map((part) => part.question);
    return [...new Set([...report.bias.map((bias) => bias.question), ...pairwise])];
  }, [report.bias, report.parts]);
  const [chosen, setChosen] = useState<string | null>(null);
  const question = questions.find((candidate) => candidate === chosen) ?? questions[0] ?? null;
  const rows = useMemo(() => (question ? biasRows(report, question) : []), [report, question]);
  const defined = rows.some((found) => found.value !== null);
  const option = useMemo(
    () => (defined ? forestOption({ rows, axisName: "Rate", reference: 0.5, min: 0, max: 1 }) : null),
    [rows, defined],
  );
  const csv: CsvTable = {
    header: ["source", "measure", "value", "low", "high", "n"],
    rows: rows.map((found) => [found.sourceName, found.measure, found.value, found.low, found.high, found.n]),
  };

  return (
    <ChartCard
      title="Position and length bias"
      description="Rates with 95% intervals. 0.5 is no preference for the first-shown or the longer answer; a judge's flip rate (verdict changes when the order is swapped) should be near 0."
      option={option}
      empty={question ? "Too few pairwise answers with a winner to measure bias." : "The project has no pairwise question."}
      csv={csv}
      file={`${file}-bias-${question ?? "none"}`}
      height={Math.max(220, 80 + 30 * rows.length)}
      controls={
        questions.length > 1 && (
          <Select
            aria-label="Question for bias"
            size="xs"
            w={160}
            data={questions}
            value={question}
            onChange={setChosen}
            allowDeselect={false}
          />
        )
      }
    />
  );
}
