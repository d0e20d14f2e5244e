/**
 * A served retake keeps serving when a promise somewhere rejects with nobody listening:
 * Node's default ends the process, taking every client, stream and running render with
 * it for one forgotten `.catch`. The rejection is logged as an error (with its stack,
 * so the missing handler can be found) and the process carries on.
 */
import type { Logger } from 'pino';

export function keepServingOnUnhandledRejection(logger: Logger): () => void {
  const onRejection = (reason: unknown): void => {
    logger.error({ err: reason }, 'unhandled promise rejection (still serving)');
  };
  process.on('unhandledRejection', onRejection);
  return () => process.off('unhandledRejection', onRejection);
}
