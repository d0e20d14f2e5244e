/**
 * How to start the guided child (child.ts) as its own Node process. From compiled
 * files it is plain `node child.js`; from the TypeScript sources (the CLI, tests) the
 * child gets tsx's loader, resolved from this package, so both ways run the same code.
 */
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The command and arguments that run the child in `mode` with `args`. */
export function guidedChildCommand(mode: 'learn' | 'apply' | 'apply-plan', args: readonly string[]): { command: string; args: string[] } {
  const self = import.meta.url;
  const fromSources = self.endsWith('.ts');
  const entry = fileURLToPath(new URL(fromSources ? './child.ts' : './child.js', self));
  const loader = fromSources ? ['--import', pathToFileURL(createRequire(self).resolve('tsx')).href] : [];
  return { command: process.execPath, args: [...loader, entry, mode, ...args] };
}
