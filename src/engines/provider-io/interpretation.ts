/**
 * What a hosted engine records on its generation: which provider ran it, under which
 * request id (the engine's own record, not part of the engine seam).
 */
export interface HostedInterpretation<Engine extends string = string> {
  engine: Engine;
  provider_request_id: string;
}
