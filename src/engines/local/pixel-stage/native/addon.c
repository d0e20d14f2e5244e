/*
 * The Node-API binding of the pixel stage: predict(model, frame, width, height, result)
 * and map(model, frame, width, height, strength, out). Each Node thread (the mapper's
 * worker threads) keeps one workspace, grown to the largest frame it has seen and freed
 * with the thread, so memory is flat from frame to frame. Calls are synchronous: the
 * caller runs them on a worker thread, never on a server's event loop.
 */
#include <stdlib.h>
#include <node_api.h>
#include <string.h>
#include "pixel-stage.h"
#include "marks.h"

typedef struct {
  float *floats;
  size_t float_count;
  double *sums;
  size_t sums_count;
  double wide[PS_WIDE_WEIGHTS];
} workspace;

#define CHECK(call) do { if ((call) != napi_ok) { napi_throw_error(env, "pixel_stage", "Node-API call failed: " #call); return NULL; } } while (0)
#define FAIL(message) do { napi_throw_type_error(env, "pixel_stage", message); return NULL; } while (0)

static void free_workspace(napi_env env, void *data, void *hint) {
  (void)env; (void)hint;
  workspace *ws = data;
  free(ws->floats);
  free(ws->sums);
  free(ws);
}

static workspace *workspace_for(napi_env env, size_t n, int width) {
  workspace *ws = NULL;
  if (napi_get_instance_data(env, (void **)&ws) != napi_ok) return NULL;
  if (!ws) {
    ws = calloc(1, sizeof(workspace));
    if (!ws || napi_set_instance_data(env, ws, free_workspace, NULL) != napi_ok) return NULL;
  }
  const size_t floats = ps_workspace_floats(n);
  if (ws->float_count < floats) {
    free(ws->floats);
    ws->floats = malloc(floats * sizeof(float));
    ws->float_count = ws->floats ? floats : 0;
  }
  if (ws->sums_count < (size_t)width) {
    free(ws->sums);
    ws->sums = malloc((size_t)width * sizeof(double));
    ws->sums_count = ws->sums ? (size_t)width : 0;
  }
  return ws->floats && ws->sums ? ws : NULL;
}

/* A typed array's data and element count; NULL when `value` is not of `type`. */
static void *typed(napi_env env, napi_value value, napi_typedarray_type type, size_t *length) {
  bool is = false;
  if (napi_is_typedarray(env, value, &is) != napi_ok || !is) return NULL;
  napi_typedarray_type actual;
  void *data = NULL;
  if (napi_get_typedarray_info(env, value, &actual, length, &data, NULL, NULL) != napi_ok || actual != type) return NULL;
  return data;
}

static napi_value prop(napi_env env, napi_value object, const char *name) {
  napi_value value = NULL;
  napi_get_named_property(env, object, name, &value);
  return value;
}

static bool number(napi_env env, napi_value value, double *out) {
  return value && napi_get_value_double(env, value, out) == napi_ok;
}

static bool pair(napi_env env, napi_value array, double out[2]) {
  napi_value a, b;
  return array && napi_get_element(env, array, 0, &a) == napi_ok && napi_get_element(env, array, 1, &b) == napi_ok &&
    number(env, a, &out[0]) && number(env, b, &out[1]);
}

/* The GuidedModel object (model.ts) as the C kernels read it; false when malformed. */
static bool read_model(napi_env env, napi_value object, ps_model *m) {
  size_t length = 0;
  if (!pair(env, prop(env, object, "lumaCuts"), m->luma_cuts) || !pair(env, prop(env, object, "gradientCuts"), m->gradient_cuts)) return false;
  napi_value lut = prop(env, object, "lut");
  double size = 0;
  if (!lut || !number(env, prop(env, lut, "size"), &size) || size < 2) return false;
  m->lut_size = (int)size;
  m->lut = typed(env, prop(env, lut, "table"), napi_float32_array, &length);
  if (!m->lut || length != (size_t)(m->lut_size * m->lut_size * m->lut_size * 3)) return false;
  m->curves = typed(env, prop(env, prop(env, object, "curves"), "table"), napi_float32_array, &length);
  if (!m->curves || length != PS_CURVE_LEVELS * PS_CURVE_FEATURES) return false;
  m->weights = typed(env, prop(env, object, "weights"), napi_float32_array, &length);
  if (!m->weights || length != PS_BUCKETS * PS_FEATURES * 3) return false;
  napi_value context = prop(env, object, "context");
  napi_valuetype kind = napi_undefined;
  if (context) napi_typeof(env, context, &kind);
  m->has_context = kind == napi_object;
  if (!m->has_context) return true;
  m->context_weights = typed(env, prop(env, context, "weights"), napi_float32_array, &length);
  return m->context_weights && length == PS_CONTEXT_BUCKETS * PS_CONTEXT_FEATURES * 3 &&
    number(env, prop(env, context, "gradientCut"), &m->context_cut);
}

