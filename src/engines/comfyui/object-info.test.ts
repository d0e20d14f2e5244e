import { describe, expect, it } from 'vitest';
import type { ApiWorkflow, ComfyBindings } from '../../models/operator-model.ts';
import { workflowProblem, type ObjectInfo } from './object-info.ts';

const workflow: ApiWorkflow = {
  '1': { class_type: 'LoadVideo', inputs: { file: 'a.mp4' } },
  '2': { class_type: 'VideoPath', inputs: { path: '/x.mp4' } },
  '3': { class_type: 'CLIPTextEncode', inputs: { text: '' } },
  '4': { class_type: 'SaveVideo', inputs: {} },
};
const bindings = (extra: Partial<ComfyBindings> = {}): ComfyBindings => ({
  prompt: { node: '3', input: 'text' }, video: { node: '1', input: 'file' }, output: { node: '4' }, ...extra,
});
// The V1 shape of a core (V3) node's combo, and an older node's list of choices.
const info = (file: unknown[]): ObjectInfo => ({
  LoadVideo: { input: { required: { file } } },
  VideoPath: { input: { required: { path: ['STRING', {}] } } },
  CLIPTextEncode: { input: { required: { text: ['STRING', { multiline: true }] } } },
  SaveVideo: { input: { required: {} } },
});

describe('a workflow against /object_info', () => {
  it('takes video loaders whose file input the server marks video_upload, in either shape', () => {
    const keyframes = { node: '1', input: 'file', mask: { node: '1', input: 'file' } };
    expect(workflowProblem(workflow, bindings({ keyframes }), info(['COMBO', { options: ['a.mp4'], video_upload: true }]))).toBeUndefined();
    expect(workflowProblem(workflow, bindings({ keyframes }), info([['a.mp4'], { video_upload: true }]))).toBeUndefined();
  });

  it('refuses a video, keyframes or mask binding on an input that takes no uploaded video, naming it', () => {
    const ok = info([['a.mp4'], { video_upload: true }]);
    expect(workflowProblem(workflow, bindings({ video: { node: '2', input: 'path' } }), ok))
      .toBe('binding "video": input "path" of node "2" (VideoPath) does not take an uploaded video (bind a video loader\'s file, such as LoadVideo\'s "file")');
    expect(workflowProblem(workflow, bindings({ keyframes: { node: '1', input: 'file', mask: { node: '2', input: 'path' } } }), ok))
      .toMatch(/^binding "keyframes.mask": input "path" of node "2"/);
    expect(workflowProblem(workflow, bindings({ keyframes: { node: '1', input: 'file', mask: { node: '2', input: 'nothing' } } }), ok))
      .toBe('binding "keyframes.mask": node "2" (VideoPath) has no input "nothing" on this ComfyUI');
    expect(workflowProblem(workflow, bindings(), info([['a.mp4'], {}]))).toMatch(/^binding "video": .* does not take an uploaded video/);
  });
});
