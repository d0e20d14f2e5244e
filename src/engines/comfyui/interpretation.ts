/** What the comfyui engine records on a generation. */

/** The ComfyUI server that ran the prompt, its prompt id and the seed retake chose. */
export interface ComfyInterpretation {
  engine: 'comfyui';
  provider_request_id: string;
  server: string;
  seed: number;
}
