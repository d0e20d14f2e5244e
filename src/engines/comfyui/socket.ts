/**
 * ComfyUI's WebSocket (`/ws?clientId=`), kept open while a job is followed: its JSON
 * messages (`executing`, `progress`, `execution_error` ...) go to `onMessage`; binary
 * frames (previews) are ignored. ComfyUI sends a prompt's events only to the client id
 * that queued it, so the id is the job's own (checkpointed) and a reconnect, even from
 * another process after a restart, gets the rest of them. A dropped socket reconnects
 * with backoff; meanwhile the follower polls `/history`.
 */
import WebSocket from 'ws';

export type SocketListener = (type: string, data: Record<string, unknown>) => void;

export interface ComfySocket {
  /** True while the socket is open. */
  readonly connected: boolean;
  /** Resolves true once open, false after `timeoutMs` (the follower polls meanwhile). */
  opened(timeoutMs: number): Promise<boolean>;
  /** Receive the messages; those that came before are replayed first. */
  listen(listener: SocketListener): void;
  close(): void;
}

export interface SocketOptions {
  headers?: Record<string, string> | undefined;
  /** First reconnect delay, doubled up to 5 s; default 250 ms. */
  reconnectMs?: number | undefined;
}

export function openComfySocket(baseUrl: string, clientId: string, options: SocketOptions): ComfySocket {
  const url = `${baseUrl.replace(/^http/, 'ws')}/ws?clientId=${encodeURIComponent(clientId)}`;
  const first = options.reconnectMs ?? 250;
  let delay = first;
  let socket: WebSocket | undefined;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let connected = false;
  let listener: SocketListener | undefined;
  const early: [string, Record<string, unknown>][] = [];
  const waiting = new Set<() => void>();
  const deliver = (type: string, data: Record<string, unknown>): void => {
    if (listener) listener(type, data);
    else early.push([type, data]);
  };

  const connect = (): void => {
    if (closed) return;
    const ws = new WebSocket(url, { headers: options.headers, handshakeTimeout: 10_000 });
    socket = ws;
    ws.on('open', () => {
      connected = true;
      delay = first;
      for (const wake of waiting) wake();
    });
    ws.on('message', (raw, isBinary) => {
      if (isBinary || !Buffer.isBuffer(raw)) return;
      let message: unknown;
      try {
        message = JSON.parse(raw.toString('utf8'));
      } catch {
        return;
      }
      const m = message as { type?: unknown; data?: unknown };
      if (typeof m.type === 'string' && typeof m.data === 'object' && m.data !== null) deliver(m.type, m.data as Record<string, unknown>);
    });
    // 'error' is always followed by 'close'; the close schedules the reconnect.
    ws.on('error', () => undefined);
    ws.on('close', () => {
      connected = false;
      if (closed) return;
      timer = setTimeout(connect, delay);
      timer.unref();
      delay = Math.min(5000, delay * 2);
    });
  };
  connect();

  return {
    get connected() {
      return connected;
    },
    opened(timeoutMs) {
      if (connected) return Promise.resolve(true);
      return new Promise((resolve) => {
        const done = (value: boolean) => {
          waiting.delete(wake);
          clearTimeout(timer);
          resolve(value);
        };
        const wake = () => done(true);
        const timer = setTimeout(() => done(false), timeoutMs);
        waiting.add(wake);
      });
    },
    listen(next) {
      listener = next;
      for (const [type, data] of early.splice(0)) next(type, data);
    },
    close() {
      closed = true;
      for (const wake of waiting) wake();
      clearTimeout(timer);
      socket?.removeAllListeners('close');
      socket?.on('error', () => undefined);
      socket?.terminate();
      connected = false;
    },
  };
}
