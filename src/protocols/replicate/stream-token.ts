/**
 * Replicate's clients open `urls.stream` without their API key, so the URL carries
 * its own proof: an HMAC of the prediction id, checked in constant time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export function streamToken(secret: string, predictionId: string): string {
  return createHmac('sha256', secret).update(`prediction-stream:${predictionId}`).digest('base64url');
}

export function isStreamToken(secret: string, predictionId: string, token: unknown): boolean {
  if (typeof token !== 'string') return false;
  const want = Buffer.from(streamToken(secret, predictionId));
  const got = Buffer.from(token);
  return got.length === want.length && timingSafeEqual(got, want);
}
