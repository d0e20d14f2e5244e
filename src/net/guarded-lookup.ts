/**
 * A DNS `lookup` for net/tls.connect that refuses blocked addresses. Plugged into the
 * HTTP agent, the address that is checked is the very one the socket connects to, so a
 * name that resolves to a public address for a check and to 169.254.169.254 for the
 * connection (DNS rebinding) has no gap to slip through.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { RetakeError } from '../errors/index.ts';
import { blockedRange } from './address-policy.ts';

/** Resolve a host name to every address it has (the default uses the OS resolver). */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

/** Decides whether an address may be reached; returns the refusal reason, or undefined. */
export type AddressPolicy = (address: string) => string | undefined;

/** The OS resolver (getaddrinfo), all addresses. */
export const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses)));
  });

/** The error for a refused address; the message names the host, not internal details. */
export function blockedError(host: string, address: string, reason: string): RetakeError {
  const shown = host === address ? address : `${host} (${address})`;
  return new RetakeError('input_url_blocked', `Input URL host ${shown} is a ${reason} address, which retake does not fetch`);
}

/**
 * Build a lookup that resolves with `resolve` and fails with `input_url_blocked` when
 * ANY address of the name is refused by `policy` (choosing only the good ones would let
 * an attacker's name keep a private address in reserve).
 * @param resolve defaults to the OS resolver.
 * @param policy defaults to {@link blockedRange}.
 */
export function guardedLookup(resolve: Resolver = systemResolver, policy: AddressPolicy = blockedRange): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (all) => {
        const family = options.family === 4 || options.family === 6 ? options.family : undefined;
        const addresses = family ? all.filter((a) => a.family === family) : all;
        const first = addresses[0];
        if (!first) {
          const err: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
          err.code = 'ENOTFOUND';
          callback(err, '', 0);
          return;
        }
        for (const { address } of addresses) {
          const reason = policy(address);
          if (reason !== undefined) {
            callback(blockedError(hostname, address, reason), '', 0);
            return;
          }
        }
        if (options.all) (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
        else callback(null, first.address, first.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 0),
    );
  };
}
