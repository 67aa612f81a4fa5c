import { Alert, Button, Center, Stack } from "@mantine/core";
import { useRouteError } from "react-router";
import { errorMessage } from "@/components/ui/error-message";

export function RouteError() {
  const error = useRouteError();
  return (
    <Center mih="60vh" p="md">
      <Alert color="red" title="Something went wrong" role="alert" maw={480}>
        <Stack align="flex-start">
          {errorMessage(error)}
          <Button variant="light" color="red" onClick={() => window.location.reload()}>
            Reload
          </Button>
        </Stack>
      </Alert>
    </Center>
  );
}
