/**
 * A fitted guided model as JSON, so the process that learns it and the process that
 * applies it to every frame can be different children, and a render can be re-run
 * from the work directory. Numbers are rounded to float32, which is what apply uses.
 */
import type { GuidedModel } from './model.ts';

interface ModelJson {
  version: 2;
  lumaCuts: [number, number];
  gradientCuts: [number, number];
  lutSize: number;
  lut: number[];
  curves: number[];
  weights: number[];
  context?: { gradientCut: number; weights: number[] };
}

export function serialiseModel(model: GuidedModel): string {
  const json: ModelJson = {
    version: 2,
    lumaCuts: model.lumaCuts,
    gradientCuts: model.gradientCuts,
    lutSize: model.lut.size,
    lut: Array.from(model.lut.table),
    curves: Array.from(model.curves.table),
    weights: Array.from(model.weights),
    ...(model.context ? { context: { gradientCut: model.context.gradientCut, weights: Array.from(model.context.weights) } } : {}),
  };
  return JSON.stringify(json);
}

export function parseModel(text: string): GuidedModel {
  const json = JSON.parse(text) as ModelJson;
  if (json.version !== 2) throw new Error(`unknown guided model version ${String(json.version)}`);
  return {
    lumaCuts: json.lumaCuts,
    gradientCuts: json.gradientCuts,
    lut: { size: json.lutSize, table: Float32Array.from(json.lut) },
    curves: { table: Float32Array.from(json.curves) },
    weights: Float32Array.from(json.weights),
    context: json.context ? { gradientCut: json.context.gradientCut, weights: Float32Array.from(json.context.weights) } : undefined,
  };
}
