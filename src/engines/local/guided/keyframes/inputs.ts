/**
 * The keyframes of a request as the local pipeline takes them: each image fetched like
 * any input, and the warnings a render with an image or keyframes reports when one of
 * them is not a restyle of its source frame.
 */
import type { EngineJob } from '../../../types.ts';
import type { GuidedLearning } from '../index.ts';
import type { KeyframeFile } from './learn-keyframes.ts';

/** Fetch every keyframe's image (in request order); undefined when the request has none. */
export async function fetchKeyframes(job: Pick<EngineJob, 'request' | 'fetchInput'>): Promise<KeyframeFile[] | undefined> {
  const requested = job.request.keyframes;
  if (!requested || requested.length === 0) return undefined;
  const files: KeyframeFile[] = [];
  for (const [i, keyframe] of requested.entries()) files.push({ path: await job.fetchInput(keyframe.image, `keyframe-${i}`), frame: keyframe.frame });
  return files;
}

/** The warnings of what guided learning decided: images it could not use, and what was done instead. */
export function guidedWarnings(learning: GuidedLearning): string[] {
  const { keyframes } = learning;
  if (!keyframes) {
    return learning.decision === 'not_aligned'
      ? [`input_image does not line up with the source's first frame (alignment score ${learning.report.alignment.score}); ` +
        'it is used as frame 0 and its colours are transferred to the clip instead of its learned look']
      : [];
  }
  const notes = keyframes.keyframes
    .filter((k) => k.decision === 'not_aligned')
    .map((k) => `The keyframe at frame ${k.frame} does not line up with the source frame at its index (alignment score ${k.report.alignment.score}); it is not used`);
  if (learning.decision === 'not_aligned') notes.push('No keyframe lines up with its source frame: the first keyframe\'s colours are transferred to the clip instead of a learned look');
  return notes;
}
