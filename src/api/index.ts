/** The HTTP API: `buildServer(retake)` returns the Fastify instance (not listening). */
export { buildServer } from './server.ts';
export { envelope, toApiError } from './error-envelope.ts';
export { toQueueRow, type QueueRow } from './queue-row.ts';
export type { RouteDoc } from './route-config.ts';
export { buildOperatorServer } from './operator-server.ts';
