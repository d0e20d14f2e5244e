/**
 * A workflow checked against what a ComfyUI server can run (`/object_info`): every node's
 * class exists there (a missing custom node is the usual cause), every bound input is
 * one that class takes, and an input that receives a video retake uploads (the source,
 * the keyframes and their mask) is one the server marks as taking an uploaded video.
 * Answers the first problem as a sentence naming the node.
 */
import { boundPlaces, VIDEO_UPLOAD_BINDINGS, type ApiWorkflow, type ComfyBindings } from '../../models/operator-model.ts';

export type ObjectInfo = Record<string, { input?: Record<string, Record<string, unknown> | undefined> }>;

export function workflowProblem(workflow: ApiWorkflow, bindings: ComfyBindings, info: ObjectInfo): string | undefined {
  for (const [id, node] of Object.entries(workflow)) {
    if (!Object.hasOwn(info, node.class_type)) {
      return `node "${id}" is a ${node.class_type}, a node type this ComfyUI does not have (install the custom node that provides it)`;
    }
  }
  for (const { name, node, input } of boundPlaces(bindings)) {
    if (input === undefined) continue;
    const classType = workflow[node]!.class_type;
    const groups = Object.values(info[classType]?.input ?? {}).filter((group) => group !== undefined);
    const spec = groups.find((group) => Object.hasOwn(group, input))?.[input];
    if (spec === undefined) return `binding "${name}": node "${node}" (${classType}) has no input "${input}" on this ComfyUI`;
    if (VIDEO_UPLOAD_BINDINGS.has(name) && !takesUploadedVideo(spec)) {
      return `binding "${name}": input "${input}" of node "${node}" (${classType}) does not take an uploaded video (bind a video loader's file, such as LoadVideo's "file")`;
    }
  }
  return undefined;
}

/** An input `/object_info` marks as taking an uploaded video: `[[names...] or "COMBO", {video_upload: true, ...}]`. */
function takesUploadedVideo(spec: unknown): boolean {
  if (!Array.isArray(spec)) return false;
  const options = spec[1] as Record<string, unknown> | undefined;
  return options?.video_upload === true;
}
