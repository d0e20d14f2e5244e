export { MODELS, findModel, modelObject, searchModels, type ModelInfo } from './catalogue.ts';
export { guideFrames, withFirstFrameAsImage, type GuideFrames } from './guide-frames.ts';
export { priceOf, type PricingId } from './pricing.ts';
export { CROSS_FIELD_RULES, requestSchema } from './request-schema.ts';
export { parseVideoRequest, requestError, requestProblems, type RequestProblem } from './validate.ts';
export * from './request.ts';
