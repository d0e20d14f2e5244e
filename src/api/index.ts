/** The hub API: `hubApi(retake)` is the Fastify plugin of its routes (`app.ts` registers it). */
export { hubApi } from './server.ts';
export { toQueueRow, type QueueRow } from './queue-row.ts';
export { buildOperatorServer } from './operator-server.ts';
