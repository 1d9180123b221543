// QEMU versions whose rules the extension knows, and how the one in force is chosen:
// the setting, else the VERSION file at the top of the QEMU tree holding the file,
// else the newest.
import { dirname, join } from 'node:path';
import { compareVersions, formatVersion, parseVersion, type QemuVersion } from '../../migration/version';
import type { FileAccess } from './files';

// One version parser for the whole extension: the migration domain's.
export { compareVersions, formatVersion, parseVersion, type QemuVersion };

/**
 * Rule sets, oldest first: every QEMU release from 7.2 to 10.2 has its own (their
 * frontends differ release by release). A version maps to the newest rule set not
 * newer than it (7.2.5 -> 7.2; 6.2 -> 7.2, the oldest; 11.0 -> 10.2, the newest).
 */
export const RULE_SETS = ['7.2', '8.0', '8.1', '8.2', '9.0', '9.1', '9.2', '10.0', '10.1', '10.2'] as const;
export type RuleSet = (typeof RULE_SETS)[number];
export const NEWEST: RuleSet = '10.2';

/** The rule set for a version; versions older than 7.2 get 7.2's rules, newer than known get the newest. */
export function ruleSetFor(v: QemuVersion): RuleSet {
  let best: RuleSet = RULE_SETS[0];
  for (const r of RULE_SETS) if (compareVersions(parseVersion(r)!, v) <= 0) best = r;
  return best;
}

export interface ResolvedVersion {
  version: QemuVersion;
  rules: RuleSet;
  /** Where the choice came from, for the status item and `check --format json`. */
  source: 'setting' | 'VERSION file' | 'default';
  versionFile?: string;
}

/** Looks for QEMU's VERSION file in the folders above `path` (a QEMU tree has it at its top). */
export function findVersionFile(path: string, files: FileAccess, maxDepth = 8): string | undefined {
  let dir = dirname(path);
  for (let i = 0; i < maxDepth; i++) {
    const candidate = join(dir, 'VERSION');
    if (files.isFile(candidate)) {
      const r = files.read(candidate);
      if ('text' in r && parseVersion(r.text)) return candidate;
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}

/** `setting` is 'auto' or 'X.Y' (already validated by normalizeSettings). */
export function resolveVersion(setting: string, path: string | undefined, files: FileAccess): ResolvedVersion {
  if (setting !== 'auto') {
    const v = parseVersion(setting);
    if (v) return { version: v, rules: ruleSetFor(v), source: 'setting' };
  }
  if (path) {
    const vf = findVersionFile(path, files);
    if (vf) {
      const r = files.read(vf);
      const v = 'text' in r ? parseVersion(r.text) : undefined;
      if (v) return { version: v, rules: ruleSetFor(v), source: 'VERSION file', versionFile: vf };
    }
  }
  return { version: parseVersion(NEWEST)!, rules: NEWEST, source: 'default' };
}
