import { Button, Code, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { isRecord } from "@/api/client";
import type { Judge, Project } from "@/api/types";
import { kindLabel } from "../utils/kinds";
import { DeleteJudgeDialog } from "./delete-judge-dialog";
import { RunDialog } from "./run-dialog";
import { RunsTable } from "./runs-table";

/** Where the judge's verdicts come from: the model (and endpoint, for API judges; encoder, for heads). */
function modelOf(judge: Judge): string {
  const config = isRecord(judge.config) ? judge.config : {};
  const source = judge.kind === "preference_head" ? config.encoder : config.model;
  const model = typeof source === "string" ? source : "";
  const url = typeof config.base_url === "string" ? config.base_url : "";
  return url ? `${model} at ${url}` : model;
}

interface JudgePanelProps {
  project: Project;
  judge: Judge;
  canManage: boolean;
  onEdit: () => void;
  onDeleted: () => void;
}

/** One judge: what it runs, actions for managers, and its runs. */
export function JudgePanel({ project, judge, canManage, onEdit, onDeleted }: JudgePanelProps) {
  const [runOpen, runDialog] = useDisclosure(false);
  const [deleteOpen, deleteDialog] = useDisclosure(false);
  const titleId = `judge-${judge.id}-title`;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={titleId}>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start">
          <div>
            <Title order={2} size="h4" id={titleId}>
              {judge.name}
            </Title>
            <Text size="sm" c="dimmed">
              {kindLabel(judge.kind)} · <Code>{modelOf(judge)}</Code>
            </Text>
          </div>
          {canManage && (
            <Group gap="xs">
              <Button onClick={runDialog.open}>Run</Button>
              <Button variant="default" onClick={onEdit}>
                Edit
              </Button>
              <Button variant="subtle" color="red" onClick={deleteDialog.open}>
                Delete
              </Button>
            </Group>
          )}
        </Group>
        <RunsTable project={project} judge={judge} canManage={canManage} />
      </Stack>
      <RunDialog project={project} judge={judge} opened={runOpen} onClose={runDialog.close} />
      <DeleteJudgeDialog
        project={project}
        judge={judge}
        opened={deleteOpen}
        onClose={deleteDialog.close}
        onDeleted={onDeleted}
      />
    </Paper>
  );
}
