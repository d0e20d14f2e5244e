/**
 * Listening ports. The OS picks a free one, unless RETAKE_TEST_PORT_RANGE (for example
 * `20000-29999`) asks for one inside a range: the test suite sets it to keep its servers
 * there (a firewall, a machine where other services hold ports). `retake serve --port 0`
 * goes through here too, so servers the tests start as processes stay in the range.
 */
import { createServer, type AddressInfo, type Server } from 'node:net';

/** The range RETAKE_TEST_PORT_RANGE asks for, or undefined (the OS picks). */
export function portRange(env: Record<string, string | undefined> = process.env): [number, number] | undefined {
  const raw = env.RETAKE_TEST_PORT_RANGE;
  if (!raw) return undefined;
  const match = /^(\d+)-(\d+)$/.exec(raw.trim());
  const [low, high] = match ? [Number(match[1]), Number(match[2])] : [NaN, NaN];
  if (!(low >= 1 && high <= 65535 && low <= high)) throw new Error(`RETAKE_TEST_PORT_RANGE must be LOW-HIGH within 1-65535, got "${raw}"`);
  return [low, high];
}

function tryListen(server: Server, port: number, host: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      server.removeListener('listening', onListening);
      if (err.code === 'EADDRINUSE' || err.code === 'EACCES') resolve(false);
      else reject(err);
    };
    const onListening = (): void => {
      server.removeListener('error', onError);
      resolve(true);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/** Start `server` listening on `host` at a free port (in the range, when one is set); its port. */
export async function listenOn(server: Server, host = '127.0.0.1'): Promise<number> {
  const range = portRange();
  if (!range) {
    await tryListen(server, 0, host);
    return (server.address() as AddressInfo).port;
  }
  const [low, high] = range;
  const size = high - low + 1;
  const start = Math.floor(Math.random() * size);
  for (let i = 0; i < Math.min(size, 1000); i++) {
    const port = low + ((start + i) % size);
    if (await tryListen(server, port, host)) return port;
  }
  throw new Error(`no free port in RETAKE_TEST_PORT_RANGE ${low}-${high} on ${host}`);
}

/** A port on `host` that was free a moment ago (in the range, when one is set). */
export async function freePort(host: string): Promise<number> {
  const probe = createServer();
  const port = await listenOn(probe, host);
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
