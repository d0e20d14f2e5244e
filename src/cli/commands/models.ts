/** `retake models`: the model catalogue with prices, read locally (no server needed). */
import { loadConfig } from '../../config.ts';
import { MODELS, priceOf, type ModelInfo } from '../../models/index.ts';
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
  return `${formatUsd(cheapest)}-${formatUsd(dearest)} per 5 s (10 s double)`;
}

/** Whether this installation can run the model now (hosted models need a provider key). */
function availability(model: ModelInfo): string {
  if (model.engine === 'local') return 'ready';
  const config = loadConfig();
  if (config.falKey) return 'ready (fal)';
  if (config.lumaApiKey) return 'ready (Luma)';
  return 'needs FAL_KEY or LUMA_API_KEY';
}

/** Print the catalogue: id, name, price and whether it can run here. */
export function modelsCommand(options: ModelsOptions, print: (text: string) => void = console.log): void {
  if (options.json) {
    const data = MODELS.map((m) => ({ id: m.id, name: m.display_name, price: priceText(m), status: availability(m) }));
    print(JSON.stringify(data, null, 2));
    return;
  }
  const rows = MODELS.map((m) => [m.id, m.display_name, priceText(m), availability(m)]);
  print(formatTable(['ID', 'NAME', 'PRICE', 'STATUS'], rows));
}
