/*
 * Pixel art's palettes: a curated set of hue-shifted ramps for a coloured source and one
 * warm ramp for a black-and-white one, each cell mapped to an entry by a perceptual
 * distance (OKLab). The cells are then cleaned up and outlined by entry (pixel-clusters.c),
 * so every rule there reads an entry's ramp, its step on it and its lightness.
 */
#ifndef RETAKE_MARKS_PIXEL_PALETTE_H
#define RETAKE_MARKS_PIXEL_PALETTE_H

#include <stdint.h>

typedef struct {
  uint8_t rgb[3];
  float L, a, b, C; /* OKLab, and the chroma */
  int ramp;         /* which ramp the entry lies on */
  int shade;        /* the entry an outline over it takes: a darker step of its own ramp */
  int ink;          /* the entry a bold outline (a strong edge) over it takes: its ramp's darkest, or a deeper one's */
} pixel_entry;

#define PIXEL_PALETTE_MAX 48

typedef struct {
  const pixel_entry *entries;
  int count;
  int grey;         /* 1: map by lightness only (a black-and-white source's ramp) */
  /* The entries' OKLab, chroma and hue weight side by side, so the search runs several entries an instruction. */
  float L[PIXEL_PALETTE_MAX], a[PIXEL_PALETTE_MAX], b[PIXEL_PALETTE_MAX], C[PIXEL_PALETTE_MAX], hue[PIXEL_PALETTE_MAX];
} pixel_palette;

/* The palette for a coloured source (grey 0) or a black-and-white one (grey 1); built once. */
const pixel_palette *pixel_palette_for(int grey);

/*
 * Video-range YCbCr (BT.601, chroma about 128) to RGB as FFmpeg converts a frame,
 * channels clamped to 0..255 but not rounded.
 */
static inline void pixel_video_rgb(float y, float cb, float cr, float rgb[3]) {
  const float l = 1.164383f * (y - 16), u = cb - 128, v = cr - 128;
  rgb[0] = l + 1.596027f * v; rgb[1] = l - 0.391762f * u - 0.812968f * v; rgb[2] = l + 2.017232f * u;
  for (int c = 0; c < 3; c++) rgb[c] = rgb[c] < 0 ? 0 : rgb[c] > 255 ? 255 : rgb[c];
}

/* OKLab of an sRGB colour, channels 0..255 (floats, so a cell is mapped before it is rounded). */
void pixel_oklab(float r, float g, float b, float *L, float *a, float *B);

/*
 * The entry nearest the OKLab colour (L, a, b). `held` is the cell's entry on the last
 * frame (-1 for none): it is kept unless another is clearly nearer, so a cell near the
 * middle of two entries does not flicker between them.
 */
int pixel_palette_nearest(const pixel_palette *p, float L, float a, float b, int held);

#endif
