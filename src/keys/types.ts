/** API keys: created once (the secret is shown once), stored hashed, checked per request. */
import type { ApiKeyRow } from '../store/types.ts';

export interface KeyService {
  /** Create a key; `secret` is returned only here and never stored. */
  create(options: { name: string; hdrAccess?: boolean; budgetUsd?: number | null }): Promise<{ key: ApiKeyRow; secret: string }>;
  /**
   * The active key for a bearer secret, or undefined. With `from` (the client's
   * address), wrong secrets are counted against it, and an address over its limit is
   * refused with `rate_limited` before its secret is looked at.
   */
  authenticate(secret: string, from?: string): Promise<ApiKeyRow | undefined>;
  /**
   * The key of a secret that {@link authenticate} accepted within the last few seconds,
   * answered without the store (so without a promise); undefined when it is not
   * remembered, and then `authenticate` decides. `from` is checked against its limit
   * the same way.
   */
  remembered(secret: string, from?: string): ApiKeyRow | undefined;
  list(): Promise<ApiKeyRow[]>;
  revoke(idOrName: string): Promise<boolean>;
  /** Make sure a key with exactly this secret exists (RETAKE_BOOTSTRAP_KEY). */
  ensure(secret: string, name: string, hdrAccess: boolean): Promise<ApiKeyRow>;
}
