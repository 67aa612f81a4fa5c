import { Alert, Box, SimpleGrid, Stack, Text } from "@mantine/core";
import { useMemo, useState } from "react";
import { useSearchParams } from "react-router";
import type { MetricsResponse, Project, Report } from "@/api/types";
import { DateTime } from "@/components/ui/date-time";
import { PageLoader, QueryError } from "@/components/ui/query-state";
import type { SocketStatus } from "@/lib/ws";
import { useMetrics } from "../api/get-metrics";
import type { DrillTarget } from "../utils/drilldown";
import { applyFilters, filtersFromSearch, rangeError, scopeQuery, type DashboardFilters } from "../utils/filters";
import { fileStem } from "../utils/format";
import { AgreementSection } from "./agreement-section";
import { AnnotatorsTable } from "./annotators-table";
import { BiasCard } from "./bias-card";
import { DrilldownModal } from "./drilldown-modal";
import { FiltersBar } from "./filters-bar";
import { HeadlineCards } from "./headline-cards";
import { JudgesSection } from "./judges-section";
import { KappaCard } from "./kappa-card";
import { LeaderboardSection } from "./leaderboard-section";
import { StatusBadges } from "./status-badges";
import { useFilterOptions } from "./use-filter-options";

interface DashboardPageProps {
  project: Project;
  /** The live events connection whose `metrics.updated` events refresh the figures. */
  socketStatus: SocketStatus;
}

function Figures({ report, file, onDrill }: { report: Report; file: string; onDrill: (target: DrillTarget) => void }) {
  return (
    <Stack>
      {report.progress.annotations === 0 && (
        <Alert color="blue" title="No annotations yet">
          The figures fill in as people label items{report.progress.items === 0 ? "; import items first" : ""}.
        </Alert>
      )}
      <HeadlineCards report={report} />
      <SimpleGrid cols={{ base: 1, xl: 2 }}>
        <AgreementSection report={report} file={file} onDrill={onDrill} />
        <KappaCard report={report} file={file} onDrill={onDrill} />
      </SimpleGrid>
      <AnnotatorsTable report={report} file={file} onDrill={onDrill} />
      <JudgesSection report={report} file={file} onDrill={onDrill} />
      <BiasCard report={report} file={file} />
      <LeaderboardSection report={report} file={file} />
    </Stack>
  );
}

function FailedNotice({ metrics }: { metrics: MetricsResponse }) {
  return (
    <Alert color="red" title="The figures could not be computed" role="alert">
      <Stack gap={4}>
        {metrics.error && <Text size="sm">{metrics.error}</Text>}
        {metrics.report && metrics.computed_at && (
          <Text size="sm">
            Showing the last figures, from <DateTime value={metrics.computed_at} />.
          </Text>
        )}
      </Stack>
    </Alert>
  );
}

/**
 * A project's quality dashboard for managers: agreement, annotators, judges against people and
 * model rankings, for the filters in the URL. The figures come from a stored report that the
 * server recomputes after each change; `metrics.updated` events refetch it.
 */
export function DashboardPage({ project, socketStatus }: DashboardPageProps) {
  const [search, setSearch] = useSearchParams();
  const searchKey = search.toString();
  const filters = useMemo(() => filtersFromSearch(new URLSearchParams(searchKey)), [searchKey]);
  const scope = useMemo(() => scopeQuery(filters), [filters]);
  const invalidRange = rangeError(filters);
  const metrics = useMetrics(project.id, scope, { enabled: invalidRange === null, poll: socketStatus !== "live" });
  const [drill, setDrill] = useState<DrillTarget | null>(null);
  const report = metrics.data?.report ?? null;
  const options = useFilterOptions(report, filters);
  const file = fileStem(project.name);

  const setFilters = (next: DashboardFilters) => setSearch((previous) => applyFilters(previous, next), { replace: true });

  let body;
  if (invalidRange) {
    body = <Alert color="yellow">{invalidRange} Pick another range to see figures.</Alert>;
  } else if (metrics.isPending) {
    body = <PageLoader label="Loading dashboard" />;
  } else if (metrics.isError) {
    body = <QueryError error={metrics.error} title="Could not load the dashboard" onRetry={() => void metrics.refetch()} />;
  } else if (!metrics.data.report) {
    body =
      metrics.data.status === "failed" ? (
        <FailedNotice metrics={metrics.data} />
      ) : (
        <Stack align="center" gap="xs" py="xl" role="status" aria-label="Computing figures">
          <PageLoader label="Computing" />
          <Text c="dimmed" size="sm">
            Computing the figures for this view. They appear here by themselves.
          </Text>
        </Stack>
      );
  } else {
    body = (
      // Dimmed while figures for new filters load: what shows belongs to the previous ones.
      <Box style={{ opacity: metrics.isPlaceholderData ? 0.55 : 1, transition: "opacity 150ms" }} aria-busy={metrics.isPlaceholderData}>
        <Stack>
          {metrics.data.status === "failed" && <FailedNotice metrics={metrics.data} />}
          <Figures report={metrics.data.report} file={file} onDrill={setDrill} />
        </Stack>
      </Box>
    );
  }

  return (
    <Stack>
      <StatusBadges metrics={metrics.data} loadingFilters={metrics.isPlaceholderData} socketStatus={socketStatus} />
      <FiltersBar filters={filters} annotators={options.annotators} judges={options.judges} onChange={setFilters} />
      {body}
      <DrilldownModal projectId={project.id} target={drill} scope={scope} onClose={() => setDrill(null)} />
    </Stack>
  );
}
