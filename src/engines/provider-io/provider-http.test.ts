import { describe, expect, it } from 'vitest';
import { providerReason, rejection, retryAfterMs } from './provider-http.ts';

describe('Retry-After', () => {
  it('reads delta-seconds and HTTP dates, and ignores what it cannot read', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs(['0.5'], now)).toBe(500);
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:07 GMT', now)).toBe(7000);
    expect(retryAfterMs('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });
});

describe('provider reasons', () => {
  it("pulls the words out of fal's and Luma's error bodies", () => {
    expect(providerReason(JSON.stringify({ detail: 'Invalid API key' }))).toBe('Invalid API key');
    expect(providerReason(JSON.stringify({ detail: [{ loc: ['body'], msg: 'too long', type: 'value_error' }] }))).toBe('value_error: too long');
    expect(providerReason(JSON.stringify({ error: { message: 'Insufficient credits' } }))).toBe('Insufficient credits');
    expect(providerReason('<html>Bad gateway</html>')).toBe('<html>Bad gateway</html>');
    expect(providerReason('')).toBe('');
  });

  it('maps statuses that will not improve to stable codes', () => {
    expect(rejection('fal', 401, 'no').code).toBe('provider_rejected');
    expect(rejection('fal', 402, 'balance').detail).toMatch(/billing.*balance/);
    expect(rejection('Luma', 413, '').code).toBe('input_too_large');
    expect(rejection('Luma', 422, 'content_policy_violation: flagged').code).toBe('content_moderated');
    expect(rejection('Luma', 400, 'bad duration').code).toBe('provider_rejected');
  });
});
