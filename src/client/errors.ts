/** The error every failed call of the client throws: retake's envelope, typed. */

export interface FieldProblem {
  field: string;
  message: string;
}

export class RetakeApiError extends Error {
  /** HTTP status (0 when the server could not be reached). */
  readonly status: number;
  /** retake's stable error code (`validation_error`, `model_not_found`, ...). */
  readonly type: string;
  readonly title: string;
  readonly detail: string;
  /** Every problem with the request, for a 422. */
  readonly fields: FieldProblem[];

  constructor(status: number, body: unknown, options?: { cause?: unknown }) {
    const error = (body as { error?: { type?: unknown; title?: unknown; detail?: unknown; fields?: unknown } } | undefined)?.error;
    const detail = typeof error?.detail === 'string' ? error.detail : `HTTP ${status}`;
    super(detail, options);
    this.name = 'RetakeApiError';
    this.status = status;
    this.type = typeof error?.type === 'string' ? error.type : status === 0 ? 'network_error' : 'unknown';
    this.title = typeof error?.title === 'string' ? error.title : detail;
    this.detail = detail;
    this.fields = Array.isArray(error?.fields) ? (error.fields as FieldProblem[]) : [];
  }
}
