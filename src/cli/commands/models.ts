/**
 * `retake models`: the model catalogue with prices, read locally (no server needed).
 * With RETAKE_MODELS_FILE set, the models it declares (ComfyUI workflows) are listed too,
 * as `retake serve` would list them; their servers are not asked.
 */
import { loadConfig } from '../../config.ts';
import { MODELS, priceOf, registerModels, type ModelInfo } from '../../models/index.ts';
import { loadModelsFile } from '../../models/models-file.ts';
import { formatTable, formatUsd } from '../output.ts';

export interface ModelsOptions {
  /** Print JSON instead of a table. Default false. */
  json?: boolean;
}

/** What one model costs, in words: `free`, or the cheapest and dearest 5 s generations. */
function priceText(model: ModelInfo): string {
  const cheapest = priceOf(model.pricing, { resolution: '540p', duration: '5s', hdr: false, exr_export: false });
  if (cheapest === 0) return 'free';
  const dearest = priceOf(model.pricing, { resolution: '1080p', duration: '5s', hdr: true, exr_export: true });
  const range = dearest === cheapest ? formatUsd(cheapest) : `${formatUsd(cheapest)}-${formatUsd(dearest)}`;
  return `${range} per 5 s (10 s double)`;
}

/** Whether this installation can run the model now (hosted models need a provider key). */
function availability(model: ModelInfo, servers: ReadonlyMap<string, readonly string[]>): string {
  if (model.engine === 'local') return 'ready';
  if (model.engine === 'comfyui') return `ComfyUI at ${(servers.get(model.id) ?? []).join(', ')}`;
  const config = loadConfig();
  if (config.falKey) return 'ready (fal)';
  if (config.lumaApiKey) return 'ready (Luma)';
  return 'needs FAL_KEY or LUMA_API_KEY';
}

/** Print the catalogue: id, name, price and whether it can run here. */
export async function modelsCommand(options: ModelsOptions, print: (text: string) => void = console.log): Promise<void> {
  const servers = new Map<string, readonly string[]>();
  const { modelsFile } = loadConfig();
  if (modelsFile) {
    const { models, infos } = await loadModelsFile(modelsFile);
    registerModels(infos);
    for (const model of models) servers.set(model.id, model.servers);
  }
  if (options.json) {
    const data = MODELS.map((m) => ({ id: m.id, name: m.display_name, price: priceText(m), status: availability(m, servers) }));
    print(JSON.stringify(data, null, 2));
    return;
  }
  const rows = MODELS.map((m) => [m.id, m.display_name, priceText(m), availability(m, servers)]);
  print(formatTable(['ID', 'NAME', 'PRICE', 'STATUS'], rows));
}
