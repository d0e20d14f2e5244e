/**
 * The client's public types, taken from the generated OpenAPI types (`api-types.ts`) so
 * they are the server's own schemas: what the client sends is what the server
 * validates, and what it returns is what the server answers.
 */
import type { paths } from './api-types.ts';

type JsonOf<T> = T extends { content: { 'application/json': infer B } } ? B : never;
type RequestOf<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { requestBody: infer R } ? JsonOf<R> : never;
type AnswerOf<P extends keyof paths, M extends keyof paths[P], S extends number = 200> =
  paths[P][M] extends { responses: infer R } ? (S extends keyof R ? JsonOf<R[S]> : never) : never;

/** Body of `POST /api/ai/videos/generate`. */
export type GenerateRequest = RequestOf<'/api/ai/videos/generate', 'post'>;
export type GenerateResult = AnswerOf<'/api/ai/videos/generate', 'post'>;
/** Body of `POST /api/ai/queue`. */
export type QueueRequest = RequestOf<'/api/ai/queue', 'post'>;
export type QueueResult = AnswerOf<'/api/ai/queue', 'post'>;
/** Body of `POST /api/ai/estimate`. */
export type EstimateRequest = RequestOf<'/api/ai/estimate', 'post'>;
export type Estimate = AnswerOf<'/api/ai/estimate', 'post'>;
/** One generation as the queue answers it (`GET /api/ai/queue/{id}`). */
export type Generation = AnswerOf<'/api/ai/queue/{id}', 'get'>;
export type GenerationList = AnswerOf<'/api/ai/queue', 'get'>;
export type ListQuery = NonNullable<paths['/api/ai/queue']['get']['parameters']['query']>;
export type ModelList = AnswerOf<'/api/ai/models', 'get'>;
/** The stored file of `POST /api/files`. */
export type UploadedFile = AnswerOf<'/api/files', 'post', 201>;

export type EventType =
  | 'media_generation_started'
  | 'media_generation_progress'
  | 'media_generation_completed'
  | 'media_generation_cancelled';

/** One server-sent event of `GET /api/events`. */
export interface RetakeEvent {
  /** The event's id; a reconnect resumes after it. */
  id: number;
  type: EventType;
  data: {
    generation_id: string;
    status?: string;
    progress?: number;
    stage?: string;
    eta_s?: number | null;
    url?: string;
    error?: string;
    error_code?: string | null;
    [field: string]: unknown;
  };
}
