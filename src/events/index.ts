export { createLocalEventBus, KeyFanout } from './local-bus.ts';
export type { EventBus, EventType } from './types.ts';
