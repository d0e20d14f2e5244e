/**
 * The URL guard: fetch an input URL to a local file, refusing what a public service
 * must not fetch. http/https only; every hop's address is checked after DNS resolution
 * (inside the socket's own lookup, so there is no rebinding gap); redirects are
 * followed by hand (at most 5) so each one is checked; size, overall time and stalls are
 * limited. The file appears under `dest` only when complete.
 */
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { isIP } from 'node:net';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { RetakeError } from '../errors/index.ts';
import { blockedRange } from './address-policy.ts';
import { blockedError, guardedLookup, type AddressPolicy, type Resolver } from './guarded-lookup.ts';
import { toFetchError } from './fetch-errors.ts';
import { httpGet } from './http-get.ts';

const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export interface FetchToFileOptions {
  /** RETAKE_ALLOW_PRIVATE_URLS: lift the address rule (scheme, size and time rules stay). */
  allowPrivate: boolean;
  /** Largest body accepted, in bytes (checked against Content-Length and while streaming). */
  maxBytes: number;
  /** The whole fetch, redirects included, must finish within this many milliseconds. */
  timeoutMs: number;
  /** Fail when no byte (or no response headers) arrives for this long; default 15000. */
  stallMs?: number;
  /** Aborting stops the fetch and fails with `cancelled`. */
  signal?: AbortSignal;
  /** Host name resolution; default the OS resolver. A seam for tests. */
  resolve?: Resolver;
  /** Address rule; default {@link blockedRange}. A seam for tests. */
  policy?: AddressPolicy;
}

export interface FetchToFileResult {
  bytes: number;
  contentType: string | undefined;
}

/** Parse and check the scheme of an input URL; throws `input_url_invalid`. */
export function parseInputUrl(raw: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    throw new RetakeError('input_url_invalid', `Input URL is not a valid URL: ${raw.slice(0, 200)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new RetakeError('input_url_invalid', `Input URL must use http or https, not ${url.protocol.replace(/:$/, '')}`);
  }
  return url;
}

/** An IP-literal host never goes through `lookup`, so it is checked here. */
function assertLiteralAllowed(url: URL, policy: AddressPolicy): void {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) === 0) return;
  const reason = policy(host);
  if (reason !== undefined) throw blockedError(host, host, reason);
}

function byteCounter(maxBytes: number, onBytes: (total: number) => void): Transform {
  let total = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      total += chunk.length;
      onBytes(total);
      if (total > maxBytes) callback(new RetakeError('input_too_large', `Input is larger than the limit of ${maxBytes} bytes`));
      else callback(null, chunk);
    },
  });
}

/**
 * Fetch `url` into the file `dest` through the URL guard.
 * Throws RetakeError: `input_url_invalid`, `input_url_blocked`, `input_too_large`,
 * `input_timeout`, `input_http_error` (a 4xx answer), `input_unreachable` (5xx or a
 * network error, in the message),
 * `cancelled`. Nothing is left at `dest` on failure.
 */
export async function fetchToFile(url: string, dest: string, options: FetchToFileOptions): Promise<FetchToFileResult> {
  const stallMs = options.stallMs ?? 15_000;
  const policy: AddressPolicy = options.allowPrivate ? () => undefined : (options.policy ?? blockedRange);
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  const lookup = guardedLookup(options.resolve, policy);
  const partial = `${dest}.part`;
  let current = parseInputUrl(url);
  try {
    for (let hop = 0; ; hop++) {
      assertLiteralAllowed(current, policy);
      const body = await httpGet(current, { lookup, signal, stallMs, headers: { 'user-agent': 'retake', accept: '*/*' } });
      const { headers } = body;
      const statusCode = body.statusCode ?? 0;
      const location = headers.location;
      if (REDIRECT_STATUSES.has(statusCode) && typeof location === 'string') {
        body.destroy();
        if (hop >= MAX_REDIRECTS) throw new RetakeError('input_unreachable', `Input URL redirected more than ${MAX_REDIRECTS} times`);
        current = parseInputUrl(location, current);
        continue;
      }
      if (statusCode < 200 || statusCode >= 300) {
        body.destroy();
        // A 4xx will not change on retry (but 408 and 429 say "later"); a 5xx may.
        const permanent = statusCode >= 400 && statusCode < 500 && statusCode !== 408 && statusCode !== 429;
        throw new RetakeError(permanent ? 'input_http_error' : 'input_unreachable', `Input URL answered HTTP ${statusCode}`);
      }
      const declared = Number(headers['content-length']);
      if (Number.isFinite(declared) && declared > options.maxBytes) {
        body.destroy();
        throw new RetakeError('input_too_large', `Input is ${declared} bytes, larger than the limit of ${options.maxBytes} bytes`);
      }
      let bytes = 0;
      await pipeline(body, byteCounter(options.maxBytes, (n) => (bytes = n)), createWriteStream(partial), { signal });
      await rename(partial, dest);
      const type = headers['content-type'];
      return { bytes, contentType: typeof type === 'string' ? type : undefined };
    }
  } catch (err) {
    await rm(partial, { force: true });
    throw toFetchError(err, { cancelled: options.signal?.aborted === true, timedOut: deadline.aborted, timeoutMs: options.timeoutMs, stallMs });
  }
}
