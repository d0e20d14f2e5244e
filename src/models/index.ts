export { MODELS, findModel, modelObject, registerModels, searchModels, type ModelInfo } from './catalogue.ts';
export { guideFrames, withFirstFrameAsImage, type GuideFrames } from './guide-frames.ts';
export { priceOf, type Pricing, type PricingId } from './pricing.ts';
export { CROSS_FIELD_RULES, requestSchema, type OptionalField } from './request-schema.ts';
export { parseVideoRequest, requestError, requestProblems, type RequestProblem } from './validate.ts';
export * from './request.ts';
