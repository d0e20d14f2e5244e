/**
 * Generated from retake's OpenAPI document by `npm run build:client-types`; do not
 * edit. A test fails when it no longer matches what the server serves.
 */
/* eslint-disable */
export interface paths {
    "/api/ai/estimate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Validate and price a request without queueing it */
        post: operations["post_api_ai_estimate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ai/generations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This key's generation history, newest first, paged */
        get: operations["get_api_ai_generations"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ai/generations/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One generation of the history */
        get: operations["get_api_ai_generations_id"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ai/models": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the models */
        get: operations["get_api_ai_models"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ai/models/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One model with its request schema */
        get: operations["get_api_ai_models_id"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ai/models/search": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Search models by id, name or description */
        get: operations["get_api_ai_models_search"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ai/queue": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List this key's generations, newest first */
        get: operations["get_api_ai_queue"];
        put?: never;
        /** Queue generations (validated and priced before anything is queued) */
        post: operations["post_api_ai_queue"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ai/queue/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read one generation */
        get: operations["get_api_ai_queue_id"];
        put?: never;
        post?: never;
        /** Cancel a queued or running generation */
        delete: operations["delete_api_ai_queue_id"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ai/videos/generate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Generate a video synchronously (holds the connection until it is ready) */
        post: operations["post_api_ai_videos_generate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Server-sent events of this key's generations (reconnect with Last-Event-ID to replay) */
        get: operations["get_api_events"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/files": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Upload a video or image (multipart, one file in field "file"); the URL works as input_video / input_image */
        post: operations["post_api_files"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/keys/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The calling key: name, HDR access, budget and spend so far */
        get: operations["get_api_keys_me"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhooks/secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The calling key's webhook signing secret (verifies X-Retake-Signature of its webhooks) */
        get: operations["get_api_webhooks_secret"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/files/{key}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Download an upload or an output; supports Range (bytes=a-b, a-, -n) */
        get: operations["get_files"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        /** Download an upload or an output; supports Range (bytes=a-b, a-, -n) */
        head: operations["head_files"];
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Health check */
        get: operations["get_healthz"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus metrics of this node */
        get: operations["get_metrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This OpenAPI document */
        get: operations["get_openapi_json"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness: the store, Redis (scale-out) and blob storage answer; 503 otherwise or while shutting down */
        get: operations["get_readyz"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Error: {
            error: {
                detail: string;
                fields?: {
                    field: string;
                    message: string;
                }[];
                title: string;
                /**
                 * @description Stable error code.
                 * @enum {string}
                 */
                type: "bad_request" | "unauthorized" | "budget_exceeded" | "hdr_access_required" | "cross_origin_forbidden" | "model_not_found" | "generation_not_found" | "file_not_found" | "route_not_found" | "method_not_allowed" | "request_timeout" | "not_cancellable" | "idempotency_conflict" | "idempotency_in_progress" | "payload_too_large" | "unsupported_media_type" | "range_not_satisfiable" | "validation_error" | "invalid_keyframes" | "duplicate_keyframe_frames" | "keyframe_past_end" | "keyframes_not_supported" | "controls_not_supported" | "rate_limited" | "headers_too_large" | "internal_error" | "provider_not_configured" | "service_unavailable" | "generation_timeout" | "input_url_invalid" | "input_url_blocked" | "input_unreachable" | "input_http_error" | "input_timeout" | "input_too_large" | "input_not_media" | "input_container_refused" | "input_no_video_stream" | "input_too_long" | "input_too_many_pixels" | "input_corrupt" | "render_failed" | "engine_unavailable" | "workflow_failed" | "provider_rejected" | "content_moderated" | "cancelled";
            };
            /** @constant */
            status: "error";
            status_message: string;
        };
        /** VideoToVideoRequest */
        VideoToVideoRequest: {
            /**
             * Auto controls
             * @description Derive the edit-strength schedule from the source video. Not with edit_strength.
             */
            auto_controls?: boolean;
            /**
             * Controls
             * @description Per-signal conditioning of the hosted model (Luma Agents API route): depth, face, normals, pose, trajectory. Hosted model only.
             */
            controls?: {
                /** @description Depth / scene geometry. */
                depth?: {
                    /** @description Depth-map blur, 0..1: higher allows more geometric freedom. */
                    blur?: number;
                    /** @description Turn this conditioning on or off; omit for the model default. */
                    enabled?: boolean;
                };
                /** @description Face identity. */
                face?: {
                    /** @description Turn this conditioning on or off; omit for the model default. */
                    enabled?: boolean;
                };
                /** @description Surface normals. */
                normals?: {
                    /** @description 0..1: higher reinterprets surface geometry more. */
                    augmentation?: number;
                    /** @description Turn this conditioning on or off; omit for the model default. */
                    enabled?: boolean;
                };
                /** @description Pose / skeleton. */
                pose?: {
                    /** @description Turn this conditioning on or off; omit for the model default. */
                    enabled?: boolean;
                    /**
                     * @description How closely poses are followed.
                     * @enum {string}
                     */
                    strength?: "precise" | "coarse";
                };
                /** @description Motion trajectory. */
                trajectory?: {
                    /** @description Turn this conditioning on or off; omit for the model default. */
                    enabled?: boolean;
                    /** @description 0..1: higher uses fewer motion anchors. */
                    sparsity?: number;
                };
            };
            /**
             * Duration
             * @description Length of the output (a shorter source yields its own length, with a warning).
             * @default 5s
             * @enum {string}
             */
            duration: "5s" | "10s";
            /**
             * Edit strength
             * @description adhere stays closest to the source, reimagine diverges most. Not with auto_controls. Default: flex_2.
             * @enum {string}
             */
            edit_strength?: "adhere_1" | "adhere_2" | "adhere_3" | "flex_1" | "flex_2" | "flex_3" | "reimagine_1" | "reimagine_2" | "reimagine_3";
            /**
             * EXR export
             * @description Also export an OpenEXR sidecar; needs hdr=true and HDR access.
             * @default false
             */
            exr_export: boolean;
            /**
             * HDR
             * @description HDR10 output; needs HDR access on the key and 720p or 1080p.
             * @default false
             */
            hdr: boolean;
            /**
             * Input image
             * Format: uri
             * @description Image used as the edited video's first frame; its look steers the whole edit.
             */
            input_image?: string;
            /**
             * Input video
             * Format: uri
             * @description Source video: an http/https URL, or a URL returned by POST /api/files.
             */
            input_video: string;
            /**
             * Keyframes
             * @description Restyled frames at positions in the source's frame grid (0-based, unique, within the source): one per shot, or a look that changes over time. Not with input_image.
             */
            keyframes?: {
                /**
                 * Frame
                 * @description 0-based index of the source frame the image restyles.
                 */
                frame: number;
                /**
                 * Image
                 * Format: uri
                 * @description A restyle of the source frame at `frame`.
                 */
                image: string;
            }[];
            /**
             * Prompt
             * @description How to edit the video: a style, a palette, modifiers ("watercolor, warm, soft").
             */
            prompt: string;
            /**
             * Resolution
             * @description Short side of the output; higher costs more.
             * @default 540p
             * @enum {string}
             */
            resolution: "540p" | "720p" | "1080p";
        } & (unknown & unknown & unknown & unknown);
    };
    responses: {
        /** @description An error (see error.type) */
        Error: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
    };
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    post_api_ai_estimate: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * Auto controls
                     * @description Derive the edit-strength schedule from the source video. Not with edit_strength.
                     */
                    auto_controls?: boolean;
                    /**
                     * Controls
                     * @description Per-signal conditioning of the hosted model (Luma Agents API route): depth, face, normals, pose, trajectory. Hosted model only.
                     */
                    controls?: {
                        /** @description Depth / scene geometry. */
                        depth?: {
                            /** @description Depth-map blur, 0..1: higher allows more geometric freedom. */
                            blur?: number;
                            /** @description Turn this conditioning on or off; omit for the model default. */
                            enabled?: boolean;
                        };
                        /** @description Face identity. */
                        face?: {
                            /** @description Turn this conditioning on or off; omit for the model default. */
                            enabled?: boolean;
                        };
                        /** @description Surface normals. */
                        normals?: {
                            /** @description 0..1: higher reinterprets surface geometry more. */
                            augmentation?: number;
                            /** @description Turn this conditioning on or off; omit for the model default. */
                            enabled?: boolean;
                        };
                        /** @description Pose / skeleton. */
                        pose?: {
                            /** @description Turn this conditioning on or off; omit for the model default. */
                            enabled?: boolean;
                            /**
                             * @description How closely poses are followed.
                             * @enum {string}
                             */
                            strength?: "precise" | "coarse";
                        };
                        /** @description Motion trajectory. */
                        trajectory?: {
                            /** @description Turn this conditioning on or off; omit for the model default. */
                            enabled?: boolean;
                            /** @description 0..1: higher uses fewer motion anchors. */
                            sparsity?: number;
                        };
                    };
                    /**
                     * Duration
                     * @description Length of the output (a shorter source yields its own length, with a warning).
                     * @default 5s
                     * @enum {string}
                     */
                    duration?: "5s" | "10s";
                    /**
                     * Edit strength
                     * @description adhere stays closest to the source, reimagine diverges most. Not with auto_controls. Default: flex_2.
                     * @enum {string}
                     */
                    edit_strength?: "adhere_1" | "adhere_2" | "adhere_3" | "flex_1" | "flex_2" | "flex_3" | "reimagine_1" | "reimagine_2" | "reimagine_3";
                    /**
                     * EXR export
                     * @description Also export an OpenEXR sidecar; needs hdr=true and HDR access.
                     * @default false
                     */
                    exr_export?: boolean;
                    /**
                     * HDR
                     * @description HDR10 output; needs HDR access on the key and 720p or 1080p.
                     * @default false
                     */
                    hdr?: boolean;
                    /**
                     * Input image
                     * Format: uri
                     * @description Image used as the edited video's first frame; its look steers the whole edit.
                     */
                    input_image?: string;
                    /**
                     * Input video
                     * Format: uri
                     * @description Source video: an http/https URL, or a URL returned by POST /api/files.
                     */
                    input_video: string;
                    /**
                     * Keyframes
                     * @description Restyled frames at positions in the source's frame grid (0-based, unique, within the source): one per shot, or a look that changes over time. Not with input_image.
                     */
                    keyframes?: {
                        /**
                         * Frame
                         * @description 0-based index of the source frame the image restyles.
                         */
                        frame: number;
                        /**
                         * Image
                         * Format: uri
                         * @description A restyle of the source frame at `frame`.
                         */
                        image: string;
                    }[];
                    /**
                     * @description Model id (GET /api/ai/models).
                     * @example retake-local
                     */
                    model: string;
                    /**
                     * @description How many generations to queue.
                     * @default 1
                     */
                    num_generations?: number;
                    /**
                     * Prompt
                     * @description How to edit the video: a style, a palette, modifiers ("watercolor, warm, soft").
                     */
                    prompt: string;
                    /**
                     * Resolution
                     * @description Short side of the output; higher costs more.
                     * @default 540p
                     * @enum {string}
                     */
                    resolution?: "540p" | "720p" | "1080p";
                    /**
                     * @description url, or the video inline as base64.
                     * @default url
                     * @enum {string}
                     */
                    response_format?: "url" | "b64_json";
                    /**
                     * Format: uri
                     * @description Called (HMAC-signed) when each generation finishes.
                     */
                    webhook_url?: string;
                } & (unknown & unknown & unknown & unknown);
            };
        };
        responses: {
            /** @description The validated request (defaults applied) and its price */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        currency?: "USD";
                        /** @description What the engine will understand of the request (retake-local only), as recorded on the generation after a run */
                        interpretation?: {
                            /** @description Probability of the chosen style */
                            confidence: number;
                            /** @enum {string} */
                            decided_by: "words" | "meaning" | "words and meaning" | "nothing";
                            /** @enum {string} */
                            edit_strength: "adhere_1" | "adhere_2" | "adhere_3" | "flex_1" | "flex_2" | "flex_3" | "reimagine_1" | "reimagine_2" | "reimagine_3" | "auto";
                            /** @constant */
                            engine: "retake-local";
                            /** @description Words that carry meaning but did not decide the look */
                            ignored_words: string[];
                            intensity: number;
                            look: {
                                modifiers: ("subtle" | "soft" | "vivid" | "bold" | "high_contrast" | "grainy")[];
                                /** @enum {string} */
                                palette: "none" | "warm" | "cool" | "golden_hour" | "night" | "teal_orange" | "winter" | "summer" | "pastel" | "neon" | "sepia" | "monochrome" | "red" | "orange" | "yellow" | "gold" | "green" | "teal" | "cyan" | "blue" | "purple" | "pink" | "magenta" | "brown";
                                /** @enum {string} */
                                style: "neutral" | "watercolor" | "oil_painting" | "pencil_sketch" | "charcoal" | "ink_comic" | "cartoon" | "pixel_art" | "pop_art" | "noir" | "sepia" | "neon" | "pastel" | "dreamy" | "vhs";
                            };
                            modifiers: ("subtle" | "soft" | "vivid" | "bold" | "high_contrast" | "grainy")[];
                            /** @enum {string} */
                            palette: "none" | "warm" | "cool" | "golden_hour" | "night" | "teal_orange" | "winter" | "summer" | "pastel" | "neon" | "sepia" | "monochrome" | "red" | "orange" | "yellow" | "gold" | "green" | "teal" | "cyan" | "blue" | "purple" | "pink" | "magenta" | "brown";
                            /** @description The next most likely style */
                            runner_up: {
                                confidence: number;
                                /** @enum {string} */
                                style: "neutral" | "watercolor" | "oil_painting" | "pencil_sketch" | "charcoal" | "ink_comic" | "cartoon" | "pixel_art" | "pop_art" | "noir" | "sepia" | "neon" | "pastel" | "dreamy" | "vhs";
                            } | null;
                            /** @enum {string} */
                            style: "neutral" | "watercolor" | "oil_painting" | "pencil_sketch" | "charcoal" | "ink_comic" | "cartoon" | "pixel_art" | "pop_art" | "noir" | "sepia" | "neon" | "pastel" | "dreamy" | "vhs";
                            /** @description Prompt words (or phrases) that chose the look, in prompt order */
                            used_words: string[];
                            /** @description Set when only exact words were read (the sentence model was not available) */
                            warning?: string;
                        };
                        model?: string;
                        num_generations?: number;
                        /** VideoToVideoRequest */
                        request?: {
                            /**
                             * Auto controls
                             * @description Derive the edit-strength schedule from the source video. Not with edit_strength.
                             */
                            auto_controls?: boolean;
                            /**
                             * Controls
                             * @description Per-signal conditioning of the hosted model (Luma Agents API route): depth, face, normals, pose, trajectory. Hosted model only.
                             */
                            controls?: {
                                /** @description Depth / scene geometry. */
                                depth?: {
                                    /** @description Depth-map blur, 0..1: higher allows more geometric freedom. */
                                    blur?: number;
                                    /** @description Turn this conditioning on or off; omit for the model default. */
                                    enabled?: boolean;
                                };
                                /** @description Face identity. */
                                face?: {
                                    /** @description Turn this conditioning on or off; omit for the model default. */
                                    enabled?: boolean;
                                };
                                /** @description Surface normals. */
                                normals?: {
                                    /** @description 0..1: higher reinterprets surface geometry more. */
                                    augmentation?: number;
                                    /** @description Turn this conditioning on or off; omit for the model default. */
                                    enabled?: boolean;
                                };
                                /** @description Pose / skeleton. */
                                pose?: {
                                    /** @description Turn this conditioning on or off; omit for the model default. */
                                    enabled?: boolean;
                                    /**
                                     * @description How closely poses are followed.
                                     * @enum {string}
                                     */
                                    strength?: "precise" | "coarse";
                                };
                                /** @description Motion trajectory. */
                                trajectory?: {
                                    /** @description Turn this conditioning on or off; omit for the model default. */
                                    enabled?: boolean;
                                    /** @description 0..1: higher uses fewer motion anchors. */
                                    sparsity?: number;
                                };
                            };
                            /**
                             * Duration
                             * @description Length of the output (a shorter source yields its own length, with a warning).
                             * @default 5s
                             * @enum {string}
                             */
                            duration: "5s" | "10s";
                            /**
                             * Edit strength
                             * @description adhere stays closest to the source, reimagine diverges most. Not with auto_controls. Default: flex_2.
                             * @enum {string}
                             */
                            edit_strength?: "adhere_1" | "adhere_2" | "adhere_3" | "flex_1" | "flex_2" | "flex_3" | "reimagine_1" | "reimagine_2" | "reimagine_3";
                            /**
                             * EXR export
                             * @description Also export an OpenEXR sidecar; needs hdr=true and HDR access.
                             * @default false
                             */
                            exr_export: boolean;
                            /**
                             * HDR
                             * @description HDR10 output; needs HDR access on the key and 720p or 1080p.
                             * @default false
                             */
                            hdr: boolean;
                            /**
                             * Input image
                             * Format: uri
                             * @description Image used as the edited video's first frame; its look steers the whole edit.
                             */
                            input_image?: string;
                            /**
                             * Input video
                             * Format: uri
                             * @description Source video: an http/https URL, or a URL returned by POST /api/files.
                             */
                            input_video: string;
                            /**
                             * Keyframes
                             * @description Restyled frames at positions in the source's frame grid (0-based, unique, within the source): one per shot, or a look that changes over time. Not with input_image.
                             */
                            keyframes?: {
                                /**
                                 * Frame
                                 * @description 0-based index of the source frame the image restyles.
                                 */
                                frame: number;
                                /**
                                 * Image
                                 * Format: uri
                                 * @description A restyle of the source frame at `frame`.
                                 */
                                image: string;
                            }[];
                            /**
                             * Prompt
                             * @description How to edit the video: a style, a palette, modifiers ("watercolor, warm, soft").
                             */
                            prompt: string;
                            /**
                             * Resolution
                             * @description Short side of the output; higher costs more.
                             * @default 540p
                             * @enum {string}
                             */
                            resolution: "540p" | "720p" | "1080p";
                        } & (unknown & unknown & unknown & unknown);
                        total_cost?: number;
                        unit_cost?: number;
                        warnings?: string[];
                    };
                };
            };
            default: components["responses"]["Error"];
        };
    };
    get_api_ai_generations: {
        parameters: {
            query?: {
                page?: number;
                page_size?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of the history */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Entries on this page */
                        count?: number;
                        generations?: {
                            completed_at: string | null;
                            cost: number;
                            /** Format: date-time */
                            enqueued_at: string;
                            error_code?: string | null;
                            error_message: string | null;
                            eta_s?: number | null;
                            generation_id: string;
                            /** @description What the engine understood, recorded when it ran; `engine` tells the shapes apart */
                            interpretation?: {
                                colour_transfer?: {
                                    maps: number[][];
                                    tone_only: boolean;
                                };
                                /** @description Probability of the chosen style (1 when the image decided the look) */
                                confidence: number;
                                /** @enum {string} */
                                decided_by: "words" | "meaning" | "words and meaning" | "nothing" | "image";
                                dynamic_range: {
                                    max_cll?: number;
                                    max_fall?: number;
                                    /** @enum {string} */
                                    output: "hdr10" | "sdr";
                                    sdr_white_nits?: number;
                                    /** @enum {string} */
                                    source: "sdr" | "pq" | "hlg";
                                };
                                /** @enum {string} */
                                edit_strength: "adhere_1" | "adhere_2" | "adhere_3" | "flex_1" | "flex_2" | "flex_3" | "reimagine_1" | "reimagine_2" | "reimagine_3" | "auto";
                                /** @constant */
                                engine: "retake-local";
                                exr?: {
                                    colour_space: string;
                                    frames: number;
                                    /** @constant */
                                    pixel: "half";
                                };
                                first_frame_image: boolean;
                                /** @description Guided mode: what was learned from input_image */
                                guided?: {
                                    alignment: {
                                        aligned: boolean;
                                        scale: number;
                                        score: number;
                                        shift: number[];
                                    };
                                    combination: string;
                                    image_change: {
                                        delta_e: number;
                                        ssim: number;
                                    };
                                    keyframe_fit: {
                                        delta_e: number;
                                        ssim: number;
                                    };
                                    method: string;
                                    /** @enum {string} */
                                    mode: "guided" | "prompt" | "colour_transfer";
                                    /** @description The parts of the restyle found on frame 0; each strength is the share of what was left of the difference that the part accounts for */
                                    parts?: {
                                        /** @description Marks tied to the canvas, kept in place on every frame */
                                        canvas: {
                                            /** @description Border thickness in working pixels: top, right, bottom, left */
                                            border?: number[];
                                            carried: boolean;
                                            rms_after: number;
                                            rms_before: number;
                                            /** @description A smooth gain and offset over the frame (vignette, stains, paper tint) is kept in place */
                                            shading: boolean;
                                            strength: number;
                                        };
                                        /** @description What the image shows that the render does not carry */
                                        not_reproduced: string[];
                                        /** @description Marks tied to the picture (grain, dots, strokes), re-made on each frame */
                                        picture_marks: {
                                            carried: boolean;
                                            strength: number;
                                            te_after: number;
                                            te_before: number;
                                        };
                                        tone: {
                                            carried: boolean;
                                            strength: number;
                                        };
                                    };
                                    strength: number;
                                    work_size: {
                                        height: number;
                                        width: number;
                                    };
                                };
                                /** @description Words that carry meaning but did not decide the look */
                                ignored_words: string[];
                                intensity: number;
                                look: {
                                    modifiers: ("subtle" | "soft" | "vivid" | "bold" | "high_contrast" | "grainy")[];
                                    /** @enum {string} */
                                    palette: "none" | "warm" | "cool" | "golden_hour" | "night" | "teal_orange" | "winter" | "summer" | "pastel" | "neon" | "sepia" | "monochrome" | "red" | "orange" | "yellow" | "gold" | "green" | "teal" | "cyan" | "blue" | "purple" | "pink" | "magenta" | "brown";
                                    /** @enum {string} */
                                    style: "neutral" | "watercolor" | "oil_painting" | "pencil_sketch" | "charcoal" | "ink_comic" | "cartoon" | "pixel_art" | "pop_art" | "noir" | "sepia" | "neon" | "pastel" | "dreamy" | "vhs" | "from_image";
                                };
                                /** @enum {string} */
                                mode?: "guided" | "prompt";
                                modifiers: ("subtle" | "soft" | "vivid" | "bold" | "high_contrast" | "grainy")[];
                                output: {
                                    audio: boolean;
                                    duration_s: number;
                                    fps: number;
                                    height: number;
                                    width: number;
                                };
                                /** @enum {string} */
                                palette: "none" | "warm" | "cool" | "golden_hour" | "night" | "teal_orange" | "winter" | "summer" | "pastel" | "neon" | "sepia" | "monochrome" | "red" | "orange" | "yellow" | "gold" | "green" | "teal" | "cyan" | "blue" | "purple" | "pink" | "magenta" | "brown";
                                /** @description Guided mode: the look the prompt alone would have rendered (not applied; the image decided the look) */
                                prompt_look?: {
                                    confidence: number;
                                    /** @enum {string} */
                                    decided_by: "words" | "meaning" | "words and meaning" | "nothing";
                                    modifiers: ("subtle" | "soft" | "vivid" | "bold" | "high_contrast" | "grainy")[];
                                    /** @enum {string} */
                                    palette: "none" | "warm" | "cool" | "golden_hour" | "night" | "teal_orange" | "winter" | "summer" | "pastel" | "neon" | "sepia" | "monochrome" | "red" | "orange" | "yellow" | "gold" | "green" | "teal" | "cyan" | "blue" | "purple" | "pink" | "magenta" | "brown";
                                    /** @enum {string} */
                                    style: "neutral" | "watercolor" | "oil_painting" | "pencil_sketch" | "charcoal" | "ink_comic" | "cartoon" | "pixel_art" | "pop_art" | "noir" | "sepia" | "neon" | "pastel" | "dreamy" | "vhs";
                                };
                                /** @description The next most likely style */
                                runner_up: {
                                    confidence: number;
                                    /** @enum {string} */
                                    style: "neutral" | "watercolor" | "oil_painting" | "pencil_sketch" | "charcoal" | "ink_comic" | "cartoon" | "pixel_art" | "pop_art" | "noir" | "sepia" | "neon" | "pastel" | "dreamy" | "vhs";
                                } | null;
                                /** @description The auto_controls schedule */
                                schedule?: {
                                    cuts_s: number[];
                                    segments: {
                                        after_cut: boolean;
                                        /** @enum {string} */
                                        edit_strength: "adhere_1" | "adhere_2" | "adhere_3" | "flex_1" | "flex_2" | "flex_3" | "reimagine_1" | "reimagine_2" | "reimagine_3" | "auto";
                                        end_s: number;
                                        motion: number;
                                        start_s: number;
                                    }[];
                                };
                                /** @enum {string} */
                                style: "neutral" | "watercolor" | "oil_painting" | "pencil_sketch" | "charcoal" | "ink_comic" | "cartoon" | "pixel_art" | "pop_art" | "noir" | "sepia" | "neon" | "pastel" | "dreamy" | "vhs" | "from_image";
                                /** @description Prompt words (or phrases) that chose the look, in prompt order */
                                used_words: string[];
                            } | {
                                /** @enum {string} */
                                engine: "fal" | "luma";
                                provider_request_id: string;
                            } | {
                                /** @constant */
                                engine: "comfyui";
                                provider_request_id: string;
                                seed: number;
                                server: string;
                            } | null;
                            /** @constant */
                            media_type: "video";
                            model_name: string;
                            outputs?: {
                                bytes?: number;
                                content_type?: string;
                                kind?: string;
                                url?: string;
                            }[];
                            progress: number;
                            prompt: string;
                            result_url: string | null;
                            stage?: string | null;
                            started_at: string | null;
                            /** @enum {string} */
                            status: "queued" | "processing" | "succeeded" | "failed" | "cancelled";
                            warnings?: string[];
                        }[];
                        page_number?: number;
                        page_size?: number;
                        total_cost?: number;
                        total_entries?: number;
                        total_pages?: number;
                    };
                };
            };
            default: components["responses"]["Error"];
        };
    };
    get_api_ai_generations_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The generation */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Also carries the request parameters (input_video, resolution, duration, ...). */
                        generation?: {
                            completed_at: string | null;
                            cost: number;
                            /** Format: date-time */
                            enqueued_at: string;
                            error_code?: string | null;
                            error_message: string | null;
                            eta_s?: number | null;
                            generation_id: string;
                            /** @description What the engine understood, recorded when it ran; `engine` tells the shapes apart */
                            interpretation?: {
                                colour_transfer?: {
                                    maps: number[][];
                                    tone_only: boolean;
                                };
                                /** @description Probability of the chosen style (1 when the image decided the look) */
                                confidence: number;
                                /** @enum {string} */
                                decided_by: "words" | "meaning" | "words and meaning" | "nothing" | "image";
                                dynamic_range: {
                                    max_cll?: number;
                                    max_fall?: number;
                                    /** @enum {string} */
                                    output: "hdr10" | "sdr";
                                    sdr_white_nits?: number;
                                    /** @enum {string} */
                                    source: "sdr" | "pq" | "hlg";
                                };
                                /** @enum {string} */
                                edit_strength: "adhere_1" | "adhere_2" | "adhere_3" | "flex_1" | "flex_2" | "flex_3" | "reimagine_1" | "reimagine_2" | "reimagine_3" | "auto";
                                /** @constant */
                                engine: "retake-local";
                                exr?: {
                                    colour_space: string;
                                    frames: number;
                                    /** @constant */
                                    pixel: "half";
                                };
                                first_frame_image: boolean;
                                /** @description Guided mode: what was learned from input_image */
                                guided?: {
                                    alignment: {
                                        aligned: boolean;
                                        scale: number;
                                        score: number;
                                        shift: number[];
                                    };
                                    combination: string;
                                    image_change: {
                                        delta_e: number;
                                        ssim: number;
                                    };
                                    keyframe_fit: {
                                        delta_e: number;
                                        ssim: number;
                                    };
                                    method: string;
                                    /** @enum {string} */
                                    mode: "guided" | "prompt" | "colour_transfer";
                                    /** @description The parts of the restyle found on frame 0; each strength is the share of what was left of the difference that the part accounts for */
                                    parts?: {
                                        /** @description Marks tied to the canvas, kept in place on every frame */
                                        canvas: {
                                            /** @description Border thickness in working pixels: top, right, bottom, left */
                                            border?: number[];
                                            carried: boolean;
                                            rms_after: number;
                                            rms_before: number;
                                            /** @description A smooth gain and offset over the frame (vignette, stains, paper tint) is kept in place */
                                            shading: boolean;
                                            strength: number;
                                        };
                                        /** @description What the image shows that the render does not carry */
                                        not_reproduced: string[];
                                        /** @description Marks tied to the picture (grain, dots, strokes), re-made on each frame */
                                        picture_marks: {
                                            carried: boolean;
                                            strength: number;
                                            te_after: number;
                                            te_before: number;
                                        };
                                        tone: {
                                            carried: boolean;
                                            strength: number;
                                        };
                                    };
                                    strength: number;
                                    work_size: {
                                        height: number;
                                        width: number;
                                    };
                                };
                                /** @description Words that carry meaning but did not decide the look */
                                ignored_words: string[];
                                intensity: number;
                                look: {
                                    modifiers: ("subtle" | "soft" | "vivid" | "bold" | "high_contrast" | "grainy")[];
                                    /** @enum {string} */
                                    palette: "none" | "warm" | "cool" | "golden_hour" | "night" | "teal_orange" | "winter" | "summer" | "pastel" | "neon" | "sepia" | "monochrome" | "red" | "orange" | "yellow" | "gold" | "green" | "teal" | "cyan" | "blue" | "purple" | "pink" | "magenta" | "brown";
                                    /** @enum {string} */
                                    style: "neutral" | "watercolor" | "oil_painting" | "pencil_sketch" | "charcoal" | "ink_comic" | "cartoon" | "pixel_art" | "pop_art" | "noir" | "sepia" | "neon" | "pastel" | "dreamy" | "vhs" | "from_image";
                                };
                                /** @enum {string} */
                                mode?: "guided" | "prompt";
                                modifiers: ("subtle" | "soft" | "vivid" | "bold" | "high_contrast" | "grainy")[];
                                output: {
                                    audio: boolean;
                                    duration_s: number;
                                    fps: number;
                                    height: number;
                                    width: number;
                                };
                                /** @enum {string} */
                                palette: "none" | "warm" | "cool" | "golden_hour" | "night" | "teal_orange" | "winter" | "summer" | "pastel" | "neon" | "sepia" | "monochrome" | "red" | "orange" | "yellow" | "gold" | "green" | "teal" | "cyan" | "blue" | "purple" | "pink" | "magenta" | "brown";
                                /** @description Guided mode: the look the prompt alone would have rendered (not applied; the image decided the look) */
                                prompt_look?: {
                                    confidence: number;
                                    /** @enum {string} */
                                    decided_by: "words" | "meaning" | "words and meaning" | "nothing";
                                    modifiers: ("subtle" | "soft" | "vivid" | "bold" | "high_contrast" | "grainy")[];
                                    /** @enum {string} */
                                    palette: "none" | "warm" | "cool" | "golden_hour" | "night" | "teal_orange" | "winter" | "summer" | "pastel" | "neon" | "sepia" | "monochrome" | "red" | "orange" | "yellow" | "gold" | "green" | "teal" | "cyan" | "blue" | "purple" | "pink" | "magenta" | "brown";
                                    /** @enum {string} */
                                    style: "neutral" | "watercolor" | "oil_painting" | "pencil_sketch" | "charcoal" | "ink_comic" | "cartoon" | "pixel_art" | "pop_art" | "noir" | "sepia" | "neon" | "pastel" | "dreamy" | "vhs";
                                };
                                /** @description The next most likely style */
                                runner_up: {
                                    confidence: number;
                                    /** @enum {string} */
                                    style: "neutral" | "watercolor" | "oil_painting" | "pencil_sketch" | "charcoal" | "ink_comic" | "cartoon" | "pixel_art" | "pop_art" | "noir" | "sepia" | "neon" | "pastel" | "dreamy" | "vhs";
                                } | null;
                                /** @description The auto_controls schedule */
                                schedule?: {
                                    cuts_s: number[];
                                    segments: {
                                        after_cut: boolean;
                                        /** @enum {string} */
                                        edit_strength: "adhere_1" | "adhere_2" | "adhere_3" | "flex_1" | "flex_2" | "flex_3" | "reimagine_1" | "reimagine_2" | "reimagine_3" | "auto";
                                        end_s: number;
                                        motion: number;
                                        start_s: number;
                                    }[];
                                };
                                /** @enum {string} */
                                style: "neutral" | "watercolor" | "oil_painting" | "pencil_sketch" | "charcoal" | "ink_comic" | "cartoon" | "pixel_art" | "pop_art" | "noir" | "sepia" | "neon" | "pastel" | "dreamy" | "vhs" | "from_image";
                                /** @description Prompt words (or phrases) that chose the look, in prompt order */
                                used_words: string[];
                            } | {
                                /** @enum {string} */
                                engine: "fal" | "luma";
                                provider_request_id: string;
                            } | {
                                /** @constant */
                                engine: "comfyui";
                                provider_request_id: string;
                                seed: number;
                                server: string;
                            } | null;
                            /** @constant */
                            media_type: "video";
                            model_name: string;
                            outputs?: {
                                bytes?: number;
                                content_type?: string;
                                kind?: string;
                                url?: string;
                            }[];
                            progress: number;
                            prompt: string;
                            result_url: string | null;
                            stage?: string | null;
                            started_at: string | null;
                            /** @enum {string} */
                            status: "queued" | "processing" | "succeeded" | "failed" | "cancelled";
                            warnings?: string[];
                        };
                        /** @constant */
                        status?: "success";
                        /** @constant */
                        status_message?: "resource_found";
                    };
                };
            };
            default: components["responses"]["Error"];
        };
    };
    get_api_ai_models: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Models */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data?: {
                            capabilities?: Record<string, never>;
                            created?: number;
                            description?: string;
                            display_name?: string;
                            endpoint?: string;
                            id?: string;
                            json_request_schema?: components["schemas"]["VideoToVideoRequest"];
                            model_type?: string;
                            /** @constant */
                            object?: "model";
                            owned_by?: string;
                            pricing?: Record<string, never>;
                            request_schema?: components["schemas"]["VideoToVideoRequest"];
                            summary?: string;
                        }[];
                        /** @constant */
                        object?: "list";
                    };
                };
            };
            default: components["responses"]["Error"];
        };
    };
    get_api_ai_models_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The model */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        capabilities?: Record<string, never>;
                        created?: number;
                        description?: string;
                        display_name?: string;
                        endpoint?: string;
                        id?: string;
                        json_request_schema?: components["schemas"]["VideoToVideoRequest"];
                        model_type?: string;
                        /** @constant */
                        object?: "model";
                        owned_by?: string;
                        pricing?: Record<string, never>;
                        request_schema?: components["schemas"]["VideoToVideoRequest"];
                        summary?: string;
                    };
                };
            };
            default: components["responses"]["Error"];
        };
    };
    get_api_ai_models_search: {
        parameters: {
            query?: {
                search?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Models */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data?: {
                            capabilities?: Record<string, never>;
                            created?: number;
                            description?: string;
                            display_name?: string;
                            endpoint?: string;
                            id?: string;
                            json_request_schema?: components["schemas"]["VideoToVideoRequest"];
                            model_type?: string;
                            /** @constant */
                            object?: "model";
                            owned_by?: string;
                            pricing?: Record<string, never>;
                            request_schema?: components["schemas"]["VideoToVideoRequest"];
                            summary?: string;
                        }[];
                        /** @constant */
                        object?: "list";
                    };
                };
            };
            default: components["responses"]["Error"];
        };
    };
    get_api_ai_queue: {
        parameters: {
            query?: {
                limit?: number;
                model?: string;
                offset?: number;
                status?: "queued" | "processing" | "succeeded" | "failed" | "cancelled";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Generations and the number matching the filters */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        count: number;
                        generations: {
                            completed_at: string | null;
                            cost: number;
                            /** Format: date-time */
                            enqueued_at: string;
                            error_code?: string | null;
                            error_message: string | null;
                            eta_s?: number | null;
                            generation_id: string;
                            /** @description What the engine understood, recorded when it ran; `engine` tells the shapes apart */
                            interpretation?: {
                                colour_transfer?: {
                                    maps: number[][];
                                    tone_only: boolean;
                                };
                                /** @description Probability of the chosen style (1 when the image decided the look) */
                                confidence: number;
                                /** @enum {string} */
                                decided_by: "words" | "meaning" | "words and meaning" | "nothing" | "image";
                                dynamic_range: {
                                    max_cll?: number;
                                    max_fall?: number;
                                    /** @enum {string} */
                                    output: "hdr10" | "sdr";
                                    sdr_white_nits?: number;
                                    /** @enum {string} */
                                    source: "sdr" | "pq" | "hlg";
                                };
                                /** @enum {string} */
                                edit_strength: "adhere_1" | "adhere_2" | "adhere_3" | "flex_1" | "flex_2" | "flex_3" | "reimagine_1" | "reimagine_2" | "reimagine_3" | "auto";
                                /** @constant */
                                engine: "retake-local";
                                exr?: {
                                    colour_space: string;
                                    frames: number;
                                    /** @constant */
                                    pixel: "half";
                                };
                                first_frame_image: boolean;
                                /** @description Guided mode: what was learned from input_image */
                                guided?: {
                                    alignment: {
                                        aligned: boolean;
                                        scale: number;
                                        score: number;
                                        shift: number[];
                                    };
                                    combination: string;
                                    image_change: {
                                        delta_e: number;
                                        ssim: number;
                                    };
                                    keyframe_fit: {
                                        delta_e: number;
                                        ssim: number;
                                    };
                                    method: string;
                                    /** @enum {string} */
                                    mode: "guided" | "prompt" | "colour_transfer";
                                    /** @description The parts of the restyle found on frame 0; each strength is the share of what was left of the difference that the part accounts for */
                                    parts?: {
                                        /** @description Marks tied to the canvas, kept in place on every frame */
                                        canvas: {
                                            /** @description Border thickness in working pixels: top, right, bottom, left */
                                            border?: number[];
                                            carried: boolean;
                                            rms_after: number;
                                            rms_before: number;
                                            /** @description A smooth gain and offset over the frame (vignette, stains, paper tint) is kept in place */
                                            shading: boolean;
                                            strength: number;
                                        };
                                        /** @description What the image shows that the render does not carry */
                                        not_reproduced: string[];
                                        /** @description Marks tied to the picture (grain, dots, strokes), re-made on each frame */
                                        picture_marks: {
                                            carried: boolean;
                                            strength: number;
                                            te_after: number;
                                            te_before: number;
                                        };
                                        tone: {
                                            carried: boolean;
                                            strength: number;
                                        };
                                    };
                                    strength: number;
                                    work_size: {
                                        height: number;
                                        width: number;
                                    };
                                };
                                /** @description Words that carry meaning but did not decide the look */
                                ignored_words: string[];
                                intensity: number;
                                look: {
                                    modifiers: ("subtle" | "soft" | "vivid" | "bold" | "high_contrast" | "grainy")[];
                                    /** @enum {string} */
                                    palette: "none" | "warm" | "cool" | "golden_hour" | "night" | "teal_orange" | "winter" | "summer" | "pastel" | "neon" | "sepia" | "monochrome" | "red" | "orange" | "yellow" | "gold" | "green" | "teal" | "cyan" | "blue" | "purple" | "pink" | "magenta" | "brown";
                                    /** @enum {string} */
                                    style: "neutral" | "watercolor" | "oil_painting" | "pencil_sketch" | "charcoal" | "ink_comic" | "cartoon" | "pixel_art" | "pop_art" | "noir" | "sepia" | "neon" | "pastel" | "dreamy" | "vhs" | "from_image";
                                };
                                /** @enum {string} */
                                mode?: "guided" | "prompt";
                                modifiers: ("subtle" | "soft" | "vivid" | "bold" | "high_contrast" | "grainy")[];
                                output: {
                                    audio: boolean;
                                    duration_s: number;
                                    fps: number;
                                    height: number;
                                    width: number;
                                };
                                /** @enum {string} */
                                palette: "none" | "warm" | "cool" | "golden_hour" | "night" | "teal_orange" | "winter" | "summer" | "pastel" | "neon" | "sepia" | "monochrome" | "red" | "orange" | "yellow" | "gold" | "green" | "teal" | "cyan" | "blue" | "purple" | "pink" | "magenta" | "brown";
                                /** @description Guided mode: the look the prompt alone would have rendered (not applied; the image decided the look) */
                                prompt_look?: {
                                    confidence: number;
                                    /** @enum {string} */
                                    decided_by: "words" | "meaning" | "words and meaning" | "nothing";
                                    modifiers: ("subtle" | "soft" | "vivid" | "bold" | "high_contrast" | "grainy")[];
                                    /** @enum {string} */
                                    palette: "none" | "warm" | "cool" | "golden_hour" | "night" | "teal_orange" | "winter" | "summer" | "pastel" | "neon" | "sepia" | "monochrome" | "red" | "orange" | "yellow" | "gold" | "green" | "teal" | "cyan" | "blue" | "purple" | "pink" | "magenta" | "brown";
                                    /** @enum {string} */
                                    style: "neutral" | "watercolor" | "oil_painting" | "pencil_sketch" | "charcoal" | "ink_comic" | "cartoon" | "pixel_art" | "pop_art" | "noir" | "sepia" | "neon" | "pastel" | "dreamy" | "vhs";
                                };
                                /** @description The next most likely style */
                                runner_up: {
                                    confidence: number;
                                    /** @enum {string} */
                                    style: "neutral" | "watercolor" | "oil_painting" | "pencil_sketch" | "charcoal" | "ink_comic" | "cartoon" | "pixel_art" | "pop_art" | "noir" | "sepia" | "neon" | "pastel" | "dreamy" | "vhs";
                                } | null;
                                /** @description The auto_controls schedule */
                                schedule?: {
                                    cuts_s: number[];
                                    segments: {
                                        after_cut: boolean;
                                        /** @enum {string} */
                                        edit_strength: "adhere_1" | "adhere_2" | "adhere_3" | "flex_1" | "flex_2" | "flex_3" | "reimagine_1" | "reimagine_2" | "reimagine_3" | "auto";
                                        end_s: number;
                                        motion: number;
                                        start_s: number;
                                    }[];
                                };
                                /** @enum {string} */
                                style: "neutral" | "watercolor" | "oil_painting" | "pencil_sketch" | "charcoal" | "ink_comic" | "cartoon" | "pixel_art" | "pop_art" | "noir" | "sepia" | "neon" | "pastel" | "dreamy" | "vhs" | "from_image";
                                /** @description Prompt words (or phrases) that chose the look, in prompt order */
                                used_words: string[];
                            } | {
                                /** @enum {string} */
                                engine: "fal" | "luma";
                                provider_request_id: string;
                            } | {
                                /** @constant */
                                engine: "comfyui";
                                provider_request_id: string;
                                seed: number;
                                server: string;
                            } | null;
                            /** @constant */
                            media_type: "video";
                            model_name: string;
                            outputs?: {
                                bytes?: number;
                                content_type?: string;
                                kind?: string;
                                url?: string;
                            }[];
                            progress: number;
                            prompt: string;
                            result_url: string | null;
                            stage?: string | null;
                            started_at: string | null;
                            /** @enum {string} */
                            status: "queued" | "processing" | "succeeded" | "failed" | "cancelled";
                            warnings?: string[];
                        }[];
                    };
                };
            };
            default: components["responses"]["Error"];
        };
    };
    post_api_ai_queue: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * Auto controls
                     * @description Derive the edit-strength schedule from the source video. Not with edit_strength.
                     */
                    auto_controls?: boolean;
                    /**
                     * Controls
                     * @description Per-signal conditioning of the hosted model (Luma Agents API route): depth, face, normals, pose, trajectory. Hosted model only.
                     */
                    controls?: {
                        /** @description Depth / scene geometry. */
                        depth?: {
                            /** @description Depth-map blur, 0..1: higher allows more geometric freedom. */
                            blur?: number;
                            /** @description Turn this conditioning on or off; omit for the model default. */
                            enabled?: boolean;
                        };
                        /** @description Face identity. */
                        face?: {
                            /** @description Turn this conditioning on or off; omit for the model default. */
                            enabled?: boolean;
                        };
                        /** @description Surface normals. */
                        normals?: {
                            /** @description 0..1: higher reinterprets surface geometry more. */
                            augmentation?: number;
                            /** @description Turn this conditioning on or off; omit for the model default. */
                            enabled?: boolean;
                        };
                        /** @description Pose / skeleton. */
                        pose?: {
                            /** @description Turn this conditioning on or off; omit for the model default. */
                            enabled?: boolean;
                            /**
                             * @description How closely poses are followed.
                             * @enum {string}
                             */
                            strength?: "precise" | "coarse";
                        };
                        /** @description Motion trajectory. */
                        trajectory?: {
                            /** @description Turn this conditioning on or off; omit for the model default. */
                            enabled?: boolean;
                            /** @description 0..1: higher uses fewer motion anchors. */
                            sparsity?: number;
                        };
                    };
                    /**
                     * Duration
                     * @description Length of the output (a shorter source yields its own length, with a warning).
                     * @default 5s
                     * @enum {string}
                     */
                    duration?: "5s" | "10s";
                    /**
                     * Edit strength
                     * @description adhere stays closest to the source, reimagine diverges most. Not with auto_controls. Default: flex_2.
                     * @enum {string}
                     */
                    edit_strength?: "adhere_1" | "adhere_2" | "adhere_3" | "flex_1" | "flex_2" | "flex_3" | "reimagine_1" | "reimagine_2" | "reimagine_3";
                    /**
                     * EXR export
                     * @description Also export an OpenEXR sidecar; needs hdr=true and HDR access.
                     * @default false
                     */
                    exr_export?: boolean;
                    /**
                     * HDR
                     * @description HDR10 output; needs HDR access on the key and 720p or 1080p.
                     * @default false
                     */
                    hdr?: boolean;
                    /**
                     * Input image
                     * Format: uri
                     * @description Image used as the edited video's first frame; its look steers the whole edit.
                     */
                    input_image?: string;
                    /**
                     * Input video
                     * Format: uri
                     * @description Source video: an http/https URL, or a URL returned by POST /api/files.
                     */
                    input_video: string;
                    /**
                     * Keyframes
                     * @description Restyled frames at positions in the source's frame grid (0-based, unique, within the source): one per shot, or a look that changes over time. Not with input_image.
                     */
                    keyframes?: {
                        /**
                         * Frame
                         * @description 0-based index of the source frame the image restyles.
                         */
                        frame: number;
                        /**
                         * Image
                         * Format: uri
                         * @description A restyle of the source frame at `frame`.
                         */
                        image: string;
                    }[];
                    /**
                     * @description Model id (GET /api/ai/models).
                     * @example retake-local
                     */
                    model: string;
                    /**
                     * @description How many generations to queue.
                     * @default 1
                     */
                    num_generations?: number;
                    /**
                     * Prompt
                     * @description How to edit the video: a style, a palette, modifiers ("watercolor, warm, soft").
                     */
                    prompt: string;
                    /**
                     * Resolution
                     * @description Short side of the output; higher costs more.
                     * @default 540p
                     * @enum {string}
                     */
                    resolution?: "540p" | "720p" | "1080p";
                    /**
                     * Format: uri
                     * @description Called (HMAC-signed) when each generation finishes.
                     */
                    webhook_url?: string;
                } & (unknown & unknown & unknown & unknown);
            };
        };
        responses: {
            /** @description The queued generations */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        generations: {
                            generation_id: string;
                            /** @constant */
                            status: "queued";
                        }[];
                    };
                };
            };
            default: components["responses"]["Error"];
        };
    };
    get_api_ai_queue_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The generation */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        completed_at: string | null;
                        cost: number;
                        /** Format: date-time */
                        enqueued_at: string;
                        error_code?: string | null;
                        error_message: string | null;
                        eta_s?: number | null;
                        generation_id: string;
                        /** @description What the engine understood, recorded when it ran; `engine` tells the shapes apart */
                        interpretation?: {
                            colour_transfer?: {
                                maps: number[][];
                                tone_only: boolean;
                            };
                            /** @description Probability of the chosen style (1 when the image decided the look) */
                            confidence: number;
                            /** @enum {string} */
                            decided_by: "words" | "meaning" | "words and meaning" | "nothing" | "image";
                            dynamic_range: {
                                max_cll?: number;
                                max_fall?: number;
                                /** @enum {string} */
                                output: "hdr10" | "sdr";
                                sdr_white_nits?: number;
                                /** @enum {string} */
                                source: "sdr" | "pq" | "hlg";
                            };
                            /** @enum {string} */
                            edit_strength: "adhere_1" | "adhere_2" | "adhere_3" | "flex_1" | "flex_2" | "flex_3" | "reimagine_1" | "reimagine_2" | "reimagine_3" | "auto";
                            /** @constant */
                            engine: "retake-local";
                            exr?: {
                                colour_space: string;
                                frames: number;
                                /** @constant */
                                pixel: "half";
                            };
                            first_frame_image: boolean;
                            /** @description Guided mode: what was learned from input_image */
                            guided?: {
                                alignment: {
                                    aligned: boolean;
                                    scale: number;
                                    score: number;
                                    shift: number[];
                                };
                                combination: string;
                                image_change: {
                                    delta_e: number;
                                    ssim: number;
                                };
                                keyframe_fit: {
                                    delta_e: number;
                                    ssim: number;
                                };
                                method: string;
                                /** @enum {string} */
                                mode: "guided" | "prompt" | "colour_transfer";
                                /** @description The parts of the restyle found on frame 0; each strength is the share of what was left of the difference that the part accounts for */
                                parts?: {
                                    /** @description Marks tied to the canvas, kept in place on every frame */
                                    canvas: {
                                        /** @description Border thickness in working pixels: top, right, bottom, left */
                                        border?: number[];
                                        carried: boolean;
                                        rms_after: number;
                                        rms_before: number;
                                        /** @description A smooth gain and offset over the frame (vignette, stains, paper tint) is kept in place */
                                        shading: boolean;
                                        strength: number;
                                    };
                                    /** @description What the image shows that the render does not carry */
                                    not_reproduced: string[];
                                    /** @description Marks tied to the picture (grain, dots, strokes), re-made on each frame */
                                    picture_marks: {
                                        carried: boolean;
                                        strength: number;
                                        te_after: number;
                                        te_before: number;
                                    };
                                    tone: {
                                        carried: boolean;
                                        strength: number;
                                    };
                                };
                                strength: number;
                                work_size: {
                                    height: number;
                                    width: number;
                                };
                            };
                            /** @description Words that carry meaning but did not decide the look */
                            ignored_words: string[];
                            intensity: number;
                            look: {
                                modifiers: ("subtle" | "soft" | "vivid" | "bold" | "high_contrast" | "grainy")[];
                                /** @enum {string} */
                                palette: "none" | "warm" | "cool" | "golden_hour" | "night" | "teal_orange" | "winter" | "summer" | "pastel" | "neon" | "sepia" | "monochrome" | "red" | "orange" | "yellow" | "gold" | "green" | "teal" | "cyan" | "blue" | "purple" | "pink" | "magenta" | "brown";
                                /** @enum {string} */
                                style: "neutral" | "watercolor" | "oil_painting" | "pencil_sketch" | "charcoal" | "ink_comic" | "cartoon" | "pixel_art" | "pop_art" | "noir" | "sepia" | "neon" | "pastel" | "dreamy" | "vhs" | "from_image";
                            };
                            /** @enum {string} */
                            mode?: "guided" | "prompt";
                            modifiers: ("subtle" | "soft" | "vivid" | "bold" | "high_contrast" | "grainy")[];
                            output: {
                                audio: boolean;
                                duration_s: number;
                                fps: number;
                                height: number;
                                width: number;
                            };
                            /** @enum {string} */
                            palette: "none" | "warm" | "cool" | "golden_hour" | "night" | "teal_orange" | "winter" | "summer" | "pastel" | "neon" | "sepia" | "monochrome" | "red" | "orange" | "yellow" | "gold" | "green" | "teal" | "cyan" | "blue" | "purple" | "pink" | "magenta" | "brown";
                            /** @description Guided mode: the look the prompt alone would have rendered (not applied; the image decided the look) */
                            prompt_look?: {
                                confidence: number;
                                /** @enum {string} */
                                decided_by: "words" | "meaning" | "words and meaning" | "nothing";
                                modifiers: ("subtle" | "soft" | "vivid" | "bold" | "high_contrast" | "grainy")[];
                                /** @enum {string} */
                                palette: "none" | "warm" | "cool" | "golden_hour" | "night" | "teal_orange" | "winter" | "summer" | "pastel" | "neon" | "sepia" | "monochrome" | "red" | "orange" | "yellow" | "gold" | "green" | "teal" | "cyan" | "blue" | "purple" | "pink" | "magenta" | "brown";
                                /** @enum {string} */
                                style: "neutral" | "watercolor" | "oil_painting" | "pencil_sketch" | "charcoal" | "ink_comic" | "cartoon" | "pixel_art" | "pop_art" | "noir" | "sepia" | "neon" | "pastel" | "dreamy" | "vhs";
                            };
                            /** @description The next most likely style */
                            runner_up: {
                                confidence: number;
                                /** @enum {string} */
                                style: "neutral" | "watercolor" | "oil_painting" | "pencil_sketch" | "charcoal" | "ink_comic" | "cartoon" | "pixel_art" | "pop_art" | "noir" | "sepia" | "neon" | "pastel" | "dreamy" | "vhs";
                            } | null;
                            /** @description The auto_controls schedule */
                            schedule?: {
                                cuts_s: number[];
                                segments: {
                                    after_cut: boolean;
                                    /** @enum {string} */
                                    edit_strength: "adhere_1" | "adhere_2" | "adhere_3" | "flex_1" | "flex_2" | "flex_3" | "reimagine_1" | "reimagine_2" | "reimagine_3" | "auto";
                                    end_s: number;
                                    motion: number;
                                    start_s: number;
                                }[];
                            };
                            /** @enum {string} */
                            style: "neutral" | "watercolor" | "oil_painting" | "pencil_sketch" | "charcoal" | "ink_comic" | "cartoon" | "pixel_art" | "pop_art" | "noir" | "sepia" | "neon" | "pastel" | "dreamy" | "vhs" | "from_image";
                            /** @description Prompt words (or phrases) that chose the look, in prompt order */
                            used_words: string[];
                        } | {
                            /** @enum {string} */
                            engine: "fal" | "luma";
                            provider_request_id: string;
                        } | {
                            /** @constant */
                            engine: "comfyui";
                            provider_request_id: string;
                            seed: number;
                            server: string;
                        } | null;
                        /** @constant */
                        media_type: "video";
                        model_name: string;
                        outputs?: {
                            bytes?: number;
                            content_type?: string;
                            kind?: string;
                            url?: string;
                        }[];
                        progress: number;
                        prompt: string;
                        result_url: string | null;
                        stage?: string | null;
                        started_at: string | null;
                        /** @enum {string} */
                        status: "queued" | "processing" | "succeeded" | "failed" | "cancelled";
                        warnings?: string[];
                    };
                };
            };
            default: components["responses"]["Error"];
        };
    };
    delete_api_ai_queue_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The generation */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        completed_at: string | null;
                        cost: number;
                        /** Format: date-time */
                        enqueued_at: string;
                        error_code?: string | null;
                        error_message: string | null;
                        eta_s?: number | null;
                        generation_id: string;
                        /** @description What the engine understood, recorded when it ran; `engine` tells the shapes apart */
                        interpretation?: {
                            colour_transfer?: {
                                maps: number[][];
                                tone_only: boolean;
                            };
                            /** @description Probability of the chosen style (1 when the image decided the look) */
                            confidence: number;
                            /** @enum {string} */
                            decided_by: "words" | "meaning" | "words and meaning" | "nothing" | "image";
                            dynamic_range: {
                                max_cll?: number;
                                max_fall?: number;
                                /** @enum {string} */
                                output: "hdr10" | "sdr";
                                sdr_white_nits?: number;
                                /** @enum {string} */
                                source: "sdr" | "pq" | "hlg";
                            };
                            /** @enum {string} */
                            edit_strength: "adhere_1" | "adhere_2" | "adhere_3" | "flex_1" | "flex_2" | "flex_3" | "reimagine_1" | "reimagine_2" | "reimagine_3" | "auto";
                            /** @constant */
                            engine: "retake-local";
                            exr?: {
                                colour_space: string;
                                frames: number;
                                /** @constant */
                                pixel: "half";
                            };
                            first_frame_image: boolean;
                            /** @description Guided mode: what was learned from input_image */
                            guided?: {
                                alignment: {
                                    aligned: boolean;
                                    scale: number;
                                    score: number;
                                    shift: number[];
                                };
                                combination: string;
                                image_change: {
                                    delta_e: number;
                                    ssim: number;
                                };
                                keyframe_fit: {
                                    delta_e: number;
                                    ssim: number;
                                };
                                method: string;
                                /** @enum {string} */
                                mode: "guided" | "prompt" | "colour_transfer";
                                /** @description The parts of the restyle found on frame 0; each strength is the share of what was left of the difference that the part accounts for */
                                parts?: {
                                    /** @description Marks tied to the canvas, kept in place on every frame */
                                    canvas: {
                                        /** @description Border thickness in working pixels: top, right, bottom, left */
                                        border?: number[];
                                        carried: boolean;
                                        rms_after: number;
                                        rms_before: number;
                                        /** @description A smooth gain and offset over the frame (vignette, stains, paper tint) is kept in place */
                                        shading: boolean;
                                        strength: number;
                                    };
                                    /** @description What the image shows that the render does not carry */
                                    not_reproduced: string[];
                                    /** @description Marks tied to the picture (grain, dots, strokes), re-made on each frame */
                                    picture_marks: {
                                        carried: boolean;
                                        strength: number;
                                        te_after: number;
                                        te_before: number;
                                    };
                                    tone: {
                                        carried: boolean;
                                        strength: number;
                                    };
                                };
                                strength: number;
                                work_size: {
                                    height: number;
                                    width: number;
                                };
                            };
                            /** @description Words that carry meaning but did not decide the look */
                            ignored_words: string[];
                            intensity: number;
                            look: {
                                modifiers: ("subtle" | "soft" | "vivid" | "bold" | "high_contrast" | "grainy")[];
                                /** @enum {string} */
                                palette: "none" | "warm" | "cool" | "golden_hour" | "night" | "teal_orange" | "winter" | "summer" | "pastel" | "neon" | "sepia" | "monochrome" | "red" | "orange" | "yellow" | "gold" | "green" | "teal" | "cyan" | "blue" | "purple" | "pink" | "magenta" | "brown";
                                /** @enum {string} */
                                style: "neutral" | "watercolor" | "oil_painting" | "pencil_sketch" | "charcoal" | "ink_comic" | "cartoon" | "pixel_art" | "pop_art" | "noir" | "sepia" | "neon" | "pastel" | "dreamy" | "vhs" | "from_image";
                            };
                            /** @enum {string} */
                            mode?: "guided" | "prompt";
                            modifiers: ("subtle" | "soft" | "vivid" | "bold" | "high_contrast" | "grainy")[];
                            output: {
                                audio: boolean;
                                duration_s: number;
                                fps: number;
                                height: number;
                                width: number;
                            };
                            /** @enum {string} */
                            palette: "none" | "warm" | "cool" | "golden_hour" | "night" | "teal_orange" | "winter" | "summer" | "pastel" | "neon" | "sepia" | "monochrome" | "red" | "orange" | "yellow" | "gold" | "green" | "teal" | "cyan" | "blue" | "purple" | "pink" | "magenta" | "brown";
                            /** @description Guided mode: the look the prompt alone would have rendered (not applied; the image decided the look) */
                            prompt_look?: {
                                confidence: number;
                                /** @enum {string} */
                                decided_by: "words" | "meaning" | "words and meaning" | "nothing";
                                modifiers: ("subtle" | "soft" | "vivid" | "bold" | "high_contrast" | "grainy")[];
                                /** @enum {string} */
                                palette: "none" | "warm" | "cool" | "golden_hour" | "night" | "teal_orange" | "winter" | "summer" | "pastel" | "neon" | "sepia" | "monochrome" | "red" | "orange" | "yellow" | "gold" | "green" | "teal" | "cyan" | "blue" | "purple" | "pink" | "magenta" | "brown";
                                /** @enum {string} */
                                style: "neutral" | "watercolor" | "oil_painting" | "pencil_sketch" | "charcoal" | "ink_comic" | "cartoon" | "pixel_art" | "pop_art" | "noir" | "sepia" | "neon" | "pastel" | "dreamy" | "vhs";
                            };
                            /** @description The next most likely style */
                            runner_up: {
                                confidence: number;
                                /** @enum {string} */
                                style: "neutral" | "watercolor" | "oil_painting" | "pencil_sketch" | "charcoal" | "ink_comic" | "cartoon" | "pixel_art" | "pop_art" | "noir" | "sepia" | "neon" | "pastel" | "dreamy" | "vhs";
                            } | null;
                            /** @description The auto_controls schedule */
                            schedule?: {
                                cuts_s: number[];
                                segments: {
                                    after_cut: boolean;
                                    /** @enum {string} */
                                    edit_strength: "adhere_1" | "adhere_2" | "adhere_3" | "flex_1" | "flex_2" | "flex_3" | "reimagine_1" | "reimagine_2" | "reimagine_3" | "auto";
                                    end_s: number;
                                    motion: number;
                                    start_s: number;
                                }[];
                            };
                            /** @enum {string} */
                            style: "neutral" | "watercolor" | "oil_painting" | "pencil_sketch" | "charcoal" | "ink_comic" | "cartoon" | "pixel_art" | "pop_art" | "noir" | "sepia" | "neon" | "pastel" | "dreamy" | "vhs" | "from_image";
                            /** @description Prompt words (or phrases) that chose the look, in prompt order */
                            used_words: string[];
                        } | {
                            /** @enum {string} */
                            engine: "fal" | "luma";
                            provider_request_id: string;
                        } | {
                            /** @constant */
                            engine: "comfyui";
                            provider_request_id: string;
                            seed: number;
                            server: string;
                        } | null;
                        /** @constant */
                        media_type: "video";
                        model_name: string;
                        outputs?: {
                            bytes?: number;
                            content_type?: string;
                            kind?: string;
                            url?: string;
                        }[];
                        progress: number;
                        prompt: string;
                        result_url: string | null;
                        stage?: string | null;
                        started_at: string | null;
                        /** @enum {string} */
                        status: "queued" | "processing" | "succeeded" | "failed" | "cancelled";
                        warnings?: string[];
                    };
                };
            };
            default: components["responses"]["Error"];
        };
    };
    post_api_ai_videos_generate: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * Auto controls
                     * @description Derive the edit-strength schedule from the source video. Not with edit_strength.
                     */
                    auto_controls?: boolean;
                    /**
                     * Controls
                     * @description Per-signal conditioning of the hosted model (Luma Agents API route): depth, face, normals, pose, trajectory. Hosted model only.
                     */
                    controls?: {
                        /** @description Depth / scene geometry. */
                        depth?: {
                            /** @description Depth-map blur, 0..1: higher allows more geometric freedom. */
                            blur?: number;
                            /** @description Turn this conditioning on or off; omit for the model default. */
                            enabled?: boolean;
                        };
                        /** @description Face identity. */
                        face?: {
                            /** @description Turn this conditioning on or off; omit for the model default. */
                            enabled?: boolean;
                        };
                        /** @description Surface normals. */
                        normals?: {
                            /** @description 0..1: higher reinterprets surface geometry more. */
                            augmentation?: number;
                            /** @description Turn this conditioning on or off; omit for the model default. */
                            enabled?: boolean;
                        };
                        /** @description Pose / skeleton. */
                        pose?: {
                            /** @description Turn this conditioning on or off; omit for the model default. */
                            enabled?: boolean;
                            /**
                             * @description How closely poses are followed.
                             * @enum {string}
                             */
                            strength?: "precise" | "coarse";
                        };
                        /** @description Motion trajectory. */
                        trajectory?: {
                            /** @description Turn this conditioning on or off; omit for the model default. */
                            enabled?: boolean;
                            /** @description 0..1: higher uses fewer motion anchors. */
                            sparsity?: number;
                        };
                    };
                    /**
                     * Duration
                     * @description Length of the output (a shorter source yields its own length, with a warning).
                     * @default 5s
                     * @enum {string}
                     */
                    duration?: "5s" | "10s";
                    /**
                     * Edit strength
                     * @description adhere stays closest to the source, reimagine diverges most. Not with auto_controls. Default: flex_2.
                     * @enum {string}
                     */
                    edit_strength?: "adhere_1" | "adhere_2" | "adhere_3" | "flex_1" | "flex_2" | "flex_3" | "reimagine_1" | "reimagine_2" | "reimagine_3";
                    /**
                     * EXR export
                     * @description Also export an OpenEXR sidecar; needs hdr=true and HDR access.
                     * @default false
                     */
                    exr_export?: boolean;
                    /**
                     * HDR
                     * @description HDR10 output; needs HDR access on the key and 720p or 1080p.
                     * @default false
                     */
                    hdr?: boolean;
                    /**
                     * Input image
                     * Format: uri
                     * @description Image used as the edited video's first frame; its look steers the whole edit.
                     */
                    input_image?: string;
                    /**
                     * Input video
                     * Format: uri
                     * @description Source video: an http/https URL, or a URL returned by POST /api/files.
                     */
                    input_video: string;
                    /**
                     * Keyframes
                     * @description Restyled frames at positions in the source's frame grid (0-based, unique, within the source): one per shot, or a look that changes over time. Not with input_image.
                     */
                    keyframes?: {
                        /**
                         * Frame
                         * @description 0-based index of the source frame the image restyles.
                         */
                        frame: number;
                        /**
                         * Image
                         * Format: uri
                         * @description A restyle of the source frame at `frame`.
                         */
                        image: string;
                    }[];
                    /**
                     * @description Model id (GET /api/ai/models).
                     * @example retake-local
                     */
                    model: string;
                    /**
                     * Prompt
                     * @description How to edit the video: a style, a palette, modifiers ("watercolor, warm, soft").
                     */
                    prompt: string;
                    /**
                     * Resolution
                     * @description Short side of the output; higher costs more.
                     * @default 540p
                     * @enum {string}
                     */
                    resolution?: "540p" | "720p" | "1080p";
                    /**
                     * @description url, or the video inline as base64.
                     * @default url
                     * @enum {string}
                     */
                    response_format?: "url" | "b64_json";
                } & (unknown & unknown & unknown & unknown);
            };
        };
        responses: {
            /** @description The finished video */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Unix seconds */
                        created: number;
                        generation_id: string;
                        model: string;
                        videos: {
                            b64_json?: string;
                            url?: string;
                        }[];
                    };
                };
            };
            default: components["responses"]["Error"];
        };
    };
    get_api_events: {
        parameters: {
            query?: {
                generation_id?: string;
                last_event_id?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description An event stream */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": unknown;
                };
            };
            default: components["responses"]["Error"];
        };
    };
    post_api_files: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "multipart/form-data": {
                    /** Format: binary */
                    file: string;
                };
            };
        };
        responses: {
            /** @description The stored file (content_type is what its bytes are, not what the client declared) */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        bytes: number;
                        content_type: string;
                        filename: string;
                        id: string;
                        url: string;
                    };
                };
            };
            default: components["responses"]["Error"];
        };
    };
    get_api_keys_me: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The key (never its secret) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        budget_usd?: number | null;
                        hdr_access?: boolean;
                        name?: string;
                        prefix?: string;
                        spent_usd?: number;
                    };
                };
            };
            default: components["responses"]["Error"];
        };
    };
    get_api_webhooks_secret: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The secret; the HMAC-SHA256 key of `X-Retake-Signature` is this whole string */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        key?: string;
                    };
                };
            };
            default: components["responses"]["Error"];
        };
    };
    get_files: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                key: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The whole file */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/octet-stream": unknown;
                };
            };
            /** @description The requested byte range */
            206: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/octet-stream": unknown;
                };
            };
            /** @description With RETAKE_S3_PRESIGN_S set, for video and images: a short-lived presigned URL of the object store */
            302: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            default: components["responses"]["Error"];
        };
    };
    head_files: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                key: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The whole file */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/octet-stream": unknown;
                };
            };
            /** @description The requested byte range */
            206: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/octet-stream": unknown;
                };
            };
            /** @description With RETAKE_S3_PRESIGN_S set, for video and images: a short-lived presigned URL of the object store */
            302: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            default: components["responses"]["Error"];
        };
    };
    get_healthz: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The service is up */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        database?: string;
                        queue_depth?: number;
                        role?: string;
                        /** @constant */
                        status?: "ok";
                        uptime_s?: number;
                    };
                };
            };
            default: components["responses"]["Error"];
        };
    };
    get_metrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Prometheus text format */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": unknown;
                };
            };
            default: components["responses"]["Error"];
        };
    };
    get_openapi_json: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            default: components["responses"]["Error"];
        };
    };
    get_readyz: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ready to take traffic */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        blobs?: string;
                        role?: string;
                        /** @constant */
                        status?: "ready";
                    };
                };
            };
            default: components["responses"]["Error"];
        };
    };
}
