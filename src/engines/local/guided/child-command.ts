/** How to start the guided child (child.ts) as its own Node process (node-child.ts). */
import { nodeChildCommand } from '../node-child.ts';

/** The command and arguments that run the child in `mode` with `args`. */
export function guidedChildCommand(mode: 'learn' | 'apply' | 'apply-plan', args: readonly string[]): { command: string; args: string[] } {
  return nodeChildCommand(import.meta.url, 'child', [mode, ...args]);
}
