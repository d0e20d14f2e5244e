/**
 * fal's clients PUT upload bytes to the `upload_url` they were given without any
 * Authorization header, so the URL itself carries the grant: the blob key, content
 * owner and expiry, HMAC-signed with the server's secret.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { RetakeError } from '../../errors/index.ts';

export interface UploadGrant {
  /** Upload id (the blob key is derived from it). */
  id: string;
  /** Blob key the finished file is stored under. */
  key: string;
  keyId: string;
  /** Expiry, epoch ms. */
  exp: number;
}

const mac = (secret: string, payload: string) => createHmac('sha256', secret).update(`fal-upload:${payload}`).digest('base64url');

export function signUpload(secret: string, grant: UploadGrant): string {
  const payload = Buffer.from(JSON.stringify(grant)).toString('base64url');
  return `${payload}.${mac(secret, payload)}`;
}

/** The grant of a token for upload `id`, or 403-style `unauthorized` when forged, expired or for another upload. */
export function verifyUpload(secret: string, token: unknown, id: string, now = Date.now()): UploadGrant {
  const [payload = '', sig = ''] = typeof token === 'string' ? token.split('.', 2) : [];
  const want = Buffer.from(mac(secret, payload));
  const got = Buffer.from(sig);
  if (payload && got.length === want.length && timingSafeEqual(got, want)) {
    const grant = JSON.parse(Buffer.from(payload, 'base64url').toString()) as UploadGrant;
    if (grant.id === id && grant.exp > now) return grant;
  }
  throw new RetakeError('unauthorized', 'The upload URL is invalid or expired; initiate the upload again');
}
