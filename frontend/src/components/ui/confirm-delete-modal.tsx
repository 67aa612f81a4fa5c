import { Alert, Button, Group, Modal, Stack, Text } from "@mantine/core";
import type { ReactNode } from "react";
import { errorMessage } from "./error-message";

interface ConfirmDeleteModalProps {
  opened: boolean;
  title: string;
  /** What deleting takes with it. */
  children: ReactNode;
  confirmLabel: string;
  pending: boolean;
  /** The failed request's error, shown above the buttons; null when there is none. */
  error: unknown;
  onCancel: () => void;
  onConfirm: () => void;
}

/** The one confirmation every destructive action asks for: what goes, Cancel, and a red button. */
export function ConfirmDeleteModal({
  opened,
  title,
  children,
  confirmLabel,
  pending,
  error,
  onCancel,
  onConfirm,
}: ConfirmDeleteModalProps) {
  return (
    <Modal opened={opened} onClose={onCancel} title={title}>
      <Stack>
        <Text size="sm">{children}</Text>
        {error != null && (
          <Alert color="red" role="alert">
            {errorMessage(error)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button color="red" loading={pending} onClick={onConfirm}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
