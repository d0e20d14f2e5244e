/**
 * HTTP to a hosted provider (fal, Luma) with the retry rules that keep a paid job safe:
 * 429 waits for `Retry-After`, 5xx and refused connections back off and try again, and
 * the statuses that will never succeed (400/401/402/403/413/422) fail at once with the
 * provider's own reason. Plain undici rather than an SDK: every base URL is a config
 * value (proxies, local stand-ins in tests) and the retry and error rules are ours.
 */
import { request } from 'undici';
import { RetakeError } from '../../errors/index.ts';
import { errorCode } from '../../net/index.ts';
import { abortableSleep } from './sleep.ts';

export interface RetryOptions {
  /** Tries per call, default 6. */
  attempts?: number;
  /** First backoff delay for 5xx and network errors, doubled each time; default 1000 ms. */
  baseDelayMs?: number;
  /** Longest single wait (also caps Retry-After), default 60000 ms. */
  maxDelayMs?: number;
}

export interface ProviderCall {
  /** `fal` or `Luma`: named in error messages. */
  provider: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  json?: unknown;
  signal: AbortSignal;
  retry?: RetryOptions;
}

/** Statuses worth another try: rate limits and a provider or gateway in trouble. */
const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);
/** Connection failures that happen before the provider saw the request: safe to repeat even a submit. */
const BEFORE_SEND_CODES = new Set(['ECONNREFUSED', 'UND_ERR_CONNECT_TIMEOUT', 'EAI_AGAIN', 'ENOTFOUND']);
/**
 * Failures mid-exchange: the provider may have acted on the request, so only reads and
 * idempotent calls repeat; a POST that dies here is left to the checkpoint logic.
 */
const MID_EXCHANGE_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** Call a provider's JSON API; answers the parsed body of a 2xx response. */
export async function callProvider<T = unknown>(call: ProviderCall): Promise<T> {
  const attempts = call.retry?.attempts ?? 6;
  const base = call.retry?.baseDelayMs ?? 1000;
  const max = call.retry?.maxDelayMs ?? 60_000;
  let lastDetail = '';
  for (let attempt = 1; ; attempt++) {
    let status: number;
    let text: string;
    let retryAfter: string | string[] | undefined;
    try {
      const res = await request(call.url, {
        method: call.method,
        headers: {
          accept: 'application/json',
          ...(call.json === undefined ? {} : { 'content-type': 'application/json' }),
          ...call.headers,
        },
        body: call.json === undefined ? undefined : JSON.stringify(call.json),
        signal: call.signal,
      });
      status = res.statusCode;
      retryAfter = res.headers['retry-after'];
      text = await res.body.text();
    } catch (err) {
      if (call.signal.aborted) throw err;
      const code = errorCode(err);
      lastDetail = `${call.provider} could not be reached (${code ?? 'network error'})`;
      const repeatable = code !== undefined
        && (BEFORE_SEND_CODES.has(code) || (call.method !== 'POST' && MID_EXCHANGE_CODES.has(code)));
      if (!repeatable || attempt >= attempts) {
        throw new RetakeError('engine_unavailable', lastDetail, { cause: err });
      }
      await abortableSleep(Math.min(max, base * 2 ** (attempt - 1)), call.signal);
      continue;
    }
    if (status >= 200 && status < 300) return (text ? JSON.parse(text) : {}) as T;
    const reason = providerReason(text);
    if (!RETRY_STATUSES.has(status)) throw rejection(call.provider, status, reason);
    lastDetail = `${call.provider} answered ${status}${reason ? `: ${reason}` : ''}`;
    if (attempt >= attempts) throw new RetakeError('engine_unavailable', lastDetail);
    const wait = status === 429 ? retryAfterMs(retryAfter) ?? base * 2 ** (attempt - 1) : base * 2 ** (attempt - 1);
    await abortableSleep(Math.min(max, wait), call.signal);
  }
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | string[] | undefined, now = Date.now()): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The error for a status that another try will not fix, with the provider's words in it. */
export function rejection(provider: string, status: number, reason: string): RetakeError {
  const said = reason ? `: ${reason}` : '';
  if (isModeration(reason)) return new RetakeError('content_moderated', `${provider} refused the request under its content policy${said}`);
  if (status === 401 || status === 403) {
    return new RetakeError('provider_rejected', `${provider} refused the operator's API key (${status})${said}`);
  }
  if (status === 402) return new RetakeError('provider_rejected', `${provider} refused the request for billing reasons (402)${said}`);
  if (status === 413) return new RetakeError('input_too_large', `${provider} refused the input as too large (413)${said}`);
  return new RetakeError('provider_rejected', `${provider} rejected the request (${status})${said}`);
}

/** Content-moderation failures are named differently by each provider; match them all. */
export function isModeration(text: string): boolean {
  return /content[_ -]?(policy|moderat)|moderat(ed|ion)|safety|nsfw/i.test(text);
}

/**
 * A short, readable reason from an error body: fal's `{detail}` (string or a list of
 * `{msg, type}`), Luma's `{error: {message}}` / `{message}` / `{failure_reason}`, or text.
 */
export function providerReason(text: string): string {
  if (!text) return '';
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return text.slice(0, 300);
  }
  const pick = (v: unknown): string | undefined => {
    if (typeof v === 'string') return v;
    if (Array.isArray(v)) {
      const parts = v.map((item) => (item && typeof item === 'object'
        ? [(item as Record<string, unknown>).type, (item as Record<string, unknown>).msg ?? (item as Record<string, unknown>).message]
          .filter((x) => typeof x === 'string').join(': ')
        : String(item)));
      return parts.join('; ');
    }
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      return pick(o.detail) ?? pick(o.message) ?? pick(o.error) ?? pick(o.failure_reason);
    }
    return undefined;
  };
  return (pick(body) ?? text).slice(0, 300);
}
