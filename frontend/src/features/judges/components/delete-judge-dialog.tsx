import type { Judge, Project } from "@/api/types";
import { ConfirmDeleteModal } from "@/components/ui/confirm-delete-modal";
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
    <ConfirmDeleteModal
      opened={opened}
      title={`Delete ${judge.name}?`}
      confirmLabel="Delete judge"
      pending={remove.isPending}
      error={remove.isError ? remove.error : null}
      onCancel={close}
      onConfirm={() =>
        remove.mutate(judge.id, {
          onSuccess: () => {
            onClose();
            onDeleted();
          },
        })
      }
    >
      Its runs and predictions are deleted with it, and a run in progress stops. This cannot be undone.
    </ConfirmDeleteModal>
  );
}
