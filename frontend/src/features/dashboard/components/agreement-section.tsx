import { Anchor, Table } from "@mantine/core";
import { useMemo } from "react";
import type { PartAgreement, Report } from "@/api/types";
import { agreementOption, agreementTable } from "../charts/agreement-chart";
import type { DrillTarget } from "../utils/drilldown";
import { finite, formatCount, formatEstimate } from "../utils/format";
import { whyNoAgreement } from "../utils/report";
import { ChartCard } from "./chart-card";

interface AgreementSectionProps {
  report: Report;
  file: string;
  onDrill: (target: DrillTarget) => void;
}

const partTarget = (part: PartAgreement): DrillTarget => ({
  kind: "metric",
  title: `Items measured for ${part.key}`,
  query: { part: part.key },
});

/** People's agreement per measured part: alpha as bars with intervals, the other coefficients below. */
export function AgreementSection({ report, file, onDrill }: AgreementSectionProps) {
  const { parts } = report;
  const measured = parts.some((part) => finite(part.alpha.value) !== null);
  const option = useMemo(() => (measured ? agreementOption(parts) : null), [parts, measured]);
  const csv = useMemo(() => agreementTable(parts), [parts]);

  return (
    <ChartCard
      title="Agreement per part"
      description="Krippendorff's α with 95% bootstrap intervals; dashed lines at 0.667 (tentative) and 0.8 (reliable). Click a bar for its items."
      option={option}
      empty={whyNoAgreement(report)}
      csv={csv}
      file={`${file}-agreement`}
      onClick={({ seriesIndex, dataIndex }) => {
        const part = parts[dataIndex];
        if (seriesIndex === 0 && part) onDrill(partTarget(part));
      }}
    >
      {parts.length > 0 && (
        <Table.ScrollContainer minWidth={720}>
          <Table verticalSpacing={4} fz="sm" aria-label="Agreement per part">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Part</Table.Th>
                <Table.Th>Level</Table.Th>
                <Table.Th ta="right">Units</Table.Th>
                <Table.Th ta="right">Values</Table.Th>
                <Table.Th>α [95% CI]</Table.Th>
                <Table.Th>Fleiss κ [95% CI]</Table.Th>
                <Table.Th>Raw agreement [95% CI]</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {parts.map((part) => (
                <Table.Tr key={part.key} data-testid="agreement-row">
                  <Table.Td>
                    <Anchor component="button" type="button" size="sm" onClick={() => onDrill(partTarget(part))} aria-label={`Items of ${part.key}`}>
                      {part.key}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{part.level}</Table.Td>
                  <Table.Td ta="right">{formatCount(part.units)}</Table.Td>
                  <Table.Td ta="right">{formatCount(part.values)}</Table.Td>
                  <Table.Td>{formatEstimate(part.alpha)}</Table.Td>
                  <Table.Td>{formatEstimate(part.fleiss_kappa)}</Table.Td>
                  <Table.Td>{formatEstimate(part.raw_agreement)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </ChartCard>
  );
}
