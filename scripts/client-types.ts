/**
 * Generates `src/client/api-types.ts` from the server's own OpenAPI document (built
 * in-process, no network), so the typed client's request and answer types are the
 * server's schemas. `npm run build:client-types` writes it; `--check` exits 1 when the
 * file differs from what the server describes now.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { clientTypesSource } from '../src/client/generate-types.ts';

const target = fileURLToPath(new URL('../src/client/api-types.ts', import.meta.url));
const source = await clientTypesSource();
if (process.argv.includes('--check')) {
  const current = await readFile(target, 'utf8').catch(() => '');
  if (current !== source) {
    console.error('src/client/api-types.ts is out of date: run npm run build:client-types');
    process.exit(1);
  }
} else {
  await writeFile(target, source);
}
