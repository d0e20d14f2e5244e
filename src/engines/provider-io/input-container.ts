/**
 * A hosted engine sends a fetched input's bytes to its provider; they are checked first
 * under the same rules as retake-local's reads (media/ffmpeg-input.ts): a playlist, a list of
 * other files or a container outside the list never leaves the server, so a provider's
 * FFmpeg is not handed references into its own network either.
 */
import { RetakeError } from '../../errors/index.ts';
import { runProcess } from '../local/ffmpeg-process.ts';
import { CONTAINER_REFUSED_DETAIL, ffmpegInput, isContainerRefusal } from '../../media/index.ts';

export interface ContainerCheckOptions {
  /** Default `ffprobe` on PATH. */
  ffprobePath?: string | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * Read `path`'s container with ffprobe under the input rules. Throws
 * `input_container_refused`, or `input_not_media` for bytes FFmpeg cannot read at all.
 */
export async function checkInputContainer(path: string, options: ContainerCheckOptions = {}): Promise<void> {
  const result = await runProcess(
    options.ffprobePath ?? 'ffprobe',
    ['-v', 'error', '-show_entries', 'format=format_name', '-of', 'csv=p=0', ...ffmpegInput(path)],
    { signal: options.signal },
  );
  if (result.code === 0 && result.stdout.trim() !== '') return;
  if (isContainerRefusal(result.stderrTail)) throw new RetakeError('input_container_refused', CONTAINER_REFUSED_DETAIL);
  throw new RetakeError('input_not_media', 'Input is not a readable video or image');
}
