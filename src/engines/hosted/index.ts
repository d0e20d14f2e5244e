/**
 * The hosted Luma Ray 3.2 engine. Until the fal / Luma clients land, it only knows how
 * to refuse: a request for the hosted model fails before anything is queued, naming the
 * variables an operator sets to enable it.
 */
import { RetakeError } from '../../errors/index.ts';
import type { Engine } from '../types.ts';

export function createHostedEngine(options: { falKey?: string | undefined; lumaApiKey?: string | undefined }): Engine {
  const configured = Boolean(options.falKey || options.lumaApiKey);
  return {
    id: 'hosted',
    assertAvailable() {
      if (!configured) {
        throw new RetakeError(
          'provider_not_configured',
          'luma-ray-v3-2-video-to-video runs on the hosted Luma Ray 3.2 model: set FAL_KEY (fal queue) or LUMA_API_KEY (Luma Agents API) on the server to enable it, or use model "retake-local".',
        );
      }
      throw new RetakeError('engine_unavailable', 'The hosted engine client is not available in this build of retake.');
    },
    async render() {
      this.assertAvailable?.();
      throw new RetakeError('engine_unavailable');
    },
  };
}
