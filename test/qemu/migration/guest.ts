// Builds the multiboot guest (test/qemu/guest) with the machine's gcc and binutils into a
// cache folder keyed by the sources' hash (binaries are never committed), and decodes the
// status block the guest publishes at GUEST_STATUS_ADDR.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const GUEST_DIR = resolve(__dirname, '..', 'guest');
const SOURCES = ['boot.S', 'guest.c', 'guest.ld'];

/** Where guest.ld places the status block. */
export const GUEST_STATUS_ADDR = 0x108000;
export const GUEST_STATUS_SIZE = 56;
const STATUS_MAGIC = 0x57524954;
const STATES = ['booting', 'filling', 'calibrating', 'writing', 'idle', 'no-hpet'] as const;

export interface GuestStatus {
  state: (typeof STATES)[number] | 'unknown';
  /** Page writes since boot (32-bit counter). */
  pages: number;
  /** Full sweeps of the working set. */
  passes: number;
  wsMiB: number;
  fillMiB: number;
  ramMiB: number;
  delay: number;
  rateMiBps: number;
  random: boolean;
  /** mode=cpu: the busy loop's rate as timed at boot. */
  calibratedPagesPerSecond: number;
  /** Paced on the TSC (mode=paced) rather than a CPU-bound busy loop (mode=cpu). */
  paced: boolean;
  tscKHz: number;
  /** touch=full: every word of a page rewritten (XBZRLE's bad case), not one byte. */
  full: boolean;
}

/** Why the guest cannot be built here, or false. */
export function guestSkipReason(): string | false {
  for (const [tool, args] of [
    ['gcc', ['--version']],
    ['ld', ['--version']],
  ] as const) {
    try {
      execFileSync(tool, args, { stdio: 'ignore' });
    } catch {
      return `${tool} is not available; the migration guest is built with gcc and binutils (apt-get install -y gcc binutils)`;
    }
  }
  return false;
}

/** Path of the built guest ELF (built once per source version). */
export function buildGuest(): string {
  const hash = createHash('sha256');
  for (const f of SOURCES) hash.update(readFileSync(join(GUEST_DIR, f)));
  const dir = join(tmpdir(), `qapi-qmp-guest-${hash.digest('hex').slice(0, 12)}`);
  const elf = join(dir, 'guest.elf');
  if (existsSync(elf)) return elf;
  mkdirSync(dir, { recursive: true });
  const cflags = [
    '-m32',
    '-ffreestanding',
    '-fno-pic',
    '-fno-pie',
    '-fno-stack-protector',
    '-fno-asynchronous-unwind-tables',
    '-O2',
    '-Wall',
    '-Wextra',
    '-Werror',
  ];
  const run = (tool: string, args: string[]) => execFileSync(tool, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  // Per-process names, renamed at the end, so concurrent test files never share a half-written file.
  const tag = String(process.pid);
  run('gcc', [...cflags, '-c', join(GUEST_DIR, 'guest.c'), '-o', `guest.${tag}.o`]);
  run('gcc', ['-m32', '-c', join(GUEST_DIR, 'boot.S'), '-o', `boot.${tag}.o`]);
  const partial = `guest.${tag}.elf`;
  run('ld', ['-m', 'elf_i386', '-nostdlib', '-T', join(GUEST_DIR, 'guest.ld'), '-o', partial, `boot.${tag}.o`, `guest.${tag}.o`]);
  renameSync(join(dir, partial), elf);
  return elf;
}

/** Decodes the bytes pmemsave wrote; null when the guest has not published yet. */
export function decodeStatus(bytes: Buffer): GuestStatus | null {
  if (bytes.length < GUEST_STATUS_SIZE || bytes.readUInt32LE(0) !== STATUS_MAGIC) return null;
  const u = (i: number) => bytes.readUInt32LE(4 * i);
  return {
    state: STATES[u(1)] ?? 'unknown',
    pages: u(2),
    passes: u(3),
    wsMiB: u(4),
    fillMiB: u(5),
    ramMiB: u(6),
    delay: u(7),
    rateMiBps: u(8),
    random: u(9) !== 0,
    calibratedPagesPerSecond: u(10),
    paced: u(11) !== 0,
    tscKHz: u(12),
    full: u(13) !== 0,
  };
}
