/**
 * retake-local: the built-in engine. FFmpeg does the pixels on the CPU; TypeScript
 * plans them. No network (beyond fetching the inputs), no GPU.
 */
import { RetakeError } from '../../errors/index.ts';
import { withFirstFrameAsImage } from '../../models/index.ts';
import type { Engine } from '../types.ts';
import { lookInterpretation } from './interpretation.ts';
import { runLocalPipeline } from './pipeline.ts';
import { interpretPrompt } from './prompt-to-look.ts';
import { DEFAULT_EDIT_STRENGTH, lookIntensity } from './strength.ts';
import type { ProbeLimits } from './probe.ts';

export interface LocalEngineOptions {
  /** FFmpeg binary; default `ffmpeg` on PATH. */
  ffmpegPath?: string;
  /** ffprobe binary; default `ffprobe` on PATH. */
  ffprobePath?: string;
  /** Input limits; defaults 10 minutes and 8192×4320 pixels. */
  limits?: ProbeLimits;
  /** Most frames in an EXR sidecar; default 150 (5 s at 30 fps), see render-plan.ts. */
  exrMaxFrames?: number;
}

/** Create the local engine (`id: 'local'`). */
export function createLocalEngine(options: LocalEngineOptions = {}): Engine {
  return {
    id: 'local',
    assertRequest(request) {
      if (request.controls) {
        throw new RetakeError('controls_not_supported', 'controls steer the hosted model; retake-local does not take them', {
          fields: [{ field: 'controls', message: 'controls is not taken by retake-local' }],
        });
      }
    },
    // One keyframe at frame 0 is input_image by another name: rendered by the same path,
    // it gives the same bytes.
    render: (job) => runLocalPipeline({ ...job, request: withFirstFrameAsImage(job.request) }, options),
    async interpret(request) {
      const look = await interpretPrompt(request.prompt);
      return {
        ...lookInterpretation(look),
        edit_strength: request.auto_controls ? 'auto' : (request.edit_strength ?? DEFAULT_EDIT_STRENGTH),
        intensity: lookIntensity(request.edit_strength, look.modifiers),
        ...(look.model_warning ? { warning: look.model_warning } : {}),
      };
    },
  };
}

export type { ProbeLimits } from './probe.ts';
export { interpretPrompt, promptToLook, type Interpretation, type Look } from './prompt-to-look.ts';
export { LOOK_STYLES, type LookStyle, type LookPalette, type LookModifier } from './vocabulary.ts';
export type { StrengthSchedule, ScheduleSegment } from './strength-schedule.ts';
