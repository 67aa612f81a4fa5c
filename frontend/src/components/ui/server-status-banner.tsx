import { Alert, Box } from "@mantine/core";
import { useSyncExternalStore } from "react";
import { serverStatus as pageStatus, type ServerStatus } from "@/lib/server-status";

const KEPT = "Trying again… Anything you submit is kept on this device and sent once it is back.";

/**
 * A message over every screen while the server cannot be reached or cannot serve requests, and a
 * short "connected again" once it can. Nothing needs a reload: the page carries on by itself.
 */
export function ServerStatusBanner({ status = pageStatus }: { status?: ServerStatus }) {
  const state = useSyncExternalStore(status.subscribe, status.getSnapshot);
  if (state.problem === null && !state.recovered) {
    return null;
  }
  return (
    <Box pos="fixed" top={8} left="50%" w="min(640px, calc(100% - 16px))" style={{ zIndex: 1000, transform: "translateX(-50%)" }}>
      {state.problem === "unreachable" && (
        <Alert color="red" variant="filled" role="alert" data-testid="server-status" title="Can't reach the Moot server">
          {KEPT}
        </Alert>
      )}
      {state.problem === "unavailable" && (
        <Alert color="orange" variant="filled" role="alert" data-testid="server-status" title="Moot is temporarily unavailable">
          {state.detail ?? "The server cannot serve requests right now."} {KEPT}
        </Alert>
      )}
      {state.problem === null && (
        <Alert color="green" variant="filled" role="status" data-testid="server-status" title="Connected again" />
      )}
    </Box>
  );
}
