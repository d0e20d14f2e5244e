/**
 * `retake run --server URL <file|url> --prompt ...`: the same edit as `retake edit`,
 * run by a retake server through the typed client instead of in this process. A local
 * file is uploaded first; progress comes from the server's event stream and shows in
 * the same bar (or lines, when piped) as `retake edit`; Ctrl-C cancels the generation
 * on the server; the result is downloaded to `-o`.
 */
import { openAsBlob } from 'node:fs';
import { rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Retake, RetakeApiError, type Generation, type QueueRequest } from '../../client/index.ts';
import { loadConfig } from '../../config.ts';
import { RetakeError, isErrorCode } from '../../errors/index.ts';
import type { KeyframeRef } from '../../models/index.ts';
import { keyframesFrom, parseKeyframeFlag, probeSource } from '../keyframe-flags.ts';
import { EXIT_OK, formatBytes, UsageError } from '../output.ts';
import { createProgressReporter } from '../progress.ts';
import { EXIT_INTERRUPTED, FLAG_OF, isRequestProblem, type EditOptions } from './edit.ts';

export interface RunOptions extends EditOptions {
  /** The server's base URL (default RETAKE_URL). */
  server?: string;
  /** API key (default RETAKE_KEY). */
  key?: string;
  /** Model id, default retake-local. */
  model?: string;
}

const isUrl = (arg: string) => /^https?:\/\//i.test(arg);

/** A URL the server can read: URLs pass through, local files are uploaded. */
async function inputUrl(client: Retake, arg: string, what: string): Promise<string> {
  if (isUrl(arg)) return arg;
  const path = resolve(arg);
  if (!(await stat(path).catch(() => undefined))?.isFile()) throw new UsageError(`${what} not found: ${arg}`);
  const uploaded = await client.upload(await openAsBlob(path), basename(path));
  if (!uploaded.url) throw new RetakeError('internal_error', 'The server answered the upload without a URL');
  return uploaded.url;
}

/** A client error in the CLI's own terms: problems name the flags, the rest keeps its code. */
function inCliTerms(err: unknown): unknown {
  if (!(err instanceof RetakeApiError)) return err;
  if (isRequestProblem(err.type)) {
    throw new UsageError('invalid request:', err.fields.map((p) => ({ field: FLAG_OF[p.field] ? `${p.field} (${FLAG_OF[p.field]})` : p.field, message: p.message })));
  }
  return new RetakeError(isErrorCode(err.type) ? err.type : 'internal_error', err.detail, { cause: err });
}

async function download(url: string, output: string): Promise<number> {
  const res = await fetch(url);
  if (!res.ok) throw new RetakeError('internal_error', `Downloading the result answered ${res.status}`);
  const temp = join(dirname(output), `.${basename(output)}.${process.pid}.tmp`);
  try {
    await writeFile(temp, res.body as unknown as AsyncIterable<Uint8Array>);
    await rename(temp, output);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
  return (await stat(output)).size;
}

function requestOf(options: RunOptions, video: string, image: string | undefined, keyframes: KeyframeRef[]): QueueRequest {
  const request: QueueRequest = { model: options.model ?? 'retake-local', prompt: options.prompt, input_video: video };
  if (image !== undefined) request.input_image = image;
  if (keyframes.length > 0) request.keyframes = keyframes;
  if (options.resolution !== undefined) request.resolution = options.resolution as QueueRequest['resolution'];
  if (options.duration !== undefined) request.duration = options.duration as QueueRequest['duration'];
  if (options.editStrength !== undefined) request.edit_strength = options.editStrength as QueueRequest['edit_strength'];
  if (options.autoControls) request.auto_controls = true;
  if (options.hdr) request.hdr = true;
  if (options.exrExport) request.exr_export = true;
  return request;
}

export async function runCommand(source: string, options: RunOptions): Promise<number> {
  const server = options.server ?? process.env.RETAKE_URL;
  const apiKey = options.key ?? process.env.RETAKE_KEY;
  if (!server) throw new UsageError('--server <url> (or RETAKE_URL) is required');
  if (!apiKey) throw new UsageError('--key <key> (or RETAKE_KEY) is required');
  const output = resolve(options.output);
  if (!(await stat(dirname(output)).catch(() => undefined))?.isDirectory()) throw new UsageError(`output directory does not exist: ${dirname(output)}`);

  const flags = (options.keyframe ?? []).map(parseKeyframeFlag);
  const client = new Retake({ baseUrl: server, apiKey });
  const interrupted = new AbortController();
  const onSigint = (): void => {
    if (interrupted.signal.aborted) return;
    process.stderr.write('\nretake: cancelling the generation...\n');
    interrupted.abort();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  const progress = createProgressReporter();
  let id: string | undefined;
  try {
    const video = await inputUrl(client, source, 'input video');
    const image = options.image === undefined ? undefined : await inputUrl(client, options.image, 'image');
    // Times become frames with the source's own rate, read here (the server counts in frames).
    const local = isUrl(source) ? source : pathToFileURL(resolve(source)).href;
    const keyframes = await keyframesFrom(flags, (file) => inputUrl(client, file, 'keyframe image'), () => probeSource(local, loadConfig()));
    const queued = await client.queue(requestOf(options, video, image, keyframes));
    id = queued.generations?.[0]?.generation_id;
    if (!id) throw new RetakeError('internal_error', 'The server queued no generation');
    progress.update({ progress: 0, stage: 'queued' });
    const done: Generation = await client.wait(id, {
      signal: interrupted.signal,
      onEvent: (e) => {
        if (e.type === 'media_generation_progress') progress.update({ progress: e.data.progress ?? 0, stage: e.data.stage ?? 'rendering', eta_s: e.data.eta_s ?? undefined });
      },
    });
    progress.stop();
    if (done.status !== 'succeeded' || !done.result_url) {
      throw new RetakeError(isErrorCode(done.error_code) ? done.error_code : 'render_failed', done.error_message ?? `The generation ended ${done.status}`);
    }
    const bytes = await download(done.result_url, output);
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ outputs: [output], generation_id: id, interpretation: done.interpretation ?? null, warnings: done.warnings ?? [] }, null, 2)}\n`);
    } else {
      process.stdout.write(`Wrote ${output} (${formatBytes(bytes)})\n`);
      for (const warning of done.warnings ?? []) process.stderr.write(`warning: ${warning}\n`);
    }
    return EXIT_OK;
  } catch (err) {
    progress.stop();
    if (interrupted.signal.aborted) {
      if (id) await client.cancel(id).catch(() => undefined);
      process.stderr.write('retake: generation cancelled; nothing was written\n');
      return EXIT_INTERRUPTED;
    }
    throw inCliTerms(err);
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
}
