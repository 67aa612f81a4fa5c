import { Alert, Anchor, Button, Group, Select, SimpleGrid, Stack, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { Link } from "react-router";
import { isApiError } from "@/api/client";
import type { Judge, Project } from "@/api/types";
import { finite, formatCount, formatPercent } from "@/features/dashboard/utils/format";
import { useRefreshPriorities } from "../api/refresh-priorities";
import { useRetrainHead } from "../api/retrain-head";
import { useUpdateActiveLearning } from "../api/update-active-learning";
import type { ActiveLearning } from "../types";
import { failureMessage } from "../utils/failure";
import { mixErrors } from "../utils/mix-form";
import { assignmentPhrase, labelsSinceTraining, retrainStatus } from "../utils/status";
import { Section } from "./section";

interface StatusSectionProps {
  project: Project;
  active: ActiveLearning;
  /** The project's preference heads; undefined while they load. */
  heads: Judge[] | undefined;
  canManage: boolean;
  /** Called when a priority refresh was queued, so the page watches for it to land. */
  onRefreshQueued: () => void;
}

function Figure({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} data-testid={testId}>
        {value}
      </Text>
    </Stack>
  );
}

/** The head, which one it is and how it does. Managers choose it; reviewers read it. */
function HeadChoice({ project, active, heads, canManage }: Omit<StatusSectionProps, "onRefreshQueued">) {
  const update = useUpdateActiveLearning(project.id);
  const [error, setError] = useState<string | null>(null);
  const judgesLink = (
    <Anchor component={Link} to={`/projects/${project.id}/judges`} inherit>
      Judges page
    </Anchor>
  );
  if (heads === undefined) {
    return <Text size="sm" c="dimmed">Loading the project&apos;s preference heads…</Text>;
  }
  if (heads.length === 0) {
    return (
      <Text size="sm" data-testid="no-head-note">
        This project has no preference head yet. {canManage ? "Add" : "A manager can add"} a judge of the kind
        “Trained preference head” on the {judgesLink}; it learns from the project&apos;s labels and drives the
        uncertainty strategy.
      </Text>
    );
  }
  const current = heads.find((judge) => judge.id === active.head);
  if (!canManage) {
    return (
      <Text size="sm" data-testid="head-name">
        Preference head: <b>{current?.name ?? "none chosen"}</b>
      </Text>
    );
  }
  const choose = (value: string | null) => {
    setError(null);
    update.mutate(
      { head: value === null ? null : Number(value) },
      {
        onSuccess: () => notifications.show({ color: "green", message: value === null ? "No head chosen." : "Head chosen." }),
        onError: (failure) =>
          setError((isApiError(failure, 400) && mixErrors(failure.body).fields.head) || failureMessage(failure)),
      },
    );
  };
  return (
    <Select
      label="Preference head"
      description={
        <>
          The judge retrained from the labels; add another on the {judgesLink}.
        </>
      }
      placeholder="Choose a head"
      data={heads.map((judge) => ({ value: String(judge.id), label: judge.name }))}
      value={active.head === null || active.head === undefined ? null : String(active.head)}
      onChange={choose}
      clearable
      disabled={update.isPending}
      error={error}
      maw={420}
    />
  );
}

/**
 * Where active learning stands: the head, the labels it has and when it retrains next, what went
 * wrong last, whether the project's assignment order uses the priorities at all, and (managers)
 * buttons to retrain the head or recompute the priorities now.
 */
export function StatusSection({ project, active, heads, canManage, onRefreshQueued }: StatusSectionProps) {
  const retrain = useRetrainHead(project.id);
  const refresh = useRefreshPriorities(project.id);
  const latest = active.history.at(-1);
  const accuracy = finite(latest?.cv_accuracy);
  const hasHead = active.head !== null && active.head !== undefined;

  const onRetrain = () =>
    retrain.mutate(undefined, {
      onSuccess: ({ queued }) =>
        notifications.show(
          queued
            ? {
                color: "green",
                title: "Retraining queued",
                message: "The head is trained on every label so far, run over the items, and the queue reordered.",
              }
            : { color: "blue", title: "Already retraining", message: "A training is already queued or running." },
        ),
      onError: (error) => notifications.show({ color: "red", title: "The head was not retrained", message: failureMessage(error) }),
    });

  const onRefresh = () =>
    refresh.mutate(undefined, {
      onSuccess: ({ queued }) => {
        onRefreshQueued();
        notifications.show(
          queued
            ? { color: "green", title: "Recomputing priorities", message: "The queue below follows when they are ready." }
            : { color: "blue", title: "Already recomputing", message: "A recomputation of the priorities is already queued." },
        );
      },
      onError: (error) =>
        notifications.show({ color: "red", title: "The priorities were not recomputed", message: failureMessage(error) }),
    });

  return (
    <Section title="Status">
      <HeadChoice project={project} active={active} heads={heads} canManage={canManage} />
      <SimpleGrid cols={{ base: 2, sm: 4 }}>
        <Figure label="Human labels" value={formatCount(active.labels)} testId="labels-count" />
        <Figure label="Since the last training" value={formatCount(labelsSinceTraining(active))} testId="labels-since" />
        <Figure label="Next training" value={retrainStatus(active)} testId="retrain-status" />
        <Figure
          label="Held-out accuracy"
          value={latest ? `${formatPercent(accuracy, 1)} (version ${latest.number})` : "Not trained yet"}
          testId="latest-accuracy"
        />
      </SimpleGrid>
      {active.last_error && (
        <Alert color="red" title="The head could not be trained" data-testid="last-error">
          {active.last_error}
        </Alert>
      )}
      {!active.uses_priorities && (
        <Alert color="yellow" title="The priorities are not used" data-testid="priorities-unused">
          The project hands out items in {assignmentPhrase(project.assignment)} order; set the assignment order to
          Active learning in{" "}
          {canManage ? (
            <Anchor component={Link} to={`/projects/${project.id}/settings`} inherit>
              Settings
            </Anchor>
          ) : (
            "Settings"
          )}{" "}
          for these priorities to matter.
        </Alert>
      )}
      {canManage && (
        <Group gap="sm">
          <Button onClick={onRetrain} loading={retrain.isPending} disabled={!hasHead}>
            Retrain now
          </Button>
          <Button variant="default" onClick={onRefresh} loading={refresh.isPending}>
            Recompute priorities
          </Button>
          {!hasHead && (
            <Text size="sm" c="dimmed">
              Choose a head to train it.
            </Text>
          )}
        </Group>
      )}
    </Section>
  );
}