typedef struct {
  ps_model model;
  const uint8_t *frame;
  int width, height;
  size_t n;
  ps_planes planes;
} call;

/* The arguments common to both functions: model, frame, width, height. */
static bool read_call(napi_env env, napi_value *argv, call *c, const char **problem) {
  size_t length = 0;
  double w = 0, h = 0;
  *problem = "model is not a guided model";
  if (!read_model(env, argv[0], &c->model)) return false;
  *problem = "frame, width and height do not describe one RGB frame";
  c->frame = typed(env, argv[1], napi_uint8_array, &length);
  if (!c->frame || !number(env, argv[2], &w) || !number(env, argv[3], &h) || w < 1 || h < 1) return false;
  c->width = (int)w;
  c->height = (int)h;
  c->n = (size_t)c->width * c->height;
  if (length != c->n * 3) return false;
  *problem = "out of memory for the pixel stage's workspace";
  workspace *ws = workspace_for(env, c->n, c->width);
  if (!ws) return false;
  ps_planes_in(&c->planes, c->width, c->height, ws->floats, ws->sums);
  c->model.wide_weights = ws->wide;
  c->model.wide_context_weights = ws->wide + PS_BUCKETS * PS_FEATURES * 4;
  ps_widen_weights(c->model.weights, PS_BUCKETS * PS_FEATURES, c->model.wide_weights);
  if (c->model.has_context) ps_widen_weights(c->model.context_weights, PS_CONTEXT_BUCKETS * PS_CONTEXT_FEATURES, c->model.wide_context_weights);
  return true;
}

static napi_value predict(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 5) FAIL("predict(model, frame, width, height, result)");
  call c;
  const char *problem;
  if (!read_call(env, argv, &c, &problem)) FAIL(problem);
  size_t length = 0;
  float *result = typed(env, argv[4], napi_float32_array, &length);
  if (!result || length != c.n * 3) FAIL("result must be a Float32Array of width × height × 3");
  ps_predict(&c.model, &c.planes, c.frame, result);
  return argv[4];
}

static napi_value map(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 6) FAIL("map(model, frame, width, height, strength, out)");
  call c;
  const char *problem;
  if (!read_call(env, argv, &c, &problem)) FAIL(problem);
  double strength = 0;
  if (!number(env, argv[4], &strength)) FAIL("strength must be a number");
  size_t length = 0;
  uint8_t *out = typed(env, argv[5], napi_uint8_array, &length);
  if (!out || length != c.n * 3) FAIL("out must be a Uint8Array of width × height × 3");
  ps_predict(&c.model, &c.planes, c.frame, c.planes.spare);
  ps_finish(c.frame, c.planes.spare, c.n * 3, strength, out);
  return argv[5];
}

/* flowField(frame, width, height, sigma, angle, coherence): the field of directions into the two planes. */
static napi_value flow_field(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 6) FAIL("flowField(frame, width, height, sigma, angle, coherence)");
  size_t length = 0, angles = 0, coherences = 0;
  double w = 0, h = 0, sigma = 0;
  const uint8_t *frame = typed(env, argv[0], napi_uint8_array, &length);
  if (!frame || !number(env, argv[1], &w) || !number(env, argv[2], &h) || w < 1 || h < 1 || length != (size_t)w * (size_t)h * 3) FAIL("frame, width and height do not describe one RGB frame");
  if (!number(env, argv[3], &sigma) || !(sigma > 0)) FAIL("sigma must be a positive number");
  float *angle = typed(env, argv[4], napi_float32_array, &angles);
  float *coherence = typed(env, argv[5], napi_float32_array, &coherences);
  if (!angle || !coherence || angles != (size_t)w * (size_t)h || coherences != angles) FAIL("angle and coherence must be Float32Arrays of width × height");
  workspace *ws = workspace_for(env, (size_t)w * (size_t)h, (int)w);
  if (!ws || !ps_flow_field(frame, (int)w, (int)h, sigma, ws->floats, angle, coherence)) { napi_throw_error(env, "pixel_stage", "out of memory for the flow field"); return NULL; }
  return argv[4];
}

/* A run of a marks kernel (marks.h): the kernel and the state it keeps from frame to frame. */
typedef struct {
  const marks_kernel *kernel;
  void *state;
  long frames;
} marks_run;

