import type { DoorDeps } from '../usecases/deps.js';
import type { UiCodecOptions } from './codec.js';

/** What the API's handlers are given: what both doors get, and the codec endpoint when it is enabled. */
export interface ApiDeps extends DoorDeps {
  /** When set, /codec/…/{decode,encode} serve operators and the Temporal Web UI at its origin (api/codec.ts). */
  uiCodec?: UiCodecOptions;
  /** When set, GET /metrics asks for it as a bearer token (api/metrics.ts). */
  metricsToken?: string;
}
