import { Badge } from "@mantine/core";
import type { SocketStatus } from "@/lib/ws";

/** Whether the page is receiving the project's live events. */
export function LiveBadge({ status }: { status: SocketStatus }) {
  return (
    <Badge variant="dot" color={status === "live" ? "green" : "gray"} data-testid="ws-status">
      {status === "live" ? "updating live" : status}
    </Badge>
  );
}
