/**
 * What the hosted providers' engines (fal/, luma/) share: provider HTTP calls with
 * retries and readable rejections, routing an input to a URL the provider can reach or
 * to local bytes, downloading outputs before their URLs expire, and the progress and
 * cancel conventions. No engine lives here; `hosted/` chooses between fal and Luma.
 */
export { downloadOutput, type DownloadOptions } from './download.ts';
export { fetchOutputs, isUserCancel, renderingProgress, type RemoteOutput } from './outputs.ts';
export { callProvider, isModeration, providerReason, rejection, retryAfterMs, type ProviderCall, type RetryOptions } from './provider-http.ts';
export { isProviderReachable, routeInput, type HostResolver, type InputRoute, type RouteOptions } from './reachable-input.ts';
export { abortableSleep } from './sleep.ts';
