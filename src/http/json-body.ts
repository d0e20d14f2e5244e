/**
 * The one JSON body parser of every API (the hub's `/api`, Replicate's `/v1`, fal's
 * `/fal`): Fastify's own parser (prototype-poisoning refused), the size bound of the
 * server's body limit, and a depth bound. Parsing a deep body is cheap, but everything
 * after it that walks the value recursively (hashing it for an Idempotency-Key,
 * re-serialising it for fal's proxy, validating it) would overflow the stack on one
 * 10,000 levels deep; no request retake takes comes near the bound.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { RetakeError } from '../errors/index.ts';

/** Deepest nesting of objects and arrays a body may have. */
export const MAX_JSON_DEPTH = 32;

/** Whether `value` nests objects or arrays deeper than `limit` (walked without recursion). */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (item === null || typeof item !== 'object') continue;
    if (depth > limit) return true;
    for (const child of Object.values(item)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * Replace `scope`'s `application/json` parser with the bounded one.
 * @param allowEmpty when an empty body parses as no body (DELETE with a JSON content type; fal's and Replicate's bodiless POSTs)
 */
export function installJsonBody(scope: FastifyInstance, allowEmpty: (request: FastifyRequest) => boolean): void {
  const parse = scope.getDefaultJsonParser('error', 'error');
  scope.removeContentTypeParser('application/json');
  scope.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body.toString();
    if (text.trim() === '' && allowEmpty(request)) {
      done(null, undefined);
      return;
    }
    void parse(request, text, (err, value) => {
      if (err) done(err, undefined);
      else if (nestedDeeperThan(value, MAX_JSON_DEPTH)) {
        done(new RetakeError('bad_request', `Body nests objects or arrays deeper than ${MAX_JSON_DEPTH} levels`), undefined);
      } else done(null, value);
    });
  });
}
