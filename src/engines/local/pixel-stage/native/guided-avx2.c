/*
 * The two guided stages (guided-stages.h) compiled for AVX2, on x86-64 with GCC or
 * Clang, used when the processor running them has it (checked once, at run time): the
 * dot products four doubles at a time and floor and round as single instructions. The
 * order of every addition is the one guided.c's build uses, so the frames are the same.
 * RETAKE_PIXEL_STAGE_SIMD=portable turns it off (to test the portable build on any machine).
 */
#include <stdlib.h>
#include <string.h>
#include "pixel-stage.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#ifdef __clang__
#pragma clang attribute push(__attribute__((target("avx2"))), apply_to = function)
#else
#pragma GCC target("avx2")
#endif
#define STAGE_ONE stage_one_avx2
#define CONTEXT_STAGE context_stage_avx2
#include "guided-stages.h"
#ifdef __clang__
#pragma clang attribute pop
#endif

int ps_stages_avx2(const ps_model *m, ps_planes *p, const uint8_t *data, float *result) {
  static int has = -1;
  if (has < 0) has = __builtin_cpu_supports("avx2") ? 1 : 0;
  const char *simd = getenv("RETAKE_PIXEL_STAGE_SIMD");
  if (!has || (simd && strcmp(simd, "portable") == 0)) return 0;
  stage_one_avx2(m, p, data, result);
  if (m->has_context) context_stage_avx2(m, p, data, result);
  return 1;
}
#else
int ps_stages_avx2(const ps_model *m, ps_planes *p, const uint8_t *data, float *result) {
  (void)m; (void)p; (void)data; (void)result;
  return 0;
}
#endif
