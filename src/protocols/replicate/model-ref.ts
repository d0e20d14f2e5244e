/**
 * Replicate names models `owner/name` and pins them with a 64-hex `version`. retake's
 * models are `retake/<model id>`, each with one version: a hash of its id and request
 * schema, so it changes exactly when the inputs it takes change.
 */
import { createHash } from 'node:crypto';
import { RetakeError } from '../../errors/index.ts';
import { MODELS, findModel, requestSchema, type ModelInfo } from '../../models/index.ts';

/** The owner every retake model is listed under. */
export const OWNER = 'retake';

/** The version id of a model. */
export function versionOf(modelId: string): string {
  return createHash('sha256').update(`${modelId}\n${JSON.stringify(requestSchema())}`).digest('hex');
}

/** `retake/<id>` → the model; other owners are unknown models. */
export function modelFromName(owner: string, name: string): ModelInfo {
  if (owner !== OWNER) throw new RetakeError('model_not_found', `Model not found: ${owner}/${name}`);
  return findModel(name);
}

/**
 * The model a `version` names: a version id, `retake/<id>`, or `retake/<id>:<version>`
 * (the forms Replicate's API accepts in that field).
 */
export function modelFromVersion(version: unknown): ModelInfo {
  if (typeof version !== 'string' || version.length === 0) {
    throw new RetakeError('validation_error', 'version is required (a version id or retake/<model>)', {
      fields: [{ field: 'version', message: 'version is required' }],
    });
  }
  const [name, pinned] = version.split(':', 2);
  if (name && name.includes('/')) {
    const [owner = '', id = ''] = name.split('/', 2);
    const model = modelFromName(owner, id);
    if (pinned !== undefined && pinned !== versionOf(model.id)) throw new RetakeError('model_not_found', `Model version not found: ${version}`);
    return model;
  }
  const model = MODELS.find((m) => versionOf(m.id) === version);
  if (!model) throw new RetakeError('model_not_found', `Model version not found: ${version}`);
  return model;
}
