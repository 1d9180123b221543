// The one migration the live tests, the recordings and the demo run: a 32 MiB working
// set rewritten at ~60 MiB/s while max-bandwidth holds QEMU to 32 MiB/s. QEMU measures
// 32 MiB/s, so its threshold is 32 MiB/s x 300 ms = 9.6 MiB, while the whole working
// set is dirty at every sync: it never converges. The switchover itself runs without
// the cap, on a local pipe that gives about 1 GB/s or more: the seed's situation
// (measured bandwidth far below what the link gives).
import type { GuestSpec } from './migration';

export const GUEST: GuestSpec = { ramMiB: 256, fillMiB: 64, wsMiB: 32, rateMiBps: 60 };
export const PARAMS = { 'max-bandwidth': 32 * 2 ** 20, 'downtime-limit': 300 };
/** What the local pipe gives the switchover (measured 1-4 GB/s here; 1 GB/s is the low end). */
export const LINK_BYTES_PER_S = 1e9;
