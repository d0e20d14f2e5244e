/**
 * `retake serve`: builds the service from the environment (flags win), serves the HTTP
 * API (roles all/api) and/or consumes jobs (roles all/worker), and drains on SIGINT/SIGTERM
 * (running jobs finish or are handed back within RETAKE_SHUTDOWN_MS). On a fresh data dir it creates a development key and prints it once.
 */
import type { FastifyInstance } from 'fastify';
import { buildOperatorServer } from '../../api/index.ts';
import { buildServer, createRetake } from '../../app.ts';
import { loadConfig, type Config } from '../../config.ts';
import type { Retake, Role } from '../../retake.ts';
import { freePort } from '../free-port.ts';
import { keepServingOnUnhandledRejection } from '../unhandled-rejections.ts';
import { UsageError } from '../output.ts';

export interface ServeOptions {
  /** Listen address. Default RETAKE_HOST or 127.0.0.1. */
  host?: string;
  /** Listen port, 0 for any free one. Default RETAKE_PORT or 8787. */
  port?: string;
  /** all | api | worker. Default all. */
  role?: string;
  /** Renders this worker runs at once. Default RETAKE_CONCURRENCY or 1. */
  concurrency?: string;
  /** A worker's operator port (/metrics, /readyz, /healthz only). Default RETAKE_METRICS_PORT or none. */
  metricsPort?: string;
}

const ROLES: readonly Role[] = ['all', 'api', 'worker'];

function parseRole(raw: string | undefined): Role {
  const role = (raw ?? 'all') as Role;
  if (!ROLES.includes(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}, got "${raw}"`);
  return role;
}

function parseInteger(flag: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${flag} must be an integer from ${min} to ${max}, got "${raw}"`);
  return n;
}

/** The configuration with command-line flags applied over the environment. */
async function configFrom(options: ServeOptions, role: Role): Promise<Config> {
  const overrides: Partial<Config> = {};
  if (options.host !== undefined) overrides.host = options.host;
  const port = parseInteger('--port', options.port, 0, 65535);
  if (port !== undefined) overrides.port = port;
  const concurrency = parseInteger('--concurrency', options.concurrency, 1, 64);
  if (concurrency !== undefined) overrides.concurrency = concurrency;
  const metricsPort = parseInteger('--metrics-port', options.metricsPort, 0, 65535);
  if (metricsPort !== undefined) overrides.metricsPort = metricsPort;
  const config = loadConfig(overrides);
  // Port 0 must become a real port before the service is built: URLs handed to clients
  // (RETAKE_PUBLIC_URL's default) are derived from it.
  if (config.port === 0 && role !== 'worker') {
    return loadConfig({ ...overrides, port: await freePort(config.host) });
  }
  return config;
}

/** Create and announce the `dev` key when the store has no key and no bootstrap key is set. */
async function ensureDevKey(retake: Retake, baseUrl: string): Promise<void> {
  if (retake.config.bootstrapKey) return;
  if ((await retake.keys.list()).length > 0) return;
  const { secret } = await retake.keys.create({ name: 'dev', hdrAccess: true, budgetUsd: null });
  const lines = [
    '',
    '  First start: created a development API key named "dev".',
    '  It is shown only this once; copy it now.',
    '',
    `    ${secret}`,
    '',
    '  Try it: upload a video, then queue an edit of the url it answers with:',
    `    curl -H "Authorization: Bearer ${secret}" -F file=@video.mp4 ${baseUrl}/api/files`,
    `    curl -H "Authorization: Bearer ${secret}" -H "Content-Type: application/json" \\`,
    `      -d '{"model":"retake-local","prompt":"watercolor, warm","input_video":"<url>"}' ${baseUrl}/api/ai/queue`,
    `  Or open the Workbench: ${baseUrl}/workbench`,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/**
 * Resolves with the first SIGINT/SIGTERM. Installed before anything is announced, so a
 * signal sent as soon as "listening on" appears cannot hit the default (fatal) action.
 * A second signal exits at once without waiting for renders to wind down.
 */
function firstSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolveSignal) => {
    let received = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (received) {
        process.stderr.write(`retake: ${signal} again, exiting at once\n`);
        process.exit(1);
      }
      received = true;
      resolveSignal(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

/** Run the service until SIGINT/SIGTERM, then close the server and the service. */
export async function serveCommand(options: ServeOptions): Promise<void> {
  const role = parseRole(options.role);
  const config = await configFrom(options, role);
  const signal = firstSignal();
  const retake = await createRetake(config, { role });
  keepServingOnUnhandledRejection(retake.logger);
  let server: FastifyInstance | undefined;
  let operator: FastifyInstance | undefined;
  try {
    if (role !== 'worker') {
      server = await buildServer(retake);
      await server.listen({ host: config.host, port: config.port });
      // Only a front end prints the key: a worker's stdout is rarely read by a person.
      await ensureDevKey(retake, config.publicUrl);
    } else if (config.metricsPort !== undefined) {
      operator = buildOperatorServer(retake);
      await operator.listen({ host: config.host, port: config.metricsPort });
    }
  } catch (err) {
    await server?.close().catch(() => undefined);
    await operator?.close().catch(() => undefined);
    await retake.close().catch(() => undefined);
    throw err;
  }

  if (server) {
    const listening = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`;
    process.stdout.write(`retake ${role === 'all' ? '' : `(${role}) `}listening on ${listening}\n`);
    if (config.publicUrl !== listening) process.stdout.write(`public URL: ${config.publicUrl}\n`);
  }
  if (operator) {
    const address = operator.server.address();
    const port = typeof address === 'object' && address ? address.port : config.metricsPort;
    process.stdout.write(`metrics on http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}/metrics\n`);
  }
  if (role !== 'api') process.stdout.write(`worker running (concurrency ${config.concurrency})\n`);

  process.stdout.write(`retake: ${await signal} received, shutting down\n`);
  try {
    await drain(retake, server);
  } finally {
    // Closed only after the drain, so a scrape during it still sees /readyz answer 503.
    await operator?.close();
  }
}

/**
 * Graceful shutdown within RETAKE_SHUTDOWN_MS: readiness turns 503, the worker takes no
 * new jobs and its running ones may finish (the rest go back to the queue for another
 * worker), SSE streams end with a `retry:` hint, requests in flight are answered. What
 * is still open at the deadline (a sync request waiting on a long render) is cut.
 */
async function drain(retake: Retake, server: FastifyInstance | undefined): Promise<void> {
  const graceMs = retake.config.shutdownMs;
  const deadline = setTimeout(() => server?.server.closeAllConnections(), graceMs);
  deadline.unref();
  try {
    await Promise.all([server?.close(), retake.stopJobs(graceMs)]);
  } finally {
    clearTimeout(deadline);
    await retake.close();
  }
}
