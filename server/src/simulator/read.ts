// Reading a scenario's JSON values: each reader names the field it failed on.

/** A scenario the simulator cannot run; `field` is the JSON path of the culprit. */
export class ScenarioError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export const SIZE_MAX = 2 ** 64 - 1;

/** A value as the error message shows it (short: a whole object would drown the line). */
export function describe(v: unknown): string {
  if (typeof v === 'number') return String(v);
  if (v === undefined) return 'nothing';
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

export function num(v: unknown, field: string, opts: { min?: number; max?: number; positive?: boolean; integer?: boolean; fallback?: number }): number {
  if (v === undefined || v === null) {
    if (opts.fallback !== undefined) return opts.fallback;
    throw new ScenarioError(field, `${field} is missing (a number is required)`);
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ScenarioError(field, `${field} must be a finite number, got ${describe(v)}`);
  if (opts.positive && !(v > 0)) throw new ScenarioError(field, `${field} must be a positive number, got ${describe(v)}`);
  if (opts.min !== undefined && v < opts.min) throw new ScenarioError(field, `${field} must be at least ${opts.min}, got ${describe(v)}`);
  if (opts.max !== undefined && v > opts.max) throw new ScenarioError(field, `${field} must be at most ${opts.max}, got ${describe(v)}`);
  if (opts.integer && !Number.isInteger(v)) throw new ScenarioError(field, `${field} must be a whole number, got ${describe(v)}`);
  return v;
}

export function obj(v: unknown, field: string, optional = false): Record<string, unknown> {
  if ((v === undefined || v === null) && optional) return {};
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new ScenarioError(field, `${field} must be an object, got ${describe(v)}`);
  }
  return v as Record<string, unknown>;
}

/** QMP `size` values: -1 and anything from 2^64-1 up are stored by QEMU as 2^64-1. */
export function sizeValue(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ScenarioError(field, `${field} must be a number of bytes, got ${describe(v)}`);
  if (v === -1 || v >= SIZE_MAX) return SIZE_MAX;
  if (v < 0 || !Number.isInteger(v)) throw new ScenarioError(field, `${field} must be a whole number of bytes from 0 to 2^64-1, got ${describe(v)}`);
  return v;
}
