/**
 * Runs inside the cluster's client host: one Unix socket per target host, each
 * connection piped to that host's TCP port. The test (in the machine's own namespace)
 * speaks HTTP over these sockets, so every TCP connection stays inside the lab.
 * Usage: forwarder.ts <socket dir> <name>=<address>:<port> ...
 */
import { connect, createServer } from 'node:net';
import { join } from 'node:path';

const [dir, ...targets] = process.argv.slice(2);
let listening = 0;
for (const target of targets) {
  const [name = '', where = ''] = target.split('=');
  const [host = '', port = ''] = where.split(':');
  const server = createServer((client) => {
    const upstream = connect(Number(port), host);
    client.pipe(upstream).pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close);
    upstream.on('error', close);
    client.on('close', close);
    upstream.on('close', close);
  });
  server.listen(join(dir!, `${name}.sock`), () => {
    if (++listening === targets.length) process.stdout.write('forwarding\n');
  });
}
