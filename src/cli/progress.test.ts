import { describe, expect, it } from 'vitest';
import { createProgressReporter } from './progress.ts';

function fakeStream(): { stream: NodeJS.WriteStream; text: () => string } {
  let out = '';
  const stream = { isTTY: false, write: (chunk: string) => ((out += chunk), true) } as unknown as NodeJS.WriteStream;
  return { stream, text: () => out };
}

describe('progress without a terminal', () => {
  it('prints one line per stage change and per 10 % step, not per update', () => {
    const { stream, text } = fakeStream();
    const reporter = createProgressReporter(stream);
    reporter.update({ progress: 0, stage: 'fetching' });
    reporter.update({ progress: 0.01, stage: 'fetching' });
    reporter.update({ progress: 0.05, stage: 'rendering' });
    for (let i = 6; i <= 24; i++) reporter.update({ progress: i / 100, stage: 'rendering', eta_s: 75 });
    reporter.update({ progress: 1, stage: 'rendering', eta_s: 0 });
    reporter.stop();
    expect(text().split('\n').filter(Boolean)).toEqual([
      '  0% fetching',
      '  5% rendering',
      ' 10% rendering, ETA 1m15s',
      ' 20% rendering, ETA 1m15s',
      '100% rendering, ETA 0s',
    ]);
  });
});
