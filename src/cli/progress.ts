/**
 * Shows an engine's progress while `retake edit` runs: a live bar (stage, percent, ETA)
 * on a terminal, or a plain line per stage change and per 10 % step when the output is
 * piped into a file or CI log, where redrawn bars turn into noise.
 */
import cliProgress from 'cli-progress';
import type { EngineProgress } from '../engines/types.ts';

export interface ProgressReporter {
  update(progress: EngineProgress): void;
  /** Leave the bar at its last state and move to a fresh line. */
  stop(): void;
}

function etaText(eta: number | undefined): string {
  if (eta === undefined || !Number.isFinite(eta)) return '--';
  const s = Math.max(0, Math.round(eta));
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

function percentOf(progress: number): number {
  return Math.round(Math.min(1, Math.max(0, progress)) * 100);
}

/**
 * A reporter writing to `stream` (default stderr, so stdout carries only results).
 * `tty` defaults to whether the stream is a terminal.
 */
export function createProgressReporter(
  stream: NodeJS.WriteStream = process.stderr,
  tty: boolean = stream.isTTY === true,
): ProgressReporter {
  return tty ? barReporter(stream) : lineReporter(stream);
}

function barReporter(stream: NodeJS.WriteStream): ProgressReporter {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: '{stage} |{bar}| {percentage}% | ETA {eta_text}',
      hideCursor: true,
      barsize: 30,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(p) {
      const payload = { stage: p.stage.padEnd(10), eta_text: etaText(p.eta_s) };
      if (!started) {
        bar.start(100, percentOf(p.progress), payload);
        started = true;
      } else {
        bar.update(percentOf(p.progress), payload);
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

function lineReporter(stream: NodeJS.WriteStream): ProgressReporter {
  let lastStage = '';
  let lastStep = -1;
  return {
    update(p) {
      const percent = percentOf(p.progress);
      const step = Math.floor(percent / 10);
      if (p.stage === lastStage && step === lastStep) return;
      lastStage = p.stage;
      lastStep = step;
      const eta = p.eta_s === undefined ? '' : `, ETA ${etaText(p.eta_s)}`;
      stream.write(`${String(percent).padStart(3)}% ${p.stage}${eta}\n`);
    },
    stop() {},
  };
}
