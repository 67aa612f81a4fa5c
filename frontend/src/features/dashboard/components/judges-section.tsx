import { Group, Paper, Select, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useMemo, useState } from "react";
import type { JudgePart, JudgeReport, Report } from "@/api/types";
import { calibrationOption, calibrationTable, calibrationTitle } from "../charts/calibration-chart";
import { confusionChart } from "../charts/confusion-chart";
import { matrixTable } from "../charts/heatmap-chart";
import type { DrillTarget } from "../utils/drilldown";
import { fileStem } from "../utils/format";
import { judgeStatsCsv } from "../utils/judge-stats";
import { ChartCard } from "./chart-card";
import { Downloads } from "./downloads";
import { JudgeStatsTable } from "./judge-stats-table";

interface JudgesSectionProps {
  report: Report;
  file: string;
  onDrill: (target: DrillTarget) => void;
}

function ConfusionCard({ judge, part, file, onDrill }: { judge: JudgeReport; part: JudgePart; file: string; onDrill: JudgesSectionProps["onDrill"] }) {
  const { option, cells } = useMemo(() => confusionChart(part, judge.name), [part, judge.name]);

  return (
    <ChartCard
      title={`Confusion matrix · ${part.key}`}
      description="Rows: people's majority; columns: the judge. Click a cell for its items."
      option={option}
      empty="No categories to compare on this part."
      csv={matrixTable("people \\ judge", part.categories, part.categories, part.confusion ?? [])}
      file={`${file}-confusion`}
      height={Math.max(280, 140 + 44 * part.categories.length)}
      onClick={({ dataIndex }) => {
        const cell = cells[dataIndex];
        if (!cell) return;
        onDrill({
          kind: "confusion",
          title: `${part.key}: people said ${part.categories[cell.y] ?? cell.y}, ${judge.name} said ${part.categories[cell.x] ?? cell.x}`,
          query: { judge: judge.judge, part: part.key, people: cell.y, predicted: cell.x },
        });
      }}
    />
  );
}

function CalibrationCard({ part, file }: { part: JudgePart; file: string }) {
  const calibration = part.calibration ?? null;
  const option = useMemo(() => (calibration ? calibrationOption(calibration) : null), [calibration]);
  return (
    <ChartCard
      title={`Reliability curve · ${part.key}${calibration ? ` · ${calibrationTitle(calibration)}` : ""}`}
      description="Mean predicted probability per bin against how often the judge's pick matched people's; the diagonal is perfect calibration."
      option={option}
      empty="The judge gave no probabilities on this part."
      csv={calibration ? calibrationTable(calibration) : { header: [], rows: [] }}
      file={`${file}-calibration`}
    />
  );
}

/** Each judge against people: figures per part, its confusion matrix and its calibration. */
export function JudgesSection({ report, file, onDrill }: JudgesSectionProps) {
  const [judgeId, setJudgeId] = useState<string | null>(null);
  const [partKey, setPartKey] = useState<string | null>(null);
  const judge = report.judges.find((candidate) => String(candidate.judge) === judgeId) ?? report.judges[0] ?? null;
  const part = judge ? (judge.parts.find((candidate) => candidate.key === partKey) ?? judge.parts[0] ?? null) : null;
  const stem = judge ? `${file}-${fileStem(judge.name)}` : file;

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-label="Judges against people">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-end">
          <Title order={3} size="h5">
            Judges against people
          </Title>
          {judge && (
            <Group gap="xs" align="flex-end">
              <Select
                label="Judge"
                size="xs"
                w={200}
                data={report.judges.map((candidate) => ({ value: String(candidate.judge), label: candidate.name }))}
                value={String(judge.judge)}
                onChange={setJudgeId}
                allowDeselect={false}
              />
              {judge.parts.length > 0 && (
                <Select
                  label="Part"
                  size="xs"
                  w={180}
                  data={judge.parts.map((candidate) => candidate.key)}
                  value={part?.key ?? null}
                  onChange={setPartKey}
                  allowDeselect={false}
                />
              )}
              {judge.parts.length > 0 && <Downloads name={`${judge.name} figures`} file={`${stem}-figures`} csv={judgeStatsCsv(judge)} />}
            </Group>
          )}
        </Group>
        {!judge ? (
          <Text c="dimmed" size="sm">
            No judges in this view. Add one on the Judges page and run it to compare it with people.
          </Text>
        ) : judge.parts.length === 0 ? (
          <Text c="dimmed" size="sm">
            {judge.name} has no verdicts on items people answered yet.
          </Text>
        ) : (
          <>
            <JudgeStatsTable judge={judge} />
            {part && (
              <SimpleGrid cols={{ base: 1, lg: 2 }}>
                <ConfusionCard key={`${judge.judge}-${part.key}`} judge={judge} part={part} file={`${stem}-${fileStem(part.key)}`} onDrill={onDrill} />
                <CalibrationCard part={part} file={`${stem}-${fileStem(part.key)}`} />
              </SimpleGrid>
            )}
          </>
        )}
      </Stack>
    </Paper>
  );
}
