import { Alert, Button, Group, Modal, Stack, Text } from "@mantine/core";
import { LiveBadge } from "@/components/ui/live-badge";
import { useState } from "react";
import { useSearchParams } from "react-router";
import type { Judge, Project } from "@/api/types";
import { PageLoader, QueryError } from "@/components/ui/query-state";
import { roleAtLeast } from "@/features/projects/utils/roles";
import type { SocketStatus } from "@/lib/ws";
import { useJudges } from "../api/get-judges";
import { JudgeForm } from "./judge-form";
import { JudgePanel } from "./judge-panel";
import { JudgesTable } from "./judges-table";

interface JudgesPageProps {
  project: Project;
  /** The live events connection that keeps run progress current. */
  socketStatus: SocketStatus;
}

/**
 * A project's judges: the list with each one's latest run, and the chosen judge (`?judge=`)
 * with its runs. Managers add, change, delete and run judges; reviewers look.
 */
export function JudgesPage({ project, socketStatus }: JudgesPageProps) {
  const canManage = roleAtLeast(project.role, "manager");
  const judges = useJudges(project.id);
  const [search, setSearch] = useSearchParams();
  const [editing, setEditing] = useState<Judge | "new" | null>(null);

  const select = (judgeId: number | null) =>
    setSearch(
      (previous) => {
        const next = new URLSearchParams(previous);
        if (judgeId === null) next.delete("judge");
        else next.set("judge", String(judgeId));
        return next;
      },
      { replace: true },
    );

  let body;
  if (judges.isPending) {
    body = <PageLoader label="Loading judges" />;
  } else if (judges.isError) {
    body = <QueryError error={judges.error} title="Could not load judges" onRetry={() => void judges.refetch()} />;
  } else if (judges.data.length === 0) {
    body = (
      <Text c="dimmed">
        No judges yet.{canManage ? " Add one to have a model answer this project's questions." : ""}
      </Text>
    );
  } else {
    const wanted = Number(search.get("judge"));
    const selected = judges.data.find((judge) => judge.id === wanted) ?? judges.data[0];
    body = (
      <>
        <JudgesTable
          project={project}
          judges={judges.data}
          selectedId={selected?.id ?? null}
          onSelect={(judge) => select(judge.id)}
        />
        {selected && (
          <JudgePanel
            key={selected.id}
            project={project}
            judge={selected}
            canManage={canManage}
            onEdit={() => setEditing(selected)}
            onDeleted={() => select(null)}
          />
        )}
      </>
    );
  }

  return (
    <Stack>
      <Group justify="space-between">
        <LiveBadge status={socketStatus} />
        {canManage && <Button onClick={() => setEditing("new")}>New judge</Button>}
      </Group>
      {!canManage && <Alert color="blue">Only managers and owners can add, change or run judges.</Alert>}
      {body}
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === "new" ? "New judge" : `Edit ${editing?.name ?? "judge"}`}
        size="xl"
      >
        {editing !== null && (
          <JudgeForm
            project={project}
            judge={editing === "new" ? null : editing}
            onCancel={() => setEditing(null)}
            onSaved={(judge) => {
              setEditing(null);
              select(judge.id);
            }}
          />
        )}
      </Modal>
    </Stack>
  );
}
