export { MODELS, findModel, modelObject, registerModels, searchModels, type ModelInfo } from './catalogue.ts';
export { priceOf, type Pricing, type PricingId } from './pricing.ts';
export { CROSS_FIELD_RULES, requestSchema, type OptionalField } from './request-schema.ts';
export { parseVideoRequest, requestProblems } from './validate.ts';
export * from './request.ts';
