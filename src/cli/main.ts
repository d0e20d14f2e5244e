/** Entry point of the `retake` CLI (loaded by bin/retake.js): run the program, exit with its code. */
import { run } from './program.ts';

const code = await run();
// Exit explicitly once stdout has drained: an open pool or timer must not keep the CLI alive.
process.exitCode = code;
process.stdout.write('', () => process.exit(code));