static void end_run(marks_run *run) {
  if (run->state && run->kernel->release) run->kernel->release(run->state);
  run->state = NULL;
}

static void free_run(napi_env env, void *data, void *hint) {
  (void)env; (void)hint;
  end_run(data);
  free(data);
}

/* marksKernels(): the names of the registered kernels. */
static napi_value marks_kernels(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value list, name;
  CHECK(napi_create_array_with_length(env, marks_count(), &list));
  for (size_t i = 0; i < marks_count(); i++) {
    CHECK(napi_create_string_utf8(env, marks_at(i)->name, NAPI_AUTO_LENGTH, &name));
    CHECK(napi_set_element(env, list, (uint32_t)i, name));
  }
  return list;
}

/* marksOpen(name): a new run of the kernel, its state freed with the handle or by marksClose. */
static napi_value marks_open(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], handle;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  char name[64];
  size_t length = 0;
  if (argc < 1 || napi_get_value_string_utf8(env, argv[0], name, sizeof name, &length) != napi_ok) FAIL("marksOpen(name)");
  const marks_kernel *kernel = marks_find(name);
  if (!kernel) FAIL("no marks kernel of that name");
  marks_run *run = calloc(1, sizeof(marks_run));
  if (!run) { napi_throw_error(env, "pixel_stage", "out of memory"); return NULL; }
  run->kernel = kernel;
  if (napi_create_external(env, run, free_run, NULL, &handle) != napi_ok) { free(run); FAIL("marksOpen could not make its handle"); }
  return handle;
}

static marks_run *run_of(napi_env env, napi_value value) {
  napi_valuetype kind;
  void *data = NULL;
  if (napi_typeof(env, value, &kind) != napi_ok || kind != napi_external || napi_get_value_external(env, value, &data) != napi_ok) return NULL;
  return data;
}

/* marksFrame(run, frame, width, height, params, out): the next frame of the run into `out`. */
static napi_value marks_frame_fn(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 6) FAIL("marksFrame(run, frame, width, height, params, out)");
  marks_run *run = run_of(env, argv[0]);
  if (!run || !run->kernel) FAIL("run is not an open marks run");
  size_t length = 0, out_length = 0, param_count = 0;
  double w = 0, h = 0;
  const uint8_t *frame = typed(env, argv[1], napi_uint8_array, &length);
  if (!frame || !number(env, argv[2], &w) || !number(env, argv[3], &h) || w < 1 || h < 1 || length != (size_t)w * (size_t)h * 3) FAIL("frame, width and height do not describe one RGB frame");
  const float *params = typed(env, argv[4], napi_float32_array, &param_count);
  if (!params) FAIL("params must be a Float32Array");
  uint8_t *out = typed(env, argv[5], napi_uint8_array, &out_length);
  if (!out || out_length != length || out == frame) FAIL("out must be another Uint8Array of the frame's size");
  marks_frame f = { frame, out, (int)w, (int)h, params, (int)param_count, run->frames, &run->state };
  if (!run->kernel->run(&f)) { napi_throw_error(env, "pixel_stage", "the marks kernel ran out of memory"); return NULL; }
  run->frames++;
  return argv[5];
}

/* marksClose(run): frees the run's state now rather than when the handle is collected. */
static napi_value marks_close(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  marks_run *run = argc < 1 ? NULL : run_of(env, argv[0]);
  if (!run) FAIL("marksClose(run)");
  end_run(run);
  return NULL;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  if (napi_create_function(env, "predict", NAPI_AUTO_LENGTH, predict, NULL, &fn) != napi_ok ||
      napi_set_named_property(env, exports, "predict", fn) != napi_ok ||
      napi_create_function(env, "map", NAPI_AUTO_LENGTH, map, NULL, &fn) != napi_ok ||
      napi_set_named_property(env, exports, "map", fn) != napi_ok ||
      napi_create_function(env, "flowField", NAPI_AUTO_LENGTH, flow_field, NULL, &fn) != napi_ok ||
      napi_set_named_property(env, exports, "flowField", fn) != napi_ok) return NULL;
  const struct { const char *name; napi_callback fn; } marks[] = {
    { "marksKernels", marks_kernels }, { "marksOpen", marks_open }, { "marksFrame", marks_frame_fn }, { "marksClose", marks_close },
  };
  for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++) {
    if (napi_create_function(env, marks[i].name, NAPI_AUTO_LENGTH, marks[i].fn, NULL, &fn) != napi_ok ||
        napi_set_named_property(env, exports, marks[i].name, fn) != napi_ok) return NULL;
  }
  return exports;
}
