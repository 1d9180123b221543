// Colour for the text formats: only when stdout is a terminal, never when NO_COLOR is set
// (https://no-color.org: any non-empty value) or TERM is "dumb". FORCE_COLOR=1 forces it
// on for tools that capture output but render ANSI (documented in docs/ci.md).
export interface Paint {
  error(s: string): string;
  warning(s: string): string;
  info(s: string): string;
  path(s: string): string;
  dim(s: string): string;
  good(s: string): string;
}

const ansi = (open: number, close: number) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`;
const identity = (s: string) => s;

export const PLAIN: Paint = { error: identity, warning: identity, info: identity, path: identity, dim: identity, good: identity };
export const COLOURED: Paint = {
  error: ansi(31, 39),
  warning: ansi(33, 39),
  info: ansi(36, 39),
  path: ansi(1, 22),
  dim: ansi(2, 22),
  good: ansi(32, 39),
};

export function wantsColour(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

export function paintFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Paint {
  return wantsColour(stream, env) ? COLOURED : PLAIN;
}

export function severityPaint(p: Paint, severity: string): (s: string) => string {
  return severity === 'error' ? p.error : severity === 'warning' ? p.warning : p.info;
}
