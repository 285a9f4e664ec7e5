/** @voip/clock: the clock port shared by every voip package, its real face and a manual one for tests. */
export type { Clock, TimerHandle } from './clock.js';
export { realClock } from './real-clock.js';
export { createManualClock, type ManualClock } from './manual-clock.js';
export { checkDurationMs } from './duration.js';
