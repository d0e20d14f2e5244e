/**
 * Deadlines that scale with the machine. The suite runs on small shared CI machines
 * where other work can take most of the CPU: a wait that takes a second on an idle
 * machine can take twenty there. A deadline from `scaled(ms)` grows with the load per
 * core at the moment it is set (up to 4×) and with RETAKE_TEST_TIME_SCALE (default 1),
 * so a test waits long enough for an event that is slow, and still fails when the event
 * never comes.
 */
import { availableParallelism, loadavg } from 'node:os';

const FACTOR = Number(process.env.RETAKE_TEST_TIME_SCALE ?? 1) || 1;

/** `ms`, scaled for the machine's current load and RETAKE_TEST_TIME_SCALE. */
export function scaled(ms: number): number {
  const load = Math.min(4, Math.max(1, loadavg()[0]! / availableParallelism()));
  return Math.round(ms * load * FACTOR);
}
