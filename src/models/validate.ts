/**
 * Validates a request body against the model's JSON Schema with Ajv, collecting every
 * problem with its field, and applies the schema's defaults. Cross-field rule failures
 * are reported with the rule's own sentence rather than Ajv's `if/then` wording.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { RetakeError, type FieldProblem } from '../errors/index.ts';
import { requestSchema, rulesFor, type OptionalField } from './request-schema.ts';
import type { VideoRequest } from './request.ts';

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

function problemOf(err: ErrorObject, rules: ReturnType<typeof rulesFor>): FieldProblem | undefined {
  const rule = /^#\/allOf\/(\d+)\//.exec(err.schemaPath);
  if (rule) {
    // Ajv reports both the inner failure and the `if` keyword; keep one sentence per rule.
    if (err.keyword !== 'if') return undefined;
    const r = rules[Number(rule[1])];
    return r ? { field: r.field, message: r.message } : undefined;
  }
  const path = err.instancePath.replace(/^\//, '').split('/')[0] ?? '';
  switch (err.keyword) {
    case 'required':
      return { field: String(err.params.missingProperty), message: `${String(err.params.missingProperty)} is required` };
    case 'additionalProperties':
      return { field: String(err.params.additionalProperty), message: `unknown field ${String(err.params.additionalProperty)}` };
    case 'enum':
      return { field: path, message: `${path} must be one of ${(err.params.allowedValues as unknown[]).join(', ')}` };
    case 'type':
      return { field: path || '', message: path ? `${path} must be a ${String(err.params.type)}` : 'body must be a JSON object' };
    case 'minLength':
      return { field: path, message: `${path} must not be empty` };
    case 'maxLength':
      return { field: path, message: `${path} must be at most ${String(err.params.limit)} characters` };
    case 'format':
      return { field: path, message: `${path} must be a URL` };
    default:
      return { field: path, message: `${path || 'body'} ${err.message ?? 'is invalid'}` };
  }
}

/**
 * Every problem with `body`, one per field and rule; empty when it is valid. `omit`:
 * fields the model does not offer (sending one is an unknown field).
 */
export function requestProblems(body: unknown, omit: readonly OptionalField[] = []): FieldProblem[] {
  // `if`/`then` rules hold vacuously for non-objects; say the one thing that is wrong.
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return [{ field: '', message: 'body must be a JSON object' }];
  }
  const validateSchema = validatorFor(omit);
  const rules = rulesFor(omit);
  if (validateSchema(body)) return [];
  const seen = new Set<string>();
  const problems: FieldProblem[] = [];
  for (const err of validateSchema.errors ?? []) {
    const p = problemOf(err, rules);
    if (!p) continue;
    const key = `${p.field}\u0000${p.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(p);
  }
  return problems;
}

/**
 * Validate a model request (the body without envelope fields) and return it with
 * defaults applied. Throws a 422 `validation_error` listing every problem.
 */
export function parseVideoRequest(body: unknown, omit: readonly OptionalField[] = []): VideoRequest {
  const problems = requestProblems(body, omit);
  if (problems.length > 0) {
    const detail = problems.map((p) => p.message).join('; ');
    throw new RetakeError('validation_error', detail, { fields: problems });
  }
  const b = body as Partial<VideoRequest>;
  return {
    prompt: b.prompt!,
    input_video: b.input_video!,
    input_image: b.input_image,
    resolution: b.resolution ?? '540p',
    duration: b.duration ?? '5s',
    edit_strength: b.edit_strength,
    auto_controls: b.auto_controls,
    hdr: b.hdr ?? false,
    exr_export: b.exr_export ?? false,
  };
}
