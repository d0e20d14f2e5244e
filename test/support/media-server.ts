/**
 * A static file server on 127.0.0.1 for the sample clips, standing in for "a clip on
 * the web" (the server under test runs with private URLs allowed).
 */
import { createReadStream, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { listenOn } from '../../src/cli/free-port.ts';

export const MEDIA_DIR = fileURLToPath(new URL('../fixtures/media/', import.meta.url));

export interface MediaServer {
  /** URL of a fixture, e.g. `url('flower.mp4')`. */
  url(name: string): string;
  /** How many requests each path received. */
  hits: Map<string, number>;
  close(): Promise<void>;
}

export async function startMediaServer(): Promise<MediaServer> {
  const hits = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const name = decodeURIComponent((req.url ?? '/').slice(1).split('?')[0] ?? '');
    hits.set(name, (hits.get(name) ?? 0) + 1);
    if (!/^[A-Za-z0-9_.-]+$/.test(name)) {
      res.statusCode = 404;
      res.end();
      return;
    }
    const path = `${MEDIA_DIR}${name}`;
    try {
      const { size } = statSync(path);
      res.setHeader('content-length', size);
      res.setHeader('content-type', name.endsWith('.jpg') ? 'image/jpeg' : 'video/mp4');
      createReadStream(path).pipe(res);
    } catch {
      res.statusCode = 404;
      res.end();
    }
  });
  await listenOn(server);
  const { port } = server.address() as AddressInfo;
  return {
    url: (name) => `http://127.0.0.1:${port}/${name}`,
    hits,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
