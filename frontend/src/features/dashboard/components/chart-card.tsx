import { Group, Paper, Stack, Text, Title } from "@mantine/core";
import { useRef, type ReactNode } from "react";
import { EChart, type ChartClick } from "../charts/echart";
import { renderSvg, titled, type ChartOption } from "../charts/echarts";
import type { CsvTable } from "../utils/csv";
import { svgToPng } from "../utils/png";
import { Downloads } from "./downloads";

interface ChartCardProps {
  title: string;
  description?: ReactNode;
  /** Null when there is nothing to draw; `empty` then says why. */
  option: ChartOption | null;
  empty?: string;
  csv: CsvTable;
  file: string;
  height?: number;
  onClick?: (click: ChartClick) => void;
  /** Controls beside the title, such as the part shown. */
  controls?: ReactNode;
  /** A table of the same figures under the chart. */
  children?: ReactNode;
}

const EXPORT_WIDTH = 880;

/** A titled chart with PNG and CSV downloads of exactly what it shows. */
export function ChartCard({ title, description, option, empty, csv, file, height = 320, onClick, controls, children }: ChartCardProps) {
  const body = useRef<HTMLDivElement>(null);
  const png = option
    ? () => {
        const width = body.current?.clientWidth || EXPORT_WIDTH;
        const { option: exported, extra } = titled(option, title);
        return svgToPng(renderSvg(exported, { width, height: height + extra }));
      }
    : undefined;

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-label={title}>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Stack gap={2}>
            <Title order={3} size="h5">
              {title}
            </Title>
            {description && (
              <Text size="xs" c="dimmed">
                {description}
              </Text>
            )}
          </Stack>
          <Group gap="xs" wrap="nowrap">
            {controls}
            {option && <Downloads name={title} file={file} csv={csv} png={png} />}
          </Group>
        </Group>
        <div ref={body}>
          {option ? (
            <EChart option={option} height={height} label={title} onClick={onClick} />
          ) : (
            <Text c="dimmed" size="sm" py="lg" ta="center">
              {empty ?? "Nothing to show yet."}
            </Text>
          )}
        </div>
        {children}
      </Stack>
    </Paper>
  );
}
