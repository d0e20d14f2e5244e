import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { killProcessesUsing } from './orphan-processes.ts';

describe('reaping a dead attempt', () => {
  it('kills the processes that name its work directory, and no others', async () => {
    const dir = `/nonexistent/retake-reap-${process.pid}/job-abc-`;
    // Stand-ins for a leftover FFmpeg: detached, like the real ones, with the path in argv.
    const idle = ['-e', 'setTimeout(() => undefined, 30000)'];
    const orphan = spawn(process.execPath, [...idle, `${dir}x1/source`], { detached: true, stdio: 'ignore' });
    const bystander = spawn(process.execPath, [...idle, '/nonexistent/other/job-xyz-1/source'], { detached: true, stdio: 'ignore' });
    orphan.on('error', () => undefined);
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const orphanExit = new Promise<NodeJS.Signals | null>((resolve) => orphan.once('exit', (_code, signal) => resolve(signal)));
      expect(await killProcessesUsing(dir)).toEqual([orphan.pid]);
      expect(await orphanExit).toBe('SIGKILL');
      expect(bystander.exitCode).toBeNull();
    } finally {
      orphan.kill('SIGKILL');
      bystander.kill('SIGKILL');
    }
  });
});
