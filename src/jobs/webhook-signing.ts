/**
 * How a webhook body is signed, as one small piece the delivery code takes as a
 * parameter: retake's own scheme for its queue webhooks, and Standard Webhooks
 * (what Replicate's clients verify) for predictions made through the Replicate
 * protocol. A signer sees the delivery id, the time and the exact body bytes, and
 * answers the headers to send.
 */
import { createHmac } from 'node:crypto';

export interface SignInput {
  /** Stable across retries of one delivery (receivers de-duplicate on it). */
  id: string;
  /** Unix seconds of this attempt. */
  timestamp: number;
  body: string;
}

export type WebhookSigner = (input: SignInput) => Record<string, string>;

/** `X-Retake-Signature: t=<unix>,v1=<hex of HMAC-SHA256(secret, "<t>.<body>")>`. */
export function retakeSigner(secret: string): WebhookSigner {
  return ({ timestamp, body }) => ({
    'x-retake-signature': `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`,
  });
}

/**
 * Standard Webhooks: `webhook-signature: v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<body>")>`
 * where key is the base64 part of a `whsec_` secret.
 */
export function standardWebhooksSigner(whsec: string): WebhookSigner {
  const key = Buffer.from(whsec.replace(/^whsec_/, ''), 'base64');
  return ({ id, timestamp, body }) => ({
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`,
  });
}

/**
 * The webhook secret of one API key (`whsec_…`), derived from the server's secret, so
 * each key verifies only its own deliveries and nothing new has to be stored. Every
 * webhook of the key's generations is signed with it: the hub's and fal's as
 * `X-Retake-Signature` (HMAC keyed with this whole string), Replicate's as Standard
 * Webhooks (keyed with its base64 part). A key reads it from `GET /api/webhooks/secret`
 * or Replicate's `GET /v1/webhooks/default/secret`.
 */
export function keyWebhookSecret(serverSecret: string, keyId: string): string {
  return `whsec_${createHmac('sha256', serverSecret).update(`standard-webhooks:${keyId}`).digest('base64')}`;
}
