// Checks a scenario and turns it into the engine's configuration (config.ts): every
// value in bytes and milliseconds, the version's defaults filled in, and one clear
// error (naming the field) for anything QEMU or the model cannot take. QEMU's settings
// are judged by settings.ts with the migration domain's rules. No node imports: the
// preview page may bundle the simulator.
import { atLeast, commandStateRefusal, NEWEST_RELEASE, OLDEST_RELEASE, parseVersion } from '../migration/index';
import { qemuSettings, ruleFamily, type Config } from './config';
import { HOST_DEFAULTS, type HostModel } from './model';
import { describe, num, obj, ScenarioError } from './read';
import { readSettings } from './settings';
import type { Scenario } from './types';

export { ruleFamily, type Config, type RuleFamily } from './config';
export { ScenarioError, SIZE_MAX } from './read';

/** No simulation runs longer than this, whatever maxSeconds says (bounded work). */
export const HARD_CAP_SECONDS = 12 * 3600;
const MAX_DOWNTIME_MS = 2_000_000;
/** 1 PiB: far above any guest, and keeps a bitmap sync (1 ms/GiB) within bounds. */
const MAX_RAM = 2 ** 50;
const NEWEST_MAJOR = parseVersion(NEWEST_RELEASE)!.major;

/** Checks a scenario (from JSON or built in code) and fills in QEMU's defaults. */
export function configure(raw: unknown): Config {
  const s = obj(raw, 'scenario');
  const versionText = s.qemuVersion ?? NEWEST_RELEASE;
  if (typeof versionText !== 'string' || !parseVersion(versionText)) {
    throw new ScenarioError('qemuVersion', `qemuVersion must be a QEMU version such as "7.2" or "10.2", got ${describe(versionText)}`);
  }
  const version = parseVersion(versionText)!;
  if (!atLeast(version, OLDEST_RELEASE) || version.major > NEWEST_MAJOR) {
    throw new ScenarioError('qemuVersion', `qemuVersion ${versionText} is outside the modelled range (${OLDEST_RELEASE} to ${NEWEST_MAJOR}.x)`);
  }

  const guest = obj(s.guest, 'guest');
  const ramBytes = num(guest.ramBytes, 'guest.ramBytes', { positive: true, max: MAX_RAM });
  const workingSetBytes = num(guest.workingSetBytes, 'guest.workingSetBytes', { min: 0 });
  if (workingSetBytes > ramBytes) {
    throw new ScenarioError('guest.workingSetBytes', `guest.workingSetBytes (${workingSetBytes}) must not exceed guest.ramBytes (${ramBytes})`);
  }
  const dirty = num(guest.dirtyBytesPerSecond, 'guest.dirtyBytesPerSecond', { min: 0 });
  const zeroFraction = num(guest.zeroPageFraction, 'guest.zeroPageFraction', { min: 0, max: 1, fallback: 0 });
  const zeroAt = guest.zeroPagesAt ?? 'end';
  if (zeroAt !== 'spread' && zeroAt !== 'end') {
    throw new ScenarioError('guest.zeroPagesAt', `guest.zeroPagesAt must be "spread" or "end", got ${describe(zeroAt)}`);
  }
  const vcpus = num(guest.vcpus, 'guest.vcpus', { min: 1, max: 16384, integer: true, fallback: 1 });
  const link = obj(s.link, 'link');
  const linkBps = num(link.bytesPerSecond, 'link.bytesPerSecond', { positive: true });
  const efficiency = num(link.sendingEfficiency, 'link.sendingEfficiency', { positive: true, max: 1, fallback: 1 });
  const maxSeconds = num(s.maxSeconds, 'maxSeconds', { positive: true, fallback: 3600 });

  const settings = readSettings(version, obj(s.parameters, 'parameters', true), obj(s.capabilities, 'capabilities', true));
  const { value, cap } = settings;

  const postcopyStart =
    s.postcopyStartSeconds === undefined || s.postcopyStartSeconds === null ? null : num(s.postcopyStartSeconds, 'postcopyStartSeconds', { min: 0 });
  // migrate-start-postcopy after migrate: QEMU's command check (the checker's message).
  const refused =
    postcopyStart === null
      ? undefined
      : commandStateRefusal(version, 'migrate-start-postcopy', {
          caps: cap,
          migrate: { postcopy: cap('postcopy-ram'), pauseBeforeSwitchover: false },
          postcopyStarted: false,
        });
  if (refused) throw new ScenarioError('postcopyStartSeconds', `postcopyStartSeconds: ${refused.message}`);
  const ackSeconds = num(s.switchoverAckSeconds, 'switchoverAckSeconds', { min: 0, fallback: 0 });
  const steps = s.downtimeSteps === undefined || s.downtimeSteps === null ? [] : s.downtimeSteps;
  if (!Array.isArray(steps)) throw new ScenarioError('downtimeSteps', `downtimeSteps must be a list of {atSeconds, downtimeLimitMs}, got ${describe(steps)}`);
  const downtimeSteps = steps
    .map((step, i) => {
      const o = obj(step, `downtimeSteps[${i}]`);
      return {
        atMs: num(o.atSeconds, `downtimeSteps[${i}].atSeconds`, { min: 0 }) * 1000,
        downtimeLimitMs: num(o.downtimeLimitMs, `downtimeSteps[${i}].downtimeLimitMs`, { min: 0, max: MAX_DOWNTIME_MS, integer: true }),
      };
    })
    .sort((a, b) => a.atMs - b.atMs);

  // zero-page-detection none (9.0+): zero pages go on the wire as normal pages.
  const zeroBytes = value('zero-page-detection') === 'none' ? 0 : Math.min(zeroFraction * ramBytes, ramBytes - workingSetBytes);
  return {
    version,
    rules: ruleFamily(version),
    ramBytes,
    workingSetBytes,
    zeroBytes,
    zeroPagesLast: zeroAt === 'end',
    dirtyBytesPerMs: dirty / 1000,
    vcpus,
    linkBytesPerMs: linkBps / 1000,
    efficiency,
    maxMs: Math.min(maxSeconds, HARD_CAP_SECONDS) * 1000,
    cappedFromSeconds: maxSeconds > HARD_CAP_SECONDS ? maxSeconds : undefined,
    ...qemuSettings(version, settings.value, settings.cap),
    postcopyStartMs: postcopyStart === null ? null : postcopyStart * 1000,
    switchoverAckMs: cap('switchover-ack') ? ackSeconds * 1000 : 0,
    downtimeSteps,
    host: hostModel(s.host),
    ignored: settings.ignored,
    warnings: settings.warnings,
  };
}

