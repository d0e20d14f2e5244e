/**
 * Inked looks, drawn by the marks stage (pixel-stage/native/marks/inked.c; neon: neon.c): bold,
 * continuous lines from the flow-guided difference of Gaussians (Kang, Lee, Chui,
 * Coherent Line Drawing, 2007) along the frame's field of directions, over flat
 * regions that keep eyes and mouths. Ink comic: a hand-inked panel in flat print, bold
 * black contours, a few flat tone steps, the darkest masses spotted solid black (on a dark
 * shot, which is lifted, only flat, large ones: a face in shadow keeps its features as
 * lines over screen tone), a dot screen in the middle shadows (on a dark shot also in the
 * unspotted darks), and a grey source printed in a limited palette; on a washed-out shot,
 * lines of one weight along the ridges and screen tone over a texture rather than its
 * flecks filled black; the whole framed as a panel on the page (COMIC_PANEL). Cel
 * cartoon: thinner outlines, a few soft tone steps, saturated colour, a black-and-white
 * source painted in a cel palette by tone. Neon: a
 * dim night that keeps the scene's relief (a face its features), lit violet, magenta and
 * cyan by tone and by the lit side of a form, more saturated than the source, with the
 * contours of its main forms glowing as tubes that fade over texture.
 */
import type { Step } from '../filter-graph.ts';

/** Dot period of the ink comic's screen tone at 540p, in pixels (the kernel's 7 + 2·min(k, 1)). */
export const comicDotPeriod = (k: number): number => 7 + 2 * Math.min(k, 1);

/**
 * The kernel's one parameter is the intensity; it scales its own radii by the frame size.
 * Above 720 lines it draws at 720 and the frame is scaled up (1.5× at 1080p): at full
 * 1080p its per-pixel work cost 10–15× a plain transcode, against 8× allowed.
 */
const INKED_PROXY = 720;
const kernel = (name: string, k: number): Step => ({ marks: name, params: [k], proxy: INKED_PROXY });

/**
 * The ink comic's panel frame, as shares of the short side: a gutter of the page's paper
 * and a black border inside it (the kernel's params [1] and [2]), so the frame reads as a
 * panel printed on a page. Three viewers, each choosing between the same frame with and
 * without it, preferred it 30 times of 30, by the frame alone (docs/looks.md).
 */
export const COMIC_PANEL = { gutter: 0.025, rule: 0.008 } as const;

export function inkComic(k: number): Step[] {
  return [{ marks: 'ink_comic', params: [k, COMIC_PANEL.gutter, COMIC_PANEL.rule], proxy: INKED_PROXY }];
}

export function cartoon(k: number): Step[] {
  return [kernel('cartoon', k)];
}

export function neon(k: number): Step[] {
  return [kernel('neon', k)];
}
