/**
 * The `/object_info` the stand-in ComfyUI answers: the core node types of the Wan 2.1
 * VACE video-to-video workflow and `ImageToMask` (a keyframe mask read from a video),
 * plus VideoHelperSuite's `VHS_VideoCombine` (whose output is listed under `gifs`), with the inputs ComfyUI's node definitions declare. A link
 * input's type is a string; a widget's is a type with options, or a list of choices.
 */
const INT = (d: number, min = 0, max = 2 ** 53) => ['INT', { default: d, min, max }];
const FLOAT = (d: number) => ['FLOAT', { default: d }];
const STRING = ['STRING', { multiline: true }];

type Inputs = { required: Record<string, unknown>; optional?: Record<string, unknown> };
const node = (input: Inputs, output: string[], outputNode = false) => ({ input, output, output_node: outputNode });

export const OBJECT_INFO: Record<string, ReturnType<typeof node>> = {
  KSampler: node({
    required: {
      model: ['MODEL'], seed: INT(0, 0, 2 ** 64 - 1), steps: INT(20, 1, 10000), cfg: FLOAT(8),
      sampler_name: [['euler', 'uni_pc']], scheduler: [['normal', 'simple']],
      positive: ['CONDITIONING'], negative: ['CONDITIONING'], latent_image: ['LATENT'], denoise: FLOAT(1),
    },
  }, ['LATENT']),
  CLIPTextEncode: node({ required: { text: STRING, clip: ['CLIP'] } }, ['CONDITIONING']),
  VAEDecode: node({ required: { samples: ['LATENT'], vae: ['VAE'] } }, ['IMAGE']),
  ModelSamplingSD3: node({ required: { model: ['MODEL'], shift: FLOAT(3) } }, ['MODEL']),
  WanVaceToVideo: node({
    required: {
      positive: ['CONDITIONING'], negative: ['CONDITIONING'], vae: ['VAE'],
      width: INT(832, 16, 16384), height: INT(480, 16, 16384), length: INT(81, 1, 16384), batch_size: INT(1, 1, 4096), strength: FLOAT(1),
    },
    optional: { control_video: ['IMAGE'], control_masks: ['MASK'], reference_image: ['IMAGE'] },
  }, ['CONDITIONING', 'CONDITIONING', 'LATENT', 'INT']),
  TrimVideoLatent: node({ required: { samples: ['LATENT'], trim_amount: INT(0) } }, ['LATENT']),
  CreateVideo: node({ required: { images: ['IMAGE'], fps: FLOAT(30) }, optional: { audio: ['AUDIO'] } }, ['VIDEO']),
  VAELoader: node({ required: { vae_name: [['wan_2.1_vae.safetensors']] } }, ['VAE']),
  UNETLoader: node({ required: { unet_name: [['wan2.1_vace_14B_fp16.safetensors']], weight_dtype: [['default', 'fp8_e4m3fn']] } }, ['MODEL']),
  LoraLoader: node({
    required: { model: ['MODEL'], clip: ['CLIP'], lora_name: [['Wan21_CausVid_14B_T2V_lora_rank32.safetensors']], strength_model: FLOAT(1), strength_clip: FLOAT(1) },
  }, ['MODEL', 'CLIP']),
  CLIPLoader: node({ required: { clip_name: [['umt5_xxl_fp16.safetensors']], type: [['wan', 'stable_diffusion']] }, optional: { device: [['default', 'cpu']] } }, ['CLIP']),
  SaveVideo: node({ required: { video: ['VIDEO'], filename_prefix: ['STRING', { default: 'video/ComfyUI' }], format: [['auto', 'mp4']], codec: [['auto', 'h264']] } }, [], true),
  LoadImage: node({ required: { image: [[], { image_upload: true }] } }, ['IMAGE', 'MASK']),
  ImageToMask: node({ required: { image: ['IMAGE'], channel: [['red', 'green', 'blue', 'alpha']] } }, ['MASK']),
  GetVideoComponents: node({ required: { video: ['VIDEO'] } }, ['IMAGE', 'AUDIO', 'FLOAT']),
  LoadVideo: node({ required: { file: [[], { video_upload: true }] } }, ['VIDEO']),
  VHS_VideoCombine: node({
    required: { images: ['IMAGE'], frame_rate: FLOAT(8), loop_count: INT(0), filename_prefix: ['STRING', {}], format: [['video/h264-mp4']], pingpong: ['BOOLEAN', {}], save_output: ['BOOLEAN', {}] },
  }, ['VHS_FILENAMES'], true),
};