function hostModel(raw: unknown): HostModel {
  const h = obj(raw, 'host', true);
  const out = { ...HOST_DEFAULTS };
  for (const key of Object.keys(HOST_DEFAULTS) as (keyof HostModel)[]) {
    out[key] = num(h[key], `host.${key}`, { min: 0, fallback: HOST_DEFAULTS[key] });
  }
  if (out.throttleLateFraction > 1)
    throw new ScenarioError('host.throttleLateFraction', `host.throttleLateFraction is a share (0-1), got ${out.throttleLateFraction}`);
  for (const key of ['zeroScanBytesPerSecond', 'perChannelBytesPerSecond'] as const) {
    if (!(out[key] > 0)) throw new ScenarioError(`host.${key}`, `host.${key} must be a positive number, got ${out[key]}`);
  }
  return out;
}

/** The scenario with its version's defaults, for callers that validate before simulating. */
export function validateScenario(raw: unknown): { ok: true; scenario: Scenario } | { ok: false; field: string; message: string } {
  try {
    configure(raw);
    return { ok: true, scenario: raw as Scenario };
  } catch (e) {
    if (e instanceof ScenarioError) return { ok: false, field: e.field, message: e.message };
    return { ok: false, field: 'scenario', message: `the scenario cannot be read: ${(e as Error)?.message ?? e}` };
  }
}
