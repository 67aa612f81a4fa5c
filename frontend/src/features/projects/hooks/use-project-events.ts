import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { connectSocket, websocketUrl, type SocketStatus, type WebSocketFactory } from "@/lib/ws";
import { invalidateForEvent } from "../utils/invalidate-for-event";
import { parseProjectEvent, type ProjectEvent } from "../utils/events";

export const MAX_EVENTS = 100;

export interface ReceivedEvent extends ProjectEvent {
  /** Local sequence number, unique per page load; server events carry no id. */
  key: number;
}

let nextKey = 1;

interface Options {
  /** Tests inject a fake socket; the app uses the browser's WebSocket. */
  createSocket?: WebSocketFactory;
}

/**
 * Live events for one project, newest first. Events that change cached data
 * invalidate the affected queries so the page refetches them.
 */
export function useProjectEvents(projectId: number, options: Options = {}) {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<SocketStatus>("connecting");
  const [events, setEvents] = useState<ReceivedEvent[]>([]);
  const { createSocket } = options;

  useEffect(() => {
    const connection = connectSocket({
      url: websocketUrl(`/ws/projects/${projectId}/`),
      createSocket,
      onStatus: setStatus,
      onMessage: (message) => {
        const event = parseProjectEvent(message);
        if (!event) {
          return;
        }
        setEvents((previous) => [{ ...event, key: nextKey++ }, ...previous].slice(0, MAX_EVENTS));
        invalidateForEvent(queryClient, projectId, event);
      },
    });
    return () => connection.close();
  }, [projectId, createSocket, queryClient]);

  return { status, events };
}
