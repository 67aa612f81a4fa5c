import { Alert, Button, Center, Loader, Stack } from "@mantine/core";
import { errorMessage } from "./error-message";

export function PageLoader({ label = "Loading" }: { label?: string }) {
  return (
    <Center py="xl" role="status" aria-label={label}>
      <Loader />
    </Center>
  );
}

interface QueryErrorProps {
  error: unknown;
  title?: string;
  onRetry?: () => void;
}

export function QueryError({ error, title = "Could not load data", onRetry }: QueryErrorProps) {
  return (
    <Alert color="red" title={title} role="alert">
      <Stack gap="xs" align="flex-start">
        {errorMessage(error)}
        {onRetry && (
          <Button size="xs" variant="light" color="red" onClick={onRetry}>
            Try again
          </Button>
        )}
      </Stack>
    </Alert>
  );
}
