/**
 * Restyles made of marks: grain, dither, hatched strokes, an aged print with
 * stains, vignette and a paper border. Those guided mode is tuned on are made with
 * ImageMagick; the held-out ones, fixed before any tuning and measured only for the
 * reported figure, with FFmpeg's filters (another tool, other marks: FFmpeg's grain
 * changes on every frame, its dither and hatching are its own patterns).
 */
import type { MagickEffect } from './guided-broad-set.ts';

/** Tuned on: ImageMagick. */
export const MARKS_EFFECTS: Record<string, MagickEffect> = {
  im_grain: { magick: ['-seed', '5', '-attenuate', '0.6', '+noise', 'Gaussian'] },
  im_dither: { magick: ['-colorspace', 'gray', '-ordered-dither', 'o4x4', '-colorspace', 'sRGB'] },
  im_hatch: {
    magick: ['-colorspace', 'gray', '(', '+clone', '-fill', 'gray50', '-colorize', '100', '-seed', '3', '-attenuate', '2', '+noise', 'Random',
      '-channel', 'G', '-separate', '+channel', '-motion-blur', '0x10+45', '-auto-level', '-threshold', '55%', ')',
      '-compose', 'lighten', '-composite', '-colorspace', 'sRGB'],
  },
  im_aged: {
    magick: ['-sepia-tone', '80%', '-fill', 'rgba(90,60,30,0.35)', '-draw', 'circle 70,60 100,85', '-draw', 'circle 250,140 270,160',
      '-background', 'black', '-vignette', '0x60', '-shave', '10x10', '-bordercolor', '#ece2cc', '-border', '10x10'],
  },
};

const SEPIA = 'colorchannelmixer=.393:.769:.189:0:.349:.686:.168:0:.272:.534:.131';

/** Held out: FFmpeg. */
export const HELD_OUT_MARKS_EFFECTS: Record<string, string> = {
  ff_grain: 'noise=alls=30:allf=t+u',
  ff_dither: 'format=gray,format=monob,format=gray,format=rgb24',
  ff_hatch: "format=gray,geq=lum='if(lt(mod(X+Y+3*sin(Y/13)\\,7)\\,1.6)*lt(lum(X\\,Y)\\,170)+lt(mod(X-Y+3*sin(X/11)+7000\\,7)\\,1.6)*lt(lum(X\\,Y)\\,90)\\,lum(X\\,Y)*0.5\\,255)',format=rgb24",
  ff_aged: `${SEPIA},vignette=PI/4,drawbox=x=iw*0.3:y=ih*0.2:w=iw*0.12:h=ih*0.1:color=0x5a3c1e@0.35:t=fill,drawbox=x=0:y=0:w=iw:h=ih:color=0xe6dcc8:t=12`,
};
