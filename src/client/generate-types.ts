/**
 * The typed client's types, generated from the OpenAPI document a freshly assembled
 * server serves (an empty data directory, nothing listening). Build-time only: the
 * shipped client imports the generated file, never this one.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import { buildServer, createRetake } from '../app.ts';
import { loadConfig } from '../config.ts';

const HEADER = `/**
 * Generated from retake's OpenAPI document by \`npm run build:client-types\`; do not
 * edit. A test fails when it no longer matches what the server serves.
 */
/* eslint-disable */
`;

/** The server's OpenAPI document, as GET /openapi.json answers it. */
export async function serverOpenApi(): Promise<Record<string, unknown>> {
  const dataDir = await mkdtemp(join(tmpdir(), 'retake-openapi-'));
  const retake = await createRetake(loadConfig({ dataDir, logLevel: 'silent', publicUrl: 'http://127.0.0.1:8787' }, {}), { role: 'api' });
  try {
    const app = await buildServer(retake);
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json<Record<string, unknown>>();
    await app.close();
    return doc;
  } finally {
    await retake.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** The TypeScript source of `api-types.ts` for the server as it is now. */
export async function clientTypesSource(doc?: Record<string, unknown>): Promise<string> {
  const ast = await openapiTS((doc ?? (await serverOpenApi())) as never, { alphabetize: true });
  return HEADER + astToString(ast);
}
