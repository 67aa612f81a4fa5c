import { Alert, Button, Group, Modal, Stack, Text } from "@mantine/core";
import type { Judge, Project } from "@/api/types";
import { errorMessage } from "@/components/ui/error-message";
import { useDeleteJudge } from "../api/delete-judge";

interface DeleteJudgeDialogProps {
  project: Project;
  judge: Judge;
  opened: boolean;
  onClose: () => void;
  onDeleted: () => void;
}

export function DeleteJudgeDialog({ project, judge, opened, onClose, onDeleted }: DeleteJudgeDialogProps) {
  const remove = useDeleteJudge(project.id);
  const close = () => {
    remove.reset();
    onClose();
  };
  return (
    <Modal opened={opened} onClose={close} title={`Delete ${judge.name}?`}>
      <Stack>
        <Text size="sm">
          Its runs and predictions are deleted with it, and a run in progress stops. This cannot be undone.
        </Text>
        {remove.isError && (
          <Alert color="red" role="alert">
            {errorMessage(remove.error)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            Cancel
          </Button>
          <Button
            color="red"
            loading={remove.isPending}
            onClick={() =>
              remove.mutate(judge.id, {
                onSuccess: () => {
                  onClose();
                  onDeleted();
                },
              })
            }
          >
            Delete judge
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
