/**
 * An HTTP proxy in front of an S3 server that verifies AWS Signature Version 4 the way
 * S3 does (Authorization header and presigned query), then forwards. s3rver accepts any
 * signature; requests that reach it through this proxy have been checked.
 * Written from AWS's SigV4 specification; `verifySigV4` is pinned to its worked examples.
 */
import { createHash, createHmac } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listenOn } from '../../src/cli/free-port.ts';

export interface SignedRequest {
  method: string;
  /** Path as sent (already percent-encoded) and the raw query string without `?`. */
  path: string;
  query: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data).digest();

/** RFC 3986 encoding as SigV4 wants it (everything but unreserved characters). */
function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function canonicalQuery(query: string, drop: string): string {
  if (!query) return '';
  return query.split('&').filter(Boolean)
    .map((pair) => {
      const [k = '', v = ''] = pair.split('=');
      return [decodeURIComponent(k.replace(/\+/g, '%20')), decodeURIComponent(v.replace(/\+/g, '%20'))] as const;
    })
    .filter(([k]) => k !== drop)
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

function headerValue(headers: IncomingHttpHeaders, name: string): string {
  const raw = headers[name];
  const value = Array.isArray(raw) ? raw.join(',') : raw ?? '';
  return value.trim().replace(/\s+/g, ' ');
}

function amzDateToMs(amzDate: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!m) return Number.NaN;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

/**
 * Check a request's SigV4 signature against `secrets` (access key id → secret).
 * Answers undefined when valid, or why not. `now` checks clock skew and presign expiry;
 * pass undefined to skip time checks (worked examples are dated 2013).
 */
export function verifySigV4(req: SignedRequest, secrets: Record<string, string>, now: number | undefined): string | undefined {
  const params = new URLSearchParams(req.query);
  const presigned = params.has('X-Amz-Signature');
  let credential: string, signedHeaders: string, signature: string, amzDate: string, payloadHash: string;
  if (presigned) {
    if (params.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') return 'unsupported algorithm';
    credential = params.get('X-Amz-Credential') ?? '';
    signedHeaders = params.get('X-Amz-SignedHeaders') ?? '';
    signature = params.get('X-Amz-Signature') ?? '';
    amzDate = params.get('X-Amz-Date') ?? '';
    payloadHash = 'UNSIGNED-PAYLOAD';
    const expires = Number(params.get('X-Amz-Expires'));
    if (now !== undefined && !(amzDateToMs(amzDate) + expires * 1000 >= now)) return 'presigned URL expired';
  } else {
    const auth = /^AWS4-HMAC-SHA256 Credential=([^,]+),\s*SignedHeaders=([^,]+),\s*Signature=([0-9a-f]{64})$/.exec(headerValue(req.headers, 'authorization'));
    if (!auth) return 'no SigV4 Authorization header';
    [, credential = '', signedHeaders = '', signature = ''] = auth;
    amzDate = headerValue(req.headers, 'x-amz-date');
    payloadHash = headerValue(req.headers, 'x-amz-content-sha256');
    if (!payloadHash) return 'no x-amz-content-sha256';
    if (/^[0-9a-f]{64}$/.test(payloadHash) && sha256(req.body) !== payloadHash) return 'payload hash mismatch';
    if (!/^[0-9a-f]{64}$/.test(payloadHash) && payloadHash !== 'UNSIGNED-PAYLOAD') return `unsupported payload mode ${payloadHash}`;
    if (now !== undefined && Math.abs(amzDateToMs(amzDate) - now) > 15 * 60_000) return 'request time too skewed';
  }
  const [accessKey = '', date = '', region = '', service = '', terminal = ''] = credential.split('/');
  const secret = secrets[accessKey];
  if (secret === undefined) return `unknown access key ${accessKey}`;
  if (terminal !== 'aws4_request' || !amzDate.startsWith(date)) return 'malformed credential scope';
  const names = signedHeaders.split(';');
  if (!names.includes('host')) return 'host is not signed';
  const canonicalRequest = [
    req.method,
    req.path,
    canonicalQuery(req.query, presigned ? 'X-Amz-Signature' : ''),
    names.map((n) => `${n}:${headerValue(req.headers, n)}\n`).join(''),
    signedHeaders,
    payloadHash,
  ].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
  const expected = createHmac('sha256', key).update(stringToSign).digest('hex');
  return expected === signature ? undefined : 'signature does not match';
}

export interface SigV4Proxy {
  endpoint: string;
  /** Requests forwarded after a good signature, and those refused with why. */
  accepted: number;
  refused: string[];
  close(): Promise<void>;
}

/** Start the verifying proxy on loopback in front of `target` (an http endpoint). */
export async function startSigV4Proxy(target: string, secrets: Record<string, string>): Promise<SigV4Proxy> {
  const upstream = new URL(target);
  const state = { accepted: 0, refused: [] as string[] };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const [path = '/', query = ''] = (req.url ?? '/').split(/\?(.*)/s);
      const why = verifySigV4({ method: req.method ?? 'GET', path, query, headers: req.headers, body }, secrets, Date.now());
      if (why) {
        state.refused.push(why);
        res.writeHead(403, { 'content-type': 'application/xml' });
        res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>SignatureDoesNotMatch</Code><Message>${why}</Message></Error>`);
        return;
      }
      state.accepted++;
      const { 'transfer-encoding': _chunked, ...headers } = req.headers;
      const forward = httpRequest({
        host: upstream.hostname, port: upstream.port, method: req.method, path: req.url,
        headers: { ...headers, 'content-length': String(body.length) },
      }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      forward.on('error', () => res.destroy());
      forward.end(body);
    });
  });
  await listenOn(server);
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    get accepted() { return state.accepted; },
    get refused() { return state.refused; },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
