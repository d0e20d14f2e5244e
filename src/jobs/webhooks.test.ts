import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createWebhookSender, signWebhook } from './webhooks.ts';
import { listenOn } from '../cli/free-port.ts';

const logger = pino({ level: 'silent' });
let server: Server | undefined;

afterEach(async () => {
  await new Promise((r) => server?.close(r) ?? r(undefined));
  server = undefined;
});

interface Received { headers: IncomingMessage['headers']; body: string }

/** A receiver answering with the given statuses in turn (the last one repeats). */
async function receiver(statuses: number[]): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.statusCode = statuses[Math.min(received.length - 1, statuses.length - 1)]!;
      res.end();
    });
  });
  await listenOn(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
}

describe('webhooks', () => {
  it('delivers a signed payload the receiver can verify', async () => {
    const { url, received } = await receiver([200]);
    const sender = createWebhookSender({ secret: 's3cret', allowPrivate: true, logger });
    sender.send({ url, event: 'media_generation_completed', payload: { generation_id: 'g1', status: 'succeeded' } });
    await sender.drain();
    await sender.close();
    expect(received).toHaveLength(1);
    const { headers, body } = received[0]!;
    expect(JSON.parse(body)).toEqual({ type: 'media_generation_completed', generation_id: 'g1', status: 'succeeded' });
    const [t, v1] = String(headers['x-retake-signature']).split(',').map((p) => p.split('=')[1]);
    expect(v1).toBe(createHmac('sha256', 's3cret').update(`${t}.${body}`).digest('hex'));
    expect(signWebhook('other', body, Number(t))).not.toBe(headers['x-retake-signature']);
  });

  it('retries 5xx and 429 with backoff, keeping one delivery id, until it is accepted', async () => {
    const { url, received } = await receiver([503, 429, 204]);
    const sender = createWebhookSender({ secret: 'k', allowPrivate: true, logger, baseDelayMs: 5 });
    sender.send({ url, event: 'media_generation_completed', payload: { generation_id: 'g2' } });
    await sender.drain();
    await sender.close();
    expect(received).toHaveLength(3);
    expect(new Set(received.map((r) => r.headers['x-retake-delivery'])).size).toBe(1);
  });

  it('gives up at once on a 4xx answer', async () => {
    const { url, received } = await receiver([410, 200]);
    const sender = createWebhookSender({ secret: 'k', allowPrivate: true, logger, baseDelayMs: 5 });
    sender.send({ url, event: 'media_generation_completed', payload: {} });
    await sender.drain();
    await sender.close();
    expect(received).toHaveLength(1);
  });

  it('never reaches a loopback receiver unless private URLs are allowed', async () => {
    const { url, received } = await receiver([200]);
    const sender = createWebhookSender({ secret: 'k', allowPrivate: false, logger, baseDelayMs: 5, attempts: 2 });
    sender.send({ url: url.replace('127.0.0.1', 'localhost'), event: 'media_generation_completed', payload: {} });
    await sender.drain();
    await sender.close();
    expect(received).toHaveLength(0);
  });
});

describe('webhooks on shutdown', () => {
  it('stop retrying at once when closed, instead of holding shutdown through the backoff', async () => {
    const { url, received } = await receiver([503]);
    const sender = createWebhookSender({ secret: 'k', allowPrivate: true, logger, baseDelayMs: 60_000 });
    sender.send({ url, event: 'media_generation_completed', payload: {} });
    while (received.length === 0) await new Promise((r) => setTimeout(r, 5));
    const started = Date.now();
    await sender.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(received).toHaveLength(1);
  });
});
