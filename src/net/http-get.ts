/**
 * One HTTP(S) GET with Node's own client, the socket's host lookup replaced by the
 * guard's. Node's client rather than undici for downloads: undici 7 (the last line that
 * runs on Node 20) can crash the process with an uncatchable assertion when a server
 * closes the connection while a slow consumer (a disk write) holds the body paused
 * (nodejs/undici#5360, fixed only in undici 8, which needs Node 22).
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';

export interface HttpGetOptions {
  lookup: LookupFunction;
  signal: AbortSignal;
  /** Socket idle limit: no byte for this long fails with code ETIMEDOUT. */
  stallMs: number;
  headers?: Record<string, string>;
}

/** Resolves with the response once its headers arrive; the body is the returned stream. */
export function httpGet(url: URL, options: HttpGetOptions): Promise<IncomingMessage> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'GET',
      agent: false,
      lookup: options.lookup,
      signal: options.signal,
      timeout: options.stallMs,
      headers: options.headers,
    });
    let response: IncomingMessage | undefined;
    req.on('timeout', () => {
      const err: NodeJS.ErrnoException = new Error(`no data for ${options.stallMs} ms`);
      err.code = 'ETIMEDOUT';
      // Mid-body, the reader sees the response's error, so it must carry the reason.
      response?.destroy(err);
      req.destroy(err);
    });
    req.once('response', (res) => {
      response = res;
      resolve(res);
    });
    req.once('error', reject);
    req.end();
  });
}
