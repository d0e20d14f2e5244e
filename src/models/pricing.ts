/**
 * Prices in USD per generation. The hosted model follows fal's published table for
 * Luma Ray 3.2 video-to-video; the local engine is free.
 */
import { DURATION_SECONDS, type VideoRequest } from './request.ts';

/** Price per 5 s of output, by resolution. */
const LUMA_PER_5S = {
  sdr: { '540p': 0.72, '720p': 1.08, '1080p': 2.16 },
  hdr: { '540p': null, '720p': 2.16, '1080p': 4.32 },
  hdrExr: { '540p': null, '720p': 3.24, '1080p': 6.48 },
} as const;

export type PricingId = 'free' | 'luma-ray-v3-2';

/** A named table, or an operator's flat price per second of requested output. */
export type Pricing = PricingId | { per_second: number };

/** Cost of one generation of `request` under a pricing table. */
export function priceOf(pricing: Pricing, request: Pick<VideoRequest, 'resolution' | 'duration' | 'hdr' | 'exr_export'>): number {
  if (typeof pricing === 'object') return Math.round(pricing.per_second * DURATION_SECONDS[request.duration] * 100) / 100;
  if (pricing === 'free') return 0;
  const tier = request.hdr ? (request.exr_export ? 'hdrExr' : 'hdr') : 'sdr';
  const per5 = LUMA_PER_5S[tier][request.resolution];
  // HDR at 540p is rejected by the schema; price it as 720p HDR if it ever gets here.
  const unit = per5 ?? LUMA_PER_5S[tier]['720p'];
  const multiple = request.duration === '10s' ? 2 : 1;
  return Math.round(unit * multiple * 100) / 100;
}

/** The pricing block of a model object, as the catalogue serves it. */
export function pricingDescription(pricing: Pricing): Record<string, unknown> {
  if (typeof pricing === 'object') {
    return { currency: 'USD', unit: 'second', price: pricing.per_second, description: `$${pricing.per_second} per second of requested output.` };
  }
  if (pricing === 'free') return { currency: 'USD', unit: 'generation', price: 0, description: 'Free: runs on this machine.' };
  return {
    currency: 'USD',
    unit: 'generation',
    per_5s: LUMA_PER_5S,
    description: '10s costs double. HDR only at 720p/1080p.',
  };
}
