/**
 * What Node's HTTP parser refuses before Fastify sees a request (a request line or
 * headers past Node's 16 KB limit, bytes that are not HTTP) leaves in the hub's error
 * envelope, not in Fastify's own shape. No route is known yet, so no protocol's
 * dialect is either: the hub's envelope is the one every client of retake reads.
 */
import type { Socket } from 'node:net';
import { STATUS_CODES } from 'node:http';
import { RetakeError } from '../errors/index.ts';
import { envelope } from './error-envelope.ts';

/** The error for what the parser refused, by Node's error code. */
export function clientErrorOf(err: NodeJS.ErrnoException): RetakeError {
  if (err.code === 'HPE_HEADER_OVERFLOW') return new RetakeError('headers_too_large', 'The request line and headers are over 16 KB', { cause: err });
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') return new RetakeError('request_timeout', 'The request did not arrive in time', { cause: err });
  return new RetakeError('bad_request', 'The request is not valid HTTP/1.1', { cause: err });
}

/** Fastify's `clientErrorHandler`: answer in the envelope, then close the connection. */
export function answerClientError(err: NodeJS.ErrnoException, socket: Socket): void {
  // A reset connection has nobody left to answer.
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) {
    const apiErr = clientErrorOf(err);
    const body = JSON.stringify(envelope(apiErr));
    socket.write(
      `HTTP/1.1 ${apiErr.status} ${STATUS_CODES[apiErr.status] ?? ''}\r\nContent-Type: application/json; charset=utf-8\r\n`
      + `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}
