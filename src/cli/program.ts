/**
 * The `retake` command line's flags: serve the API, edit a local video, list models,
 * manage keys. Each subcommand lives in `commands/`; this file wires flags to them and
 * turns every outcome into an exit code (0 ok, 1 failure, 2 bad usage).
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import type { EditOptions } from './commands/edit.ts';
import type { KeysCreateOptions, KeysListOptions } from './commands/keys.ts';
import type { ModelsOptions } from './commands/models.ts';
import type { RunOptions } from './commands/run.ts';
import type { ServeOptions } from './commands/serve.ts';
import { EXIT_OK, EXIT_USAGE, reportError } from './output.ts';

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

// Commands are imported when they run: `retake keys list` should not load Fastify or the engine.

/** The program with every subcommand; `exitOverride` lets `run` choose the exit codes. */
export function buildProgram(): Command {
  const program = new Command('retake')
    .description('Self-hosted video-to-video generation: serve the API, edit videos, manage keys.')
    .version(version())
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');

  program
    .command('serve')
    .description('serve the HTTP API and/or run a worker (configuration from RETAKE_* variables; flags win)')
    .option('--host <host>', 'listen address (default: RETAKE_HOST or 127.0.0.1)')
    .option('--port <port>', 'listen port, 0 for any free port (default: RETAKE_PORT or 8787)')
    .addOption(new Option('--role <role>', 'which parts to run').choices(['all', 'api', 'worker']).default('all'))
    .option('--concurrency <n>', 'renders run at once by the worker (default: RETAKE_CONCURRENCY or 1)')
    .option('--metrics-port <port>', 'worker only: serve /metrics, /readyz and /healthz on this port (default: RETAKE_METRICS_PORT or none)')
    .action(async (options: ServeOptions) => {
      const { serveCommand } = await import('./commands/serve.ts');
      await serveCommand(options);
    });

  withEditRequestOptions(program
    .command('edit')
    .description('re-render a video with the built-in engine, in this process (no server needed)')
    .argument('<source>', 'input video: a file path or an http(s) URL'))
    .action(async (source: string, options: EditOptions) => {
      const { editCommand } = await import('./commands/edit.ts');
      process.exitCode = await editCommand(source, options);
    });

  withEditRequestOptions(program
    .command('run')
    .description('the same edit, run by a retake server (uploads a local file, shows its progress, downloads the result)')
    .argument('<source>', 'input video: a file path or an http(s) URL')
    .option('--server <url>', 'the retake server (default: RETAKE_URL)')
    .option('--key <key>', 'API key (default: RETAKE_KEY)')
    .option('--model <id>', 'model id (default retake-local)'))
    .action(async (source: string, options: RunOptions) => {
      const { runCommand } = await import('./commands/run.ts');
      process.exitCode = await runCommand(source, options);
    });

  program
    .command('models')
    .description('list the models this installation serves, with prices')
    .option('--json', 'print JSON')
    .action(async (options: ModelsOptions) => {
      const { modelsCommand } = await import('./commands/models.ts');
      await modelsCommand(options);
    });

  const keys = program.command('keys').description('manage API keys (works on the store directly; no server needed)');
  keys
    .command('create')
    .description('create an API key and print its secret (shown only once)')
    .requiredOption('--name <name>', 'a name to recognise the key by')
    .option('--hdr', 'grant HDR access')
    .option('--budget <usd>', 'total spend allowed, in USD (default: no limit)')
    .option('--json', 'print JSON')
    .action(async (options: KeysCreateOptions) => {
      const { keysCreateCommand } = await import('./commands/keys.ts');
      await keysCreateCommand(options);
    });
  keys
    .command('list')
    .description('list API keys (name, prefix, HDR access, created, revoked)')
    .option('--json', 'print JSON')
    .action(async (options: KeysListOptions) => {
      const { keysListCommand } = await import('./commands/keys.ts');
      await keysListCommand(options);
    });
  keys
    .command('revoke')
    .description('revoke an API key; its secret stops working at once')
    .argument('<id|name>', 'the key id or name')
    .action(async (idOrName: string) => {
      const { keysRevokeCommand } = await import('./commands/keys.ts');
      await keysRevokeCommand(idOrName);
    });

  return program;
}

/** Run the CLI with `argv` (default process.argv) and resolve with the exit code. */
export async function run(argv: string[] = process.argv): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT_OK;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander already printed the message (or the help / version text).
      return err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    return reportError(err);
  }
}

/** Commander's collector for a repeatable option. */
function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** The request options `edit` (in this process) and `run` (on a server) share. */
function withEditRequestOptions(command: Command): Command {
  return command
    .requiredOption('-p, --prompt <text>', 'how to edit the video, e.g. "watercolor, warm, soft"')
    .requiredOption('-o, --output <file>', 'where to write the edited MP4')
    .option('--resolution <r>', 'short side of the output: 540p, 720p or 1080p (default 540p)')
    .option('--duration <d>', 'length of the output: 5s or 10s (default 5s)')
    .option('--edit-strength <s>', 'adhere_1..3, flex_1..3 or reimagine_1..3 (default flex_2)')
    .option('--auto-controls', 'derive the strength schedule from the source (not with --edit-strength)')
    .option('--hdr', 'HDR10 output (720p or 1080p)')
    .option('--exr-export', 'also export an OpenEXR sidecar zip beside the output (needs --hdr)')
    .option('--image <file|url>', 'image for the first frame; its look steers the edit')
    .option('--keyframe <frame:file>', 'a restyled source frame at FRAME (a frame number, or a time such as 2.5s); repeatable, not with --image', collect, [])
    .option('--json', 'print the result as JSON');
}
