import { Group, Stack } from "@mantine/core";
import { LiveBadge } from "@/components/ui/live-badge";
import { useState } from "react";
import type { Project } from "@/api/types";
import { PageLoader, QueryError } from "@/components/ui/query-state";
import { useJudges } from "@/features/judges/api/get-judges";
import { roleAtLeast } from "@/features/projects/utils/roles";
import type { SocketStatus } from "@/lib/ws";
import { useActiveLearning } from "../api/get-active-learning";
import { valuesFromSettings } from "../utils/mix-form";
import { minPairsOf, preferenceHeads, type AwaitedRefresh } from "../utils/status";
import { AccuracySection } from "./accuracy-section";
import { QueueSection } from "./queue-section";
import { StatusSection } from "./status-section";
import { StrategyMixForm } from "./strategy-mix-form";

interface ActiveLearningPageProps {
  project: Project;
  /** The live events connection that refetches the page when runs finish and labels arrive. */
  socketStatus: SocketStatus;
}

/**
 * A project's active learning: the preference head and how it is doing, the strategy mix that
 * orders the queue, the head's accuracy over its versions, and the queue itself. Managers change
 * the settings and retrain; reviewers look.
 */
export function ActiveLearningPage({ project, socketStatus }: ActiveLearningPageProps) {
  const canManage = roleAtLeast(project.role, "manager");
  const [awaiting, setAwaiting] = useState<AwaitedRefresh | null>(null);
  const active = useActiveLearning(project.id, { awaiting });
  const judges = useJudges(project.id);
  const heads = judges.data ? preferenceHeads(judges.data) : undefined;

  let body;
  if (active.isPending) {
    body = <PageLoader label="Loading active learning" />;
  } else if (active.isError) {
    body = (
      <QueryError error={active.error} title="Could not load active learning" onRetry={() => void active.refetch()} />
    );
  } else {
    const data = active.data;
    const head = heads?.find((judge) => judge.id === data.head);
    body = (
      <>
        <StatusSection
          project={project}
          active={data}
          heads={heads}
          canManage={canManage}
          onRefreshQueued={() => setAwaiting({ refreshedAt: data.refreshed_at, askedAt: Date.now() })}
        />
        <StrategyMixForm
          key={JSON.stringify(valuesFromSettings(data))}
          projectId={project.id}
          active={data}
          canManage={canManage}
        />
        <AccuracySection active={data} minPairs={minPairsOf(head)} />
        <QueueSection projectId={project.id} active={data} />
      </>
    );
  }

  return (
    <Stack>
      <Group justify="space-between">
        <LiveBadge status={socketStatus} />
      </Group>
      {body}
    </Stack>
  );
}
