/** Finds a free TCP port by letting the OS pick one, so `--port 0` can still print real URLs. */
import { createServer } from 'node:net';

/** A port on `host` that was free a moment ago. */
export function freePort(host: string): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolvePort(port));
    });
  });
}
