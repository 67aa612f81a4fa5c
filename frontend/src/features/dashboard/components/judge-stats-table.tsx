import { Table } from "@mantine/core";
import type { JudgeReport } from "@/api/types";
import { formatCount, formatEstimate, formatNumber } from "../utils/format";

/** A judge against people's majority (categories) or mean (ranks and scores), part by part. */
export function JudgeStatsTable({ judge }: { judge: JudgeReport }) {
  return (
    <Table.ScrollContainer minWidth={820}>
      <Table verticalSpacing={4} fz="sm" aria-label={`${judge.name} against people`}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Part</Table.Th>
            <Table.Th ta="right">Judged</Table.Th>
            <Table.Th ta="right">Compared</Table.Th>
            <Table.Th>Accuracy [95% CI]</Table.Th>
            <Table.Th>Without ties</Table.Th>
            <Table.Th ta="right">κ</Table.Th>
            <Table.Th ta="right">Spearman ρ</Table.Th>
            <Table.Th ta="right">Kendall τ</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {judge.parts.map((part) => (
            <Table.Tr key={part.key} data-testid="judge-part-row">
              <Table.Td>{part.key}</Table.Td>
              <Table.Td ta="right">{formatCount(part.judged)}</Table.Td>
              <Table.Td ta="right">{formatCount(part.compared ?? part.correlated)}</Table.Td>
              <Table.Td>{formatEstimate(part.accuracy)}</Table.Td>
              <Table.Td>{formatEstimate(part.accuracy_without_ties)}</Table.Td>
              <Table.Td ta="right">{formatNumber(part.kappa)}</Table.Td>
              <Table.Td ta="right">{formatNumber(part.spearman)}</Table.Td>
              <Table.Td ta="right">{formatNumber(part.kendall)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
