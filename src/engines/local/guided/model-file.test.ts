import { describe, expect, it } from 'vitest';
import { parseModel, serialiseModel } from './model-file.ts';
import { applyGuidedModel, fitGuidedModel } from './model.ts';
import { relief, textureFrame } from './test-frames.ts';

describe('guided model file', () => {
  it('maps a frame the same after a round trip through JSON', () => {
    const frame = textureFrame(64, 40);
    const model = fitGuidedModel(frame, relief(frame));
    const back = parseModel(serialiseModel(model));
    expect(back.context).toBeDefined();
    expect(applyGuidedModel(back, frame)).toEqual(applyGuidedModel(model, frame));
  });
});
