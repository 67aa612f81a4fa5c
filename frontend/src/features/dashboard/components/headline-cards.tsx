import { Paper, SimpleGrid, Stack, Text } from "@mantine/core";
import type { ReactNode } from "react";
import type { Report } from "@/api/types";
import { DASH, formatCount, formatInterval, formatNumber, formatPercent } from "../utils/format";
import { bestJudge, firstMeasuredPart, whyNoAgreement, whyNoBestJudge } from "../utils/report";

function Card({ label, value, detail, testId }: { label: string; value: ReactNode; detail: ReactNode; testId: string }) {
  return (
    <Paper withBorder p="md" radius="md" data-testid={testId}>
      <Stack gap={4}>
        <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
          {label}
        </Text>
        <Text fz={28} fw={700} lh={1.1} data-testid="headline-value">
          {value}
        </Text>
        <Text size="sm" c="dimmed">
          {detail}
        </Text>
      </Stack>
    </Paper>
  );
}

/** The three numbers a manager checks first: agreement, the best judge, and progress. */
export function HeadlineCards({ report }: { report: Report }) {
  const part = firstMeasuredPart(report);
  const judge = bestJudge(report);
  const { progress } = report;
  const donePercent = progress.items > 0 ? progress.items_done / progress.items : null;
  return (
    <SimpleGrid cols={{ base: 1, sm: 3 }}>
      <Card
        testId="headline-agreement"
        label="Agreement (Krippendorff's α)"
        value={part ? formatNumber(part.alpha.value) : DASH}
        detail={
          part
            ? `${part.key} · 95% CI ${formatInterval(part.alpha) || DASH} · ${formatCount(part.alpha.n)} units`
            : whyNoAgreement(report)
        }
      />
      <Card
        testId="headline-judge"
        label="Best judge agreement"
        value={judge ? formatPercent(judge.accuracy.value, 1) : DASH}
        detail={
          judge
            ? `${judge.judge.name} on ${judge.part.key} · 95% CI ${formatInterval(judge.accuracy, (bound) => formatPercent(bound)) || DASH} · ${formatCount(judge.accuracy.n)} units`
            : whyNoBestJudge(report)
        }
      />
      <Card
        testId="headline-progress"
        label="Progress"
        value={
          <>
            {formatCount(progress.items_done)} / {formatCount(progress.items)}{" "}
            <Text span size="sm" c="dimmed">
              items done{donePercent === null ? "" : ` (${formatPercent(donePercent)})`}
            </Text>
          </>
        }
        detail={
          <>
            <span data-testid="annotation-count">{formatCount(progress.annotations)}</span> annotations ·{" "}
            <span data-testid="annotator-count">{formatCount(progress.annotators)}</span> annotators
          </>
        }
      />
    </SimpleGrid>
  );
}
