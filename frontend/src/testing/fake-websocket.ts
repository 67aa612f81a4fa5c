import type { WebSocketLike } from "@/lib/ws";

/** A controllable stand-in for the browser WebSocket; tests drive open/message/close by hand. */
export class FakeWebSocket implements WebSocketLike {
  static instances: FakeWebSocket[] = [];

  onopen: ((event: Event) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  closed = false;

  constructor(readonly url: string) {
    FakeWebSocket.instances.push(this);
  }

  static reset() {
    FakeWebSocket.instances = [];
  }

  static latest(): FakeWebSocket {
    const socket = FakeWebSocket.instances.at(-1);
    if (!socket) {
      throw new Error("no socket was created");
    }
    return socket;
  }

  static create = (url: string): FakeWebSocket => new FakeWebSocket(url);

  open() {
    this.onopen?.(new Event("open"));
  }

  receive(message: unknown) {
    const data = typeof message === "string" ? message : JSON.stringify(message);
    this.onmessage?.(new MessageEvent("message", { data }));
  }

  /** The server or network dropped the connection. */
  drop(code = 1006) {
    this.onerror?.(new Event("error"));
    this.onclose?.(new CloseEvent("close", { code }));
  }

  close() {
    this.closed = true;
  }
}
