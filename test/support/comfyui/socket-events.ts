/**
 * The stand-in's WebSocket (`/ws?clientId=`, also under `/api/`): one socket per client
 * id (a second connection with the same id replaces the first), a `status` message on
 * connect, and events sent to the client id that queued the prompt only, as ComfyUI
 * sends them. Every event is recorded, sent or not, for the tests.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';

export class SocketEvents {
  private readonly sockets = new Map<string, WebSocket>();
  private readonly wss = new WebSocketServer({ noServer: true });

  /** `sent` receives every event as `[type, data]`. */
  constructor(private readonly sent: [string, Record<string, unknown>][]) {}

  /**
   * Take an HTTP upgrade: a socket on `/ws` (or `/api/ws`) that `allowed` lets in is
   * registered under its client id and told the queue's `status`; anything else is cut.
   */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, allowed: (path: string, authorization: string | undefined) => boolean, status: () => unknown): void {
    const url = new URL(req.url ?? '/', 'http://x');
    if (!/^\/(api\/)?ws$/.test(url.pathname) || !allowed(url.pathname, req.headers.authorization)) {
      socket.destroy();
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const sid = url.searchParams.get('clientId') || randomUUID().replaceAll('-', '');
      this.sockets.get(sid)?.terminate();
      this.sockets.set(sid, ws);
      ws.on('close', () => {
        if (this.sockets.get(sid) === ws) this.sockets.delete(sid);
      });
      ws.send(JSON.stringify({ type: 'status', data: { status: status(), sid } }));
    });
  }

  /** Record an event and send it to client `sid` if its socket is open (no `sid`: recorded only). */
  send(type: string, data: Record<string, unknown>, sid: string | undefined): void {
    this.sent.push([type, data]);
    const ws = sid ? this.sockets.get(sid) : undefined;
    if (ws && ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type, data }));
  }

  /** A binary frame (a preview image) to client `sid`, if its socket is open. */
  preview(sid: string | undefined, bytes: Buffer): void {
    const ws = sid ? this.sockets.get(sid) : undefined;
    if (ws && ws.readyState === ws.OPEN) ws.send(bytes);
  }

  /** Cut every socket, as a network drop does (clients may reconnect). */
  drop(): void {
    for (const ws of this.sockets.values()) ws.terminate();
  }

  /** Cut every socket and forget them: the server went down. */
  closeAll(): void {
    this.drop();
    this.sockets.clear();
  }

  close(): void {
    this.closeAll();
    this.wss.close();
  }
}
