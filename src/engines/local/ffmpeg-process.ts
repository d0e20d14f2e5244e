/**
 * Spawning FFmpeg and ffprobe. Each child gets its own process group so a cancel can
 * stop it and anything it started (SIGTERM to the group, SIGKILL if it lingers), and
 * rendering never blocks the event loop. Progress comes from `-progress pipe:1`.
 */
import { spawn } from 'node:child_process';
import { RetakeError } from '../../errors/index.ts';
import { CONTAINER_REFUSED_DETAIL, isContainerRefusal } from '../../media/index.ts';
import { dieWithParent, LAUNCH_FAILED } from './parent-death.ts';

/** Grace period between SIGTERM and SIGKILL on cancel. */
const KILL_GRACE_MS = 700;
const STDERR_TAIL_BYTES = 4096;

export interface ProcessResult {
  code: number | null;
  stdout: string;
  /** The last few KB of stderr, for error messages. */
  stderrTail: string;
}

export interface RunProcessOptions {
  /** Aborting kills the process group and rejects with `cancelled`. */
  signal?: AbortSignal | undefined;
  /** Called for each complete stdout line; when set, stdout is not collected. */
  onStdoutLine?: ((line: string) => void) | undefined;
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

/** Run `command` with `args` in its own process group and collect its output. */
export function runProcess(command: string, args: string[], options: RunProcessOptions = {}): Promise<ProcessResult> {
  const { signal, onStdoutLine } = options;
  if (signal?.aborted) return Promise.reject(new RetakeError('cancelled', 'Generation was cancelled'));
  return new Promise((resolve, reject) => {
    const launch = dieWithParent(command, args);
    const child = spawn(launch.command, launch.args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let partialLine = '';
    let stderrTail = '';
    let killTimer: NodeJS.Timeout | undefined;
    const onAbort = (): void => {
      if (child.pid === undefined) return;
      killGroup(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => child.pid !== undefined && killGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS);
    };
    signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (!onStdoutLine) {
        stdout += chunk;
        return;
      }
      const lines = (partialLine + chunk).split('\n');
      partialLine = lines.pop() ?? '';
      for (const line of lines) onStdoutLine(line);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderrTail = (stderrTail + chunk).slice(-STDERR_TAIL_BYTES);
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      signal?.removeEventListener('abort', onAbort);
      const detail = err.code === 'ENOENT' ? `${command} is not installed or not on PATH` : `Could not start ${command}`;
      reject(new RetakeError('engine_unavailable', detail, { cause: err }));
    });
    child.on('close', (code) => {
      signal?.removeEventListener('abort', onAbort);
      clearTimeout(killTimer);
      // The leader is gone; make sure nothing it left in the group outlives it.
      if (child.pid !== undefined && signal?.aborted) killGroup(child.pid, 'SIGKILL');
      if (signal?.aborted) reject(new RetakeError('cancelled', 'Generation was cancelled'));
      else if (launch.wrapped && code === LAUNCH_FAILED && /^setpriv: failed to execute/m.test(stderrTail)) {
        reject(new RetakeError('engine_unavailable', `${command} is not installed or not on PATH`));
      } else resolve({ code, stdout, stderrTail });
    });
  });
}

/** The last meaningful stderr line, without file paths (never shown to clients). */
export function describeFailure(stderrTail: string): string {
  const lines = stderrTail.split('\n').map((l) => l.trim()).filter(Boolean);
  const last = lines.at(-1) ?? 'no output';
  return last.replace(/(?:\/[^\s/:'"]+)+\/([^\s/:'"]+)/g, '$1').slice(0, 300);
}

/**
 * The error for an FFmpeg run that failed: an input refused by the input rules
 * (media/ffmpeg-input.ts) keeps its own code, anything else is `render_failed` after `what`.
 */
export function ffmpegFailure(stderrTail: string, what: string): RetakeError {
  if (isContainerRefusal(stderrTail)) return new RetakeError('input_container_refused', CONTAINER_REFUSED_DETAIL);
  return new RetakeError('render_failed', `${what}: ${describeFailure(stderrTail)}`);
}

export interface FfmpegProgress {
  /** 0..1 of the output written. */
  fraction: number;
  /** Estimated seconds left. */
  etaS: number | undefined;
}

export interface RunFfmpegOptions {
  /** Default `ffmpeg` on PATH. */
  ffmpegPath?: string | undefined;
  signal?: AbortSignal | undefined;
  /** Length of the output in seconds, to turn `out_time_us` into a fraction. */
  totalSeconds: number;
  onProgress?: ((progress: FfmpegProgress) => void) | undefined;
}

/** FFmpeg flags for a run that prints only errors and reads no keyboard. */
export const QUIET_FLAGS = ['-hide_banner', '-nostdin', '-loglevel', 'error'] as const;
/** FFmpeg flags that print progress lines on stdout (read by {@link progressReader}). */
export const PROGRESS_FLAGS = ['-progress', 'pipe:1', '-nostats'] as const;

/** A reader of FFmpeg's `-progress` lines that reports the fraction of `totalSeconds` written and the time left. */
export function progressReader(totalSeconds: number, onProgress: ((progress: FfmpegProgress) => void) | undefined): (line: string) => void {
  const started = Date.now();
  return (line) => {
    const match = /^out_time_us=(\d+)/.exec(line);
    if (!match || !onProgress) return;
    const fraction = Math.min(1, Math.max(0, Number(match[1]) / 1e6 / totalSeconds));
    const elapsedS = (Date.now() - started) / 1000;
    const etaS = fraction > 0.02 ? Math.round((elapsedS / fraction) * (1 - fraction) * 10) / 10 : undefined;
    onProgress({ fraction, etaS });
  };
}

/**
 * Run FFmpeg with `args` (inputs, filters, output; this adds logging and progress
 * flags). Throws `render_failed` with FFmpeg's last error line, or `cancelled`.
 */
export async function runFfmpeg(args: string[], options: RunFfmpegOptions): Promise<void> {
  const onStdoutLine = progressReader(options.totalSeconds, options.onProgress);
  const result = await runProcess(options.ffmpegPath ?? 'ffmpeg', [...QUIET_FLAGS, ...PROGRESS_FLAGS, ...args], { signal: options.signal, onStdoutLine });
  if (result.code !== 0) throw ffmpegFailure(result.stderrTail, 'FFmpeg failed');
}
