/**
 * RetakeError: the one error type that crosses module boundaries. Anything else thrown
 * is normalised into `internal_error` at the API boundary (the cause is kept for logs,
 * never sent to clients).
 */
import { ERRORS, isErrorCode, type ErrorCode } from './catalogue.ts';
import { remedyFor } from './remedies.ts';

/** `detail` followed by the remedy (once), so every reader of the message gets both. */
function withRemedy(detail: string, remedy: string | undefined): string {
  if (!remedy || detail.includes(remedy)) return detail;
  return `${/[.!?]$/.test(detail) ? detail : `${detail}.`} ${remedy}`;
}

/** One problem with one field of a request (validation errors list all of them). */
export interface FieldProblem {
  /** The field's name (`prompt`, `hdr`, ...) or `''` for the body as a whole. */
  field: string;
  message: string;
}

export class RetakeError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly title: string;
  readonly fields: FieldProblem[] | undefined;
  /** Extra headers for the HTTP answer (Retry-After, ...). */
  readonly headers: Record<string, string> | undefined;

  constructor(
    code: ErrorCode,
    detail?: string,
    options: {
      cause?: unknown;
      fields?: FieldProblem[];
      headers?: Record<string, string>;
      /** What to do, where it differs from the code's catalogue remedy (one code, several limits). */
      remedy?: string;
    } = {},
  ) {
    const entry = ERRORS[code];
    super(withRemedy(detail ?? entry.title, options.remedy ?? remedyFor(code)), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RetakeError';
    this.code = code;
    this.status = entry.status;
    this.title = entry.title;
    this.fields = options.fields;
    this.headers = options.headers;
  }

  /** The detail shown to clients: what went wrong, then what to do about it where the catalogue knows. */
  get detail(): string {
    return this.message;
  }
}

/** Turn anything thrown into a RetakeError, keeping the original as `cause`. */
export function toRetakeError(err: unknown, fallback: ErrorCode = 'internal_error'): RetakeError {
  if (err instanceof RetakeError) return err;
  if (err && typeof err === 'object' && 'code' in err && isErrorCode((err).code)) {
    const e = err as { code: ErrorCode; message?: string };
    return new RetakeError(e.code, e.message, { cause: err });
  }
  return new RetakeError(fallback, undefined, { cause: err });
}
