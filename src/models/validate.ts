/**
 * Validates a request body against the model's JSON Schema with Ajv, collecting every
 * problem with its field, and applies the schema's defaults. Cross-field rule failures
 * are reported with the rule's own sentence rather than Ajv's `if/then` wording. What a
 * schema cannot say (keyframe frames unique) is checked here too; problems that all
 * concern the keyframes get their own error codes.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { RetakeError, type ErrorCode, type FieldProblem } from '../errors/index.ts';
import { requestSchema, rulesFor, type OptionalField } from './request-schema.ts';
import { MAX_KEYFRAMES, type VideoRequest } from './request.ts';

// ajv-formats is CommonJS; under NodeNext its default export arrives as `.default`.
type FormatsPlugin = (ajv: Ajv2020) => Ajv2020;
const formatsModule = addFormatsModule as unknown as FormatsPlugin & { default?: FormatsPlugin };
const addFormats: FormatsPlugin = formatsModule.default ?? formatsModule;

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
/** One compiled validator per set of omitted fields (the built-in models share the full one). */
const validators = new Map<string, ValidateFunction>();

function validatorFor(omit: readonly OptionalField[]): ValidateFunction {
  const key = [...omit].sort().join(',');
  let validate = validators.get(key);
  if (!validate) {
    validate = ajv.compile(requestSchema(omit));
    validators.set(key, validate);
  }
  return validate;
}

/** A problem with the request, and the error code it calls for when it is the only kind. */
export interface RequestProblem extends FieldProblem {
  code?: ErrorCode | undefined;
}

/** `/keyframes/0/frame` → `keyframes[0].frame`. */
function readablePath(instancePath: string): string {
  return instancePath.split('/').slice(1).reduce((out, part) => (/^\d+$/.test(part) ? `${out}[${part}]` : out ? `${out}.${part}` : part), '');
}

function problemOf(err: ErrorObject, rules: ReturnType<typeof rulesFor>): FieldProblem | undefined {
  const rule = /^#\/allOf\/(\d+)\//.exec(err.schemaPath);
  if (rule) {
    // Ajv reports both the inner failure and the `if` keyword; keep one sentence per rule.
    if (err.keyword !== 'if') return undefined;
    const r = rules[Number(rule[1])];
    return r ? { field: r.field, message: r.message } : undefined;
  }
  const top = err.instancePath.replace(/^\//, '').split('/')[0] ?? '';
  const path = readablePath(err.instancePath);
  const within = (name: string) => (path ? `${path}.${name}` : name);
  switch (err.keyword) {
    case 'required':
      return { field: top || String(err.params.missingProperty), message: `${within(String(err.params.missingProperty))} is required` };
    case 'additionalProperties':
      return top
        ? { field: top, message: `${path} has an unknown field ${String(err.params.additionalProperty)}` }
        : { field: String(err.params.additionalProperty), message: `unknown field ${String(err.params.additionalProperty)}` };
    case 'enum':
      return { field: top, message: `${path} must be one of ${(err.params.allowedValues as unknown[]).join(', ')}` };
    case 'type': {
      const type = String(err.params.type);
      return { field: top, message: path ? `${path} must be ${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}` : 'body must be a JSON object' };
    }
    case 'minLength':
      return { field: top, message: `${path} must not be empty` };
    case 'maxLength':
      return { field: top, message: `${path} must be at most ${String(err.params.limit)} characters` };
    case 'minItems':
    case 'maxItems':
      return { field: top, message: `${path} must list 1 to ${MAX_KEYFRAMES} entries` };
    case 'minimum':
    case 'maximum':
      return { field: top, message: `${path} must be ${err.keyword === 'minimum' ? 'at least' : 'at most'} ${String(err.params.limit)}` };
    case 'minProperties':
      return { field: top, message: `${path} must not be empty` };
    case 'format':
      return { field: top, message: `${path} must be a URL` };
    default:
      return { field: top, message: `${path || 'body'} ${err.message ?? 'is invalid'}` };
  }
}

/** Frames listed more than once, which no schema keyword can say. */
function duplicateFrames(keyframes: unknown): RequestProblem[] {
  if (!Array.isArray(keyframes)) return [];
  const seen = new Map<number, number>();
  const problems: RequestProblem[] = [];
  keyframes.forEach((k: unknown, i) => {
    const frame = k && typeof k === 'object' ? (k as { frame?: unknown }).frame : undefined;
    if (typeof frame !== 'number') return;
    const first = seen.get(frame);
    if (first === undefined) seen.set(frame, i);
    else problems.push({ field: 'keyframes', code: 'duplicate_keyframe_frames', message: `keyframes[${i}] and keyframes[${first}] are both at frame ${frame}; each frame takes one keyframe` });
  });
  return problems;
}

const KEYFRAME_CODES: ReadonlySet<ErrorCode | undefined> = new Set<ErrorCode | undefined>(['invalid_keyframes', 'duplicate_keyframe_frames']);

/**
 * The 422 for `problems`: their own code when they all call for the same one (every
 * keyframe problem is at least `invalid_keyframes`), `validation_error` otherwise. The
 * fields are listed without codes.
 */
export function requestError(problems: readonly RequestProblem[]): RetakeError {
  const codes = new Set(problems.map((p) => p.code));
  const [only] = codes;
  const code: ErrorCode = codes.size === 1 && only ? only : [...codes].every((c) => KEYFRAME_CODES.has(c)) ? 'invalid_keyframes' : 'validation_error';
  return new RetakeError(code, problems.map((p) => p.message).join('; '), {
    fields: problems.map(({ field, message }) => ({ field, message })),
  });
}

/**
 * Every problem with `body`, one per field and rule; empty when it is valid. `omit`:
 * fields the model does not offer (sending one is an unknown field).
 */
export function requestProblems(body: unknown, omit: readonly OptionalField[] = []): RequestProblem[] {
  // `if`/`then` rules hold vacuously for non-objects; say the one thing that is wrong.
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return [{ field: '', message: 'body must be a JSON object' }];
  }
  const validateSchema = validatorFor(omit);
  const rules = rulesFor(omit);
  const duplicates = duplicateFrames((body as { keyframes?: unknown }).keyframes);
  if (validateSchema(body)) return duplicates;
  const seen = new Set<string>();
  const problems: RequestProblem[] = [];
  for (const err of validateSchema.errors ?? []) {
    const p = problemOf(err, rules);
    if (!p) continue;
    const key = `${p.field}\u0000${p.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(p.field === 'keyframes' ? { ...p, code: 'invalid_keyframes' } : p);
  }
  return [...problems, ...duplicates];
}

/**
 * Validate a model request (the body without envelope fields) and return it with
 * defaults applied. Throws a 422 listing every problem (`validation_error`, or a keyframe code).
 */
export function parseVideoRequest(body: unknown, omit: readonly OptionalField[] = []): VideoRequest {
  const problems = requestProblems(body, omit);
  if (problems.length > 0) throw requestError(problems);
  const b = body as Partial<VideoRequest>;
  return {
    prompt: b.prompt!,
    input_video: b.input_video!,
    input_image: b.input_image,
    ...(b.keyframes ? { keyframes: b.keyframes.map((k) => ({ image: k.image, frame: k.frame })) } : {}),
    ...(b.controls ? { controls: b.controls } : {}),
    resolution: b.resolution ?? '540p',
    duration: b.duration ?? '5s',
    edit_strength: b.edit_strength,
    auto_controls: b.auto_controls,
    hdr: b.hdr ?? false,
    exr_export: b.exr_export ?? false,
  };
}
