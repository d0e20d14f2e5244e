/**
 * The Workbench's HTTP client: same-origin fetch with the stored key, and the error
 * envelope turned into an `ApiError` whose message a person can act on.
 */

export interface FieldProblem {
  field: string;
  message: string;
}

/** An error answer of the API (or a network failure, status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly fields: FieldProblem[] = [],
  ) {
    super(message);
  }
}

export interface Api {
  /** JSON request; resolves with the parsed answer or throws ApiError. */
  json<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T>;
  /** Upload a file to `POST /api/files`; resolves with its URL. */
  upload(file: File): Promise<string>;
  /** Raw fetch with the key (for streams). */
  fetch(path: string, init?: RequestInit): Promise<Response>;
}

/** The message for a 401: what is wrong with the key, in the page's words. */
export function keyProblem(hasKey: boolean): string {
  return hasKey
    ? 'The server refused this API key (invalid or revoked). Check it, or create one with "retake keys create".'
    : 'Enter an API key first: "retake serve" prints one on first start, or create one with "retake keys create".';
}

async function toError(res: Response, hasKey: boolean): Promise<ApiError> {
  let body: { error?: { type?: string; detail?: string; title?: string; fields?: FieldProblem[] } } = {};
  try {
    body = (await res.json()) as typeof body;
  } catch {
    // Not an envelope (a proxy's page): fall back to the status line.
  }
  const type = body.error?.type ?? `http_${res.status}`;
  if (res.status === 401) return new ApiError(401, type, keyProblem(hasKey));
  const detail = body.error?.detail ?? body.error?.title ?? `${res.status} ${res.statusText}`;
  return new ApiError(res.status, type, detail, body.error?.fields ?? []);
}

/** A client that reads the key from `getKey` on every call (so a new key applies at once). */
export function createApi(getKey: () => string): Api {
  const authFetch = async (path: string, init: RequestInit = {}): Promise<Response> => {
    const headers = new Headers(init.headers);
    const key = getKey();
    if (key) headers.set('authorization', `Bearer ${key}`);
    try {
      return await fetch(path, { ...init, headers });
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') throw err;
      throw new ApiError(0, 'network_error', 'The server cannot be reached; is retake still running?');
    }
  };
  return {
    fetch: authFetch,
    async json<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
      const init: RequestInit = { method, signal: signal ?? null };
      if (body !== undefined) {
        init.body = JSON.stringify(body);
        init.headers = { 'content-type': 'application/json' };
      }
      const res = await authFetch(path, init);
      if (!res.ok) throw await toError(res, getKey() !== '');
      return (await res.json()) as T;
    },
    async upload(file: File): Promise<string> {
      const form = new FormData();
      form.append('file', file, file.name);
      const res = await authFetch('/api/files', { method: 'POST', body: form });
      if (!res.ok) throw await toError(res, getKey() !== '');
      return ((await res.json()) as { url: string }).url;
    },
  };
}
