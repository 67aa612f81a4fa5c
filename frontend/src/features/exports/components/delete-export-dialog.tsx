import { ConfirmDeleteModal } from "@/components/ui/confirm-delete-modal";
import { useDeleteExport } from "../api/delete-export";
import type { Export } from "../types";
import { isFinished } from "../utils/progress";

interface DeleteExportDialogProps {
  projectId: number;
  /** The export to delete; null keeps the dialog closed. */
  snapshot: Export | null;
  onClose: () => void;
}

export function DeleteExportDialog({ projectId, snapshot, onClose }: DeleteExportDialogProps) {
  const remove = useDeleteExport(projectId);
  const close = () => {
    remove.reset();
    onClose();
  };
  return (
    <ConfirmDeleteModal
      opened={snapshot !== null}
      title={`Delete export #${snapshot?.id ?? ""}?`}
      confirmLabel="Delete export"
      pending={remove.isPending}
      error={remove.isError ? remove.error : null}
      onCancel={close}
      onConfirm={() => snapshot && remove.mutate(snapshot.id, { onSuccess: close })}
    >
      {snapshot && !isFinished(snapshot.status)
        ? "Its build stops and nothing is kept. This cannot be undone."
        : "Its file is deleted from the server; copies already downloaded are not affected. This cannot be undone."}
    </ConfirmDeleteModal>
  );
}
