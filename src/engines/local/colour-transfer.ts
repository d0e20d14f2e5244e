/**
 * input_image steers the whole clip: Reinhard-style colour transfer. The mean and
 * standard deviation of each RGB channel are measured on the image and on the styled
 * source (a few frames through the same look), and a per-channel linear map moves the
 * second onto the first. Applied to every frame from the source, so the clip continues
 * from frame 0 in the image's palette and tone instead of jumping back to the source's.
 */
import { num as n } from './filter-graph.ts';

export interface ChannelStats {
  /** Per channel (R, G, B, or one luma value), 0..255. */
  mean: number[];
  std: number[];
}

/** The stats of interleaved 8-bit frames with `channels` channels. */
export function channelStats(frames: readonly Buffer[], channels: number): ChannelStats {
  const sum = new Array<number>(channels).fill(0);
  const sq = new Array<number>(channels).fill(0);
  let count = 0;
  for (const frame of frames) {
    for (let i = 0; i + channels <= frame.length; i += channels) {
      for (let c = 0; c < channels; c++) {
        const v = frame[i + c] ?? 0;
        sum[c] = (sum[c] ?? 0) + v;
        sq[c] = (sq[c] ?? 0) + v * v;
      }
    }
    count += Math.floor(frame.length / channels);
  }
  const mean = sum.map((s) => s / Math.max(1, count));
  const std = sq.map((s, c) => Math.sqrt(Math.max(0, s / Math.max(1, count) - (mean[c] ?? 0) ** 2)));
  return { mean, std };
}

/** Rec. 709 luma stats from RGB stats (ignoring the channels' correlation in the spread). */
function lumaOf(stats: ChannelStats): { mean: number; std: number } {
  const w = [0.2126, 0.7152, 0.0722];
  const dot = (values: number[]): number => values.reduce((acc, v, i) => acc + v * (w[i] ?? 0), 0);
  return { mean: dot(stats.mean), std: dot(stats.std) };
}

/** Gains are kept in this range so a flat image cannot blow a clip's contrast up. */
const MIN_GAIN = 0.4;
const MAX_GAIN = 2.5;

export interface TransferOptions {
  /** Move only the tone (one map for all channels), for looks without colour. Default false. */
  toneOnly?: boolean;
}

/** The map per channel as `[gain, offset]`: out = in × gain + offset. */
export function transferMaps(source: ChannelStats, target: ChannelStats, options: TransferOptions = {}): [number, number][] {
  const map = (sMean: number, sStd: number, tMean: number, tStd: number): [number, number] => {
    const gain = Math.min(MAX_GAIN, Math.max(MIN_GAIN, tStd / Math.max(1, sStd)));
    return [gain, tMean - sMean * gain];
  };
  if (options.toneOnly) {
    const s = lumaOf(source);
    const t = lumaOf(target);
    const m = map(s.mean, s.std, t.mean, t.std);
    return [m, m, m];
  }
  return [0, 1, 2].map((c) => map(source.mean[c] ?? 128, source.std[c] ?? 50, target.mean[c] ?? 128, target.std[c] ?? 50));
}

/** The transfer from `source` to `target` stats as one `lutrgb` filter. */
export function transferFilter(source: ChannelStats, target: ChannelStats, options: TransferOptions = {}): string {
  const [r, g, b] = transferMaps(source, target, options).map(([gain, offset]) => `'clip(val*${n(gain)}+${n(offset)},0,255)'`);
  return `lutrgb=r=${r}:g=${g}:b=${b}`;
}
