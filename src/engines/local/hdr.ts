/**
 * HDR in and out of the local engine, as FFmpeg filter fragments and encoder flags.
 * Looks are SDR recipes, so every render grades in SDR (BT.709): an HDR source (PQ or
 * HLG) is tone-mapped down first, and an HDR10 output is the graded SDR picture placed
 * into PQ with SDR white at 203 cd/m² (ITU-R BT.2408), the level HDR programmes use
 * for graphics and SDR inserts. All conversions go through `zscale` (zimg) in float;
 * its `npl` makes linear 1.0 equal SDR white for PQ and HLG alike.
 */
import { ACES_AP0, BT709_TO_AP0, type Chromaticities } from './colour-space.ts';
import { num } from './filter-graph.ts';
import type { MediaFacts } from './probe.ts';

/** SDR reference white inside an HDR programme, cd/m² (ITU-R BT.2408). */
export const SDR_WHITE_NITS = 203;
/** Peak assumed for an HDR source that carries no light-level metadata (and for HLG). */
export const DEFAULT_HDR_PEAK_NITS = 1000;
/**
 * Tone-mapping knee, in units of SDR white: linear light below it passes unchanged and
 * the highlights above are rolled off (Möbius), so mid-tones keep their level. The
 * curve scales R, G and B together, so hues keep their purity; a high knee keeps the
 * colours near SDR white bright (from a 1000 cd/m² peak, SDR white comes out at 0.90
 * of itself with this knee, 0.81 with 0.6), and with them their chroma.
 */
const TONEMAP_KNEE = 0.8;

/**
 * The static HDR10 metadata written with every HDR output. The mastering display is
 * the common P3-D65 1000 cd/m² grading monitor; the content is SDR placed at 203 cd/m²,
 * so no pixel is brighter than that: MaxCLL is 203, and MaxFALL is bounded by it.
 */
export const HDR10_METADATA = {
  masterDisplay: 'G(13250,34500)B(7500,3000)R(34000,16000)WP(15635,16450)L(10000000,1)',
  maxCll: SDR_WHITE_NITS,
  maxFall: SDR_WHITE_NITS,
} as const;

export type DynamicRange = 'sdr' | 'pq' | 'hlg';

/** How the source encodes light: PQ (SMPTE ST 2084), HLG (ARIB STD-B67) or SDR. */
export function dynamicRangeOf(source: Pick<MediaFacts, 'colorTransfer'>): DynamicRange {
  if (source.colorTransfer === 'smpte2084') return 'pq';
  if (source.colorTransfer === 'arib-std-b67') return 'hlg';
  return 'sdr';
}

/**
 * Filters that turn an HDR source's frames into SDR BT.709 (`yuv420p`) for the look,
 * or undefined for an SDR source. Highlights above SDR white are tone-mapped from the
 * source's peak (MaxCLL / mastering display, else {@link DEFAULT_HDR_PEAK_NITS}).
 */
export function hdrToSdrFilter(source: Pick<MediaFacts, 'colorTransfer' | 'colorMatrix' | 'colorRange' | 'peakNits'>): string | undefined {
  const range = dynamicRangeOf(source);
  if (range === 'sdr') return undefined;
  const tin = range === 'pq' ? 'smpte2084' : 'arib-std-b67';
  const min = source.colorMatrix === 'bt2020c' ? 'bt2020c' : 'bt2020nc';
  const rin = source.colorRange === 'pc' ? 'full' : 'tv';
  const peak = (range === 'pq' ? (source.peakNits ?? DEFAULT_HDR_PEAK_NITS) : DEFAULT_HDR_PEAK_NITS) / SDR_WHITE_NITS;
  return [
    `zscale=tin=${tin}:min=${min}:pin=bt2020:rin=${rin}:t=linear:npl=${SDR_WHITE_NITS}:m=gbr:p=bt2020:r=full`,
    'format=gbrpf32le',
    'zscale=p=bt709',
    `tonemap=tonemap=mobius:param=${TONEMAP_KNEE}:desat=0:peak=${num(Math.max(peak, 1))}`,
    'zscale=t=bt709:m=bt709:p=bt709:r=tv',
    'format=yuv420p',
  ].join(',');
}

/**
 * Graded SDR BT.709 frames → HDR10 (PQ, BT.2020, 10 bit) with SDR white at 203 cd/m².
 * The detour through 16-bit RGB clamps super-whites (a contrast boost lifts Y above
 * 235): SDR players clip them anyway, and unclamped they would outshine the MaxCLL
 * the file declares.
 */
export function sdrToPqFilter(): string {
  return [
    'zscale=min=bt709:rin=tv:m=gbr:r=full',
    'format=gbrp16le',
    `zscale=min=gbr:rin=full:tin=bt709:pin=bt709:t=smpte2084:m=bt2020nc:p=bt2020:r=tv:npl=${SDR_WHITE_NITS}`,
    'format=yuv420p10le',
  ].join(',');
}

/**
 * Graded SDR BT.709 frames → scene-linear ACES2065-1 float RGB (`gbrpf32le`) for the
 * EXR sidecar. SDR white becomes 1.0 (so mid grey lands near 0.18, as ACES expects);
 * the gamut change is a 3×3 matrix on linear light.
 */
export function sdrToAcesFilter(): string {
  const [r, g, b] = BT709_TO_AP0;
  const mix = [['r', r], ['g', g], ['b', b]] as const;
  const gains = mix.flatMap(([out, row]) => row.map((v, i) => `${out}${'rgb'[i]}=${v.toFixed(6)}`)).join(':');
  return 'zscale=tin=bt709:min=bt709:pin=bt709:rin=tv:t=linear:m=gbr:p=bt709:r=full,format=gbrpf32le,' + `colorchannelmixer=${gains}`;
}

/** The gamut written into each EXR frame's `chromaticities` attribute. */
export const EXR_GAMUT: Chromaticities = ACES_AP0;

/** libx265 flags for an HDR10 Main10 MP4 (`hvc1`, so Apple players accept it). */
export function hdr10EncoderArgs(): string[] {
  const { masterDisplay, maxCll, maxFall } = HDR10_METADATA;
  const x265 = [
    'log-level=error', 'hdr10=1', 'hdr10-opt=1', 'repeat-headers=1', 'range=limited',
    'colorprim=bt2020', 'transfer=smpte2084', 'colormatrix=bt2020nc',
    `master-display=${masterDisplay}`, `max-cll=${maxCll},${maxFall}`,
  ].join(':');
  return [
    '-c:v', 'libx265', '-preset', 'veryfast', '-crf', '20', '-pix_fmt', 'yuv420p10le', '-tag:v', 'hvc1',
    '-x265-params', x265,
    '-color_primaries', 'bt2020', '-color_trc', 'smpte2084', '-colorspace', 'bt2020nc', '-color_range', 'tv',
  ];
}
