/**
 * fal's proxy convention (`proxyUrl` in the client's config): the request goes to one
 * URL with the real target in `x-fal-target-url`. The target's fal host is mapped to
 * retake's mount and the request is replayed in-process, with the caller's own
 * Authorization, so it is authenticated and answered exactly as a direct call would be.
 * Answers are buffered (a status stream arrives whole, when it ends); when the caller
 * goes, the replayed request is aborted, so a dropped status stream stops its work.
 */
import type { FastifyInstance } from 'fastify';
import { RetakeError } from '../../errors/index.ts';

const TARGET_HEADER = 'x-fal-target-url';

/** fal's hosts → retake's mounts. */
const MOUNTS: Record<string, string> = { 'queue.fal.run': '/fal/queue', 'fal.run': '/fal/run', 'rest.fal.ai': '/fal/rest' };

/** The local path of a fal URL, or undefined for anything that is not one of fal's hosts. */
export function mountedPath(target: string): string | undefined {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return undefined;
  }
  const mount = url.protocol === 'https:' ? MOUNTS[url.host] : undefined;
  return mount === undefined ? undefined : `${mount}${url.pathname}${url.search}`;
}

export function registerProxyRoute(scope: FastifyInstance): void {
  scope.route({
    method: ['GET', 'POST', 'PUT'],
    url: '/proxy',
    handler: async (request, reply) => {
      const target = request.headers[TARGET_HEADER];
      const path = typeof target === 'string' ? mountedPath(target) : undefined;
      if (!path) throw new RetakeError('bad_request', `${TARGET_HEADER} must be a URL on queue.fal.run, fal.run or rest.fal.ai`);
      const headers: Record<string, string> = {};
      for (const name of ['authorization', 'content-type', 'accept', 'idempotency-key']) {
        const value = request.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      const gone = new AbortController();
      reply.raw.once('close', () => gone.abort());
      const answer = await scope.inject({
        signal: gone.signal,
        method: request.method,
        url: path,
        headers,
        ...(request.body === undefined ? {} : { payload: JSON.stringify(request.body) }),
      });
      for (const name of ['content-type', 'x-fal-request-id', 'retry-after']) {
        const value = answer.headers[name];
        if (value !== undefined) reply.header(name, value);
      }
      return reply.code(answer.statusCode).send(answer.rawPayload);
    },
  });
}
