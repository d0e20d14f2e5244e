/**
 * Start-up of the operator's models: read the models file, add its models to the
 * catalogue, build one engine per model over a shared server pool, and check each
 * workflow against the servers that answer (one that cannot run it stops the start).
 */
import type { Logger } from 'pino';
import { registerModels } from '../../models/index.ts';
import { loadModelsFile } from '../../models/models-file.ts';
import type { Engine } from '../types.ts';
import { createComfyEngines, type ComfyEngineOptions } from './index.ts';
import { createServerPool } from './server-pool.ts';
import { checkServersAtStart } from './start-check.ts';

/** The engines of the models declared in `path`, by model id; the models are in the catalogue after this. */
export async function setUpOperatorModels(path: string, options: ComfyEngineOptions & { logger: Logger }): Promise<Map<string, Engine>> {
  const { models, infos } = await loadModelsFile(path);
  const pool = createServerPool(options.clientTimeoutMs);
  await checkServersAtStart(models, pool, { logger: options.logger });
  registerModels(infos);
  options.logger.info({ models: infos.map((m) => m.id) }, 'models from RETAKE_MODELS_FILE');
  return createComfyEngines(models, options, pool);
}
