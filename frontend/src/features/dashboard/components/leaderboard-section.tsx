import { Group, Paper, Select, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { useMemo, useState } from "react";
import type { ModelLeaderboard, Report } from "@/api/types";
import { forestOption } from "../charts/forest-chart";
import { winRateChart } from "../charts/win-rate-chart";
import type { CsvTable } from "../utils/csv";
import { finite, fileStem, formatCount, formatNumber } from "../utils/format";
import { ChartCard } from "./chart-card";
import { Downloads } from "./downloads";

interface Board {
  name: string;
  source: number;
  board: ModelLeaderboard;
}

/** People's board for the question first, then each judge's. */
function boardsFor(report: Report, question: string): Board[] {
  const boards: Board[] = [];
  const people = report.leaderboards.find((board) => board.question === question);
  if (people) boards.push({ name: "People", source: 0, board: people });
  report.judges.forEach((judge, index) => {
    const board = judge.leaderboards.find((candidate) => candidate.question === question);
    if (board) boards.push({ name: judge.name, source: index + 1, board });
  });
  return boards;
}

/** Models in people's order, best first, so every board lists them alike. */
function modelOrder(boards: Board[]): string[] {
  const [first] = boards;
  const ranked = first
    ? first.board.models
        .map((model, index) => ({ model, score: finite(first.board.scores[index]) }))
        .sort((a, b) => (b.score ?? -Infinity) - (a.score ?? -Infinity))
        .map((entry) => entry.model)
    : [];
  return [...new Set([...ranked, ...boards.flatMap((entry) => entry.board.models)])];
}

function correlation(board: ModelLeaderboard): string {
  const rank = board.rank_correlation ?? null;
  if (!rank) return "";
  return `Spearman ρ ${formatNumber(rank.spearman)} · Kendall τ ${formatNumber(rank.kendall)} vs people (${rank.n} models)`;
}

function leaderboardCsv(boards: Board[]): CsvTable {
  return {
    header: ["source", "model", "score", "low", "high", "comparisons", "spearman_vs_people", "kendall_vs_people"],
    rows: boards.flatMap(({ name, board }) =>
      board.models.map((model, index) => [
        name,
        model,
        finite(board.scores[index]),
        finite(board.low[index]),
        finite(board.high[index]),
        board.comparisons[index],
        finite(board.rank_correlation?.spearman),
        finite(board.rank_correlation?.kendall),
      ]),
    ),
  };
}

function BoardChart({ entry, order, file }: { entry: Board; order: string[]; file: string }) {
  const { board, name, source } = entry;
  const option = useMemo(() => {
    const rows = order
      .map((model) => {
        const index = board.models.indexOf(model);
        return index < 0
          ? null
          : {
              label: model,
              value: finite(board.scores[index]),
              low: finite(board.low[index]),
              high: finite(board.high[index]),
              n: board.comparisons[index],
              source,
            };
      })
      .filter((row) => row !== null);
    return rows.some((row) => row.value !== null) ? forestOption({ rows, axisName: "Bradley–Terry score", reference: 0 }) : null;
  }, [board, order, source]);
  return (
    <ChartCard
      title={name === "People" ? "People" : `Judge · ${name}`}
      description={correlation(board) || "Log-strengths centred on 0, with 95% intervals."}
      option={option}
      empty="Too few comparisons to rank the models."
      csv={leaderboardCsv([entry])}
      file={`${file}-${fileStem(name)}`}
      height={Math.max(200, 80 + 32 * order.length)}
    />
  );
}

function WinRateCard({ boards, order, file }: { boards: Board[]; order: string[]; file: string }) {
  const [chosen, setChosen] = useState<string | null>(null);
  const entry = boards.find((candidate) => candidate.name === chosen) ?? boards[0];
  const { option, csv } = useMemo(() => (entry ? winRateChart(entry.board, order) : { option: null, csv: { header: [], rows: [] } }), [entry, order]);
  if (!entry) return null;
  return (
    <ChartCard
      title="Win rates"
      description="How often the row model beat the column model (ties count half)."
      option={option}
      empty="Fewer than two models were compared."
      csv={csv}
      file={`${file}-win-rates-${fileStem(entry.name)}`}
      height={Math.max(260, 140 + 36 * order.length)}
      controls={
        boards.length > 1 && (
          <Select
            aria-label="Source of the win rates"
            size="xs"
            w={160}
            data={boards.map((candidate) => candidate.name)}
            value={entry.name}
            onChange={setChosen}
            allowDeselect={false}
          />
        )
      }
    />
  );
}

/** Model rankings by people and by each judge on one question, side by side. */
export function LeaderboardSection({ report, file }: { report: Report; file: string }) {
  const questions = useMemo(
    () => [...new Set([...report.leaderboards, ...report.judges.flatMap((judge) => judge.leaderboards)].map((board) => board.question))],
    [report.leaderboards, report.judges],
  );
  const [chosen, setChosen] = useState<string | null>(null);
  const question = questions.find((candidate) => candidate === chosen) ?? questions[0] ?? null;
  const boards = useMemo(() => (question ? boardsFor(report, question) : []), [report, question]);
  const order = useMemo(() => modelOrder(boards), [boards]);
  const stem = `${file}-leaderboard-${fileStem(question ?? "none")}`;

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-label="Model leaderboard">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-end">
          <Title order={3} size="h5">
            Model leaderboard
          </Title>
          <Group gap="xs" align="flex-end">
            {questions.length > 1 && (
              <Select label="Question" size="xs" w={160} data={questions} value={question} onChange={setChosen} allowDeselect={false} />
            )}
            {boards.length > 0 && <Downloads name="Leaderboard" file={stem} csv={leaderboardCsv(boards)} />}
          </Group>
        </Group>
        {boards.length === 0 ? (
          <Text c="dimmed" size="sm">
            No model comparisons yet: leaderboards need candidates from named models in pairwise or ranking answers.
          </Text>
        ) : (
          <>
            <Table verticalSpacing={4} fz="sm" aria-label="Rank correlation with people">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Source</Table.Th>
                  <Table.Th ta="right">Models</Table.Th>
                  <Table.Th ta="right">Spearman ρ vs people</Table.Th>
                  <Table.Th ta="right">Kendall τ vs people</Table.Th>
                  <Table.Th ta="right">Tie parameter</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {boards.map(({ name, board, source }) => (
                  <Table.Tr key={source} data-testid="leaderboard-source">
                    <Table.Td>{name}</Table.Td>
                    <Table.Td ta="right">{formatCount(board.models.length)}</Table.Td>
                    <Table.Td ta="right">{formatNumber(board.rank_correlation?.spearman)}</Table.Td>
                    <Table.Td ta="right">{formatNumber(board.rank_correlation?.kendall)}</Table.Td>
                    <Table.Td ta="right">{formatNumber(board.tie_parameter)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <SimpleGrid cols={{ base: 1, md: Math.min(boards.length, 2) }}>
              {boards.map((entry) => (
                <BoardChart key={entry.source} entry={entry} order={order} file={stem} />
              ))}
            </SimpleGrid>
            <WinRateCard boards={boards} order={order} file={stem} />
          </>
        )}
      </Stack>
    </Paper>
  );
}
