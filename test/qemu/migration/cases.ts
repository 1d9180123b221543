// The migrations we record on QEMU 7.2 and compare with the simulator. One guest, one
// vCPU, TCG; the inputs are chosen so each outcome is clear-cut (not on a threshold edge).
// The writer is paced on the TSC (a steady rate whatever the host's load), except under
// auto-converge, whose throttle only slows a writer that needs the CPU (guest.c).
import type { MigrationCase } from './record';

export const CASES: MigrationCase[] = [
  {
    name: 'converge',
    description: 'working set (8 MiB) below the threshold (32 MiB/s x 300 ms = 9.6 MiB): switches over after the first pass',
    ramMiB: 512,
    fillMiB: 64,
    wsMiB: 8,
    rateMiBps: 40,
    maxBandwidthMiBps: 32,
    downtimeLimitMs: 300,
    capSeconds: 30,
  },
  {
    name: 'slow',
    description: '64 MiB working set rewritten at ~12 MiB/s against 32 MiB/s: rounds shrink geometrically over several syncs',
    ramMiB: 512,
    fillMiB: 128,
    wsMiB: 64,
    rateMiBps: 12,
    maxBandwidthMiBps: 32,
    downtimeLimitMs: 300,
    capSeconds: 45,
  },
  {
    name: 'never',
    description: '64 MiB working set rewritten at ~80 MiB/s against 32 MiB/s: never converges',
    ramMiB: 512,
    fillMiB: 128,
    wsMiB: 64,
    rateMiBps: 80,
    maxBandwidthMiBps: 32,
    downtimeLimitMs: 300,
    capSeconds: 30,
  },
  {
    name: 'autoconverge',
    description:
      'as "never" at ~60 MiB/s from a CPU-bound writer (a busy loop per write), with auto-converge (defaults 20/10/99): the throttle steps up until it converges',
    ramMiB: 512,
    fillMiB: 128,
    wsMiB: 64,
    rateMiBps: 60,
    writer: 'cpu',
    maxBandwidthMiBps: 32,
    downtimeLimitMs: 300,
    autoConverge: true,
    capSeconds: 58,
  },
  {
    name: 'idle',
    description: '512 MiB, 16 MiB of data, guest halted: zero pages cost almost nothing; converges at the end of the first pass',
    ramMiB: 512,
    fillMiB: 16,
    wsMiB: 0,
    rateMiBps: 0,
    maxBandwidthMiBps: 32,
    downtimeLimitMs: 300,
    capSeconds: 30,
  },
  {
    name: 'unlimited',
    description:
      'max-bandwidth 0 (unlimited), 1920 MiB of data, guest halted, downtime-limit 10 ms: the pass time measures how fast the migration thread fills the local pipe (calibrates the sending efficiency)',
    ramMiB: 2048,
    fillMiB: 1920,
    wsMiB: 0,
    rateMiBps: 0,
    maxBandwidthMiBps: 0,
    downtimeLimitMs: 10,
    capSeconds: 30,
  },
];
