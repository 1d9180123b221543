// The one reader of QEMU version strings ("10.2", "8.2.1", "7.2.22", a VERSION file's
// "10.1.92\n", "9") and the releases whose migration rules this module knows.

export interface QemuVersion {
  major: number;
  minor: number;
}

/** The releases whose migrate_caps_check / migrate_params_check are encoded in rules.ts. */
export const MIGRATION_RELEASES = ['7.2', '8.0', '8.1', '8.2', '9.0', '9.1', '9.2', '10.0', '10.1', '10.2'] as const;
export const OLDEST_RELEASE = MIGRATION_RELEASES[0];
export const NEWEST_RELEASE = MIGRATION_RELEASES[MIGRATION_RELEASES.length - 1];

const VERSION = /^\s*(\d{1,4})(?:\.(\d{1,4}))?(?:\.\d{1,6})?(?:\s*$|[\s(~+-])/;

/** "10.2", "8.2.1", "9" -> {major, minor}; undefined when it is not a version. */
export function parseVersion(text: string): QemuVersion | undefined {
  const m = VERSION.exec(text);
  return m ? { major: Number(m[1]), minor: Number(m[2] ?? 0) } : undefined;
}

export function compareVersions(a: QemuVersion, b: QemuVersion): number {
  return a.major - b.major || a.minor - b.minor;
}

export function formatVersion(v: QemuVersion): string {
  return `${v.major}.${v.minor}`;
}

const parsed = new Map<string, QemuVersion | undefined>();
/** parseVersion, remembered (bounded): the same few strings are compared for every message. */
function cachedParse(text: string): QemuVersion | undefined {
  if (parsed.has(text)) return parsed.get(text);
  const v = parseVersion(text);
  if (parsed.size > 256) parsed.clear();
  parsed.set(text, v);
  return v;
}

/** v >= b; either may be a version or its text. False when either is not a version. */
export function atLeast(v: QemuVersion | string, b: QemuVersion | string): boolean {
  const va = typeof v === 'string' ? cachedParse(v) : v;
  const vb = typeof b === 'string' ? cachedParse(b) : b;
  return !!va && !!vb && compareVersions(va, vb) >= 0;
}

/** Whether something with `since` (and `removed`: the first version without it) exists in v. */
export function inRange(v: QemuVersion | string, since: string, removed?: string): boolean {
  return atLeast(v, since) && !(removed && atLeast(v, removed));
}
