/**
 * How to start one of the engine's own modules as a child Node process (the guided
 * child, the marks child). From compiled files it is plain `node child.js`; from the
 * TypeScript sources (the CLI, tests) the child gets tsx's loader, resolved from this
 * package, so both ways run the same code.
 */
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * The command and arguments that run the module `name` (no extension) beside the
 * module at `base` (its `import.meta.url`), with `args`.
 */
export function nodeChildCommand(base: string, name: string, args: readonly string[]): { command: string; args: string[] } {
  const fromSources = base.endsWith('.ts');
  const entry = fileURLToPath(new URL(`./${name}${fromSources ? '.ts' : '.js'}`, base));
  const loader = fromSources ? ['--import', pathToFileURL(createRequire(base).resolve('tsx')).href] : [];
  return { command: process.execPath, args: [...loader, entry, ...args] };
}
