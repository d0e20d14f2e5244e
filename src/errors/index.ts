export { ERRORS, TRANSIENT_CODES, isErrorCode, type ErrorCode } from './catalogue.ts';
export { RetakeError, toRetakeError, type FieldProblem } from './retake-error.ts';
export { REMEDIES, remedyFor } from './remedies.ts';
