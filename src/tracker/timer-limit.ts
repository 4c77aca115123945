/**
 * The longest delay a Node timer takes: 2^31 - 1 ms (24.8 days). Asked for longer, Node fires
 * it after 1 ms instead, with a TimeoutOverflowWarning on stderr each time; a timer that is
 * then asked for the same delay again turns into a busy loop. Delays are cut to this.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;
