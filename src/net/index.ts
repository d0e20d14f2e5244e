/**
 * The URL guard: fetch input URLs safely, and the address rule behind it.
 */
export { errorCode } from './fetch-errors.ts';
export { fetchToFile, parseInputUrl, type FetchToFileOptions, type FetchToFileResult } from './fetch-to-file.ts';
export { blockedRange, isAddressAllowed } from './address-policy.ts';
export { guardedLookup, systemResolver, type AddressPolicy, type Resolver } from './guarded-lookup.ts';
export { bareHost, isLocalNetworkName, isLoopbackName, isPlainlyLocalHost, isPublicHost, ownBlobKey } from './host-rules.ts';
