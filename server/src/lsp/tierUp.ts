// The loaders (scripts/code-cache.cjs) make V8 optimize a function only after 16 times
// its default budget: the first check of a schema, mostly cold code, is faster that way.
// A server lives on, and its checks after an edit are fastest optimized early, so once
// the first check is done it goes back to V8's default.
import { setFlagsFromString } from 'node:v8';

/** V8's own default (`node --v8-options`, V8 11.3 of Node 20). */
const DEFAULT_INTERRUPT_BUDGET = 67584;
let early = false;

export function optimizeEarlyFromNowOn(): void {
  if (early) return;
  early = true;
  setFlagsFromString(`--interrupt-budget=${DEFAULT_INTERRUPT_BUDGET}`);
}
