/* A tiny multiboot guest for live-migration measurements.
 *
 * It fills `fill` MiB at 4 MiB with non-zero data (the rest of RAM stays zero), then
 * rewrites one byte per page of the first `ws` MiB for ever at `rate` MiB/s of page
 * writes. `mode=paced` (the default) paces the writes on the TSC, so the rate holds
 * whatever the host's load does to TCG's speed. `mode=cpu` is a CPU-bound writer
 * instead: a fixed busy loop per write, sized for `rate` at boot (or `delay=N`), whose
 * speed follows TCG's, and which CPU throttling slows down. `pattern=random` picks
 * pages at random instead of sweeping them in order; `ws=0` fills and then halts.
 * `touch=full` rewrites every word of a page with new values (a page XBZRLE cannot
 * encode: its bad case) instead of one byte (a 1-byte delta: its good case).
 * Time comes from the HPET (its 32-bit counter wraps only every 43 s, so a vCPU the
 * host stops for a while still measures right). Its progress is a status block at
 * 0x108000 that the harness reads with pmemsave.
 * Command line (-append): ws=MiB fill=MiB rate=MiB/s [mode=cpu [delay=N]] [pattern=random] [touch=full] [sparse=1]. */
typedef unsigned int u32;
typedef unsigned char u8;
typedef unsigned long long u64;

#define STATUS_MAGIC 0x57524954u  /* "WRIT" */
#define WS_BASE 0x400000u
#define PAGE 4096u
#define HPET_BASE 0xFED00000u

/* How far behind a paced writer may fall and still catch up: host preemption and
 * lock waits stall the vCPU for milliseconds, and the rate must hold through them.
 * It also makes up for CPU-throttle sleeps of up to this long (throttles up to 80%),
 * so auto-converge is measured with mode=cpu. */
#define CATCH_UP_SECONDS 0.05

enum { BOOTING = 0, FILLING = 1, CALIBRATING = 2, WRITING = 3, IDLE = 4, NO_HPET = 5 };

struct status {
	u32 magic, state, pages, passes;
	u32 ws_mib, fill_mib, ram_mib, delay;
	u32 rate_mibps, random, calibrated_pps, paced, tsc_khz, full;
};

__attribute__((section(".status"), used)) volatile struct status status;

struct multiboot_info {
	u32 flags, mem_lower, mem_upper, boot_device, cmdline;
};

static volatile u32 *const hpet = (volatile u32 *)HPET_BASE;
static u32 hpet_period_fs;

/* HPET ticks per second. Floating point only here and in the calibration: with `mode=cpu
 * delay=N` the guest runs no x87 instruction at all, which KVM's instruction emulator (a
 * host without hardware virtualization) cannot run. */
static double hpet_hz(void) { return 1e15 / hpet_period_fs; }

static u32 hpet_read(void) { return hpet[0xF0 / 4]; }
static inline u64 rdtsc(void) { u64 v; __asm__ volatile("rdtsc" : "=A"(v)); return v; }

/* Enables the HPET's main counter; its tick period (in fs) is the upper capability word. */
static int hpet_start(void) {
	u32 period_fs = hpet[0x04 / 4];
	if (period_fs == 0 || period_fs > 100000000u) return 0;
	hpet_period_fs = period_fs;
	hpet[0x10 / 4] |= 1;
	return 1;
}

/* The text after `key=` in the command line (space-separated words), or 0. */
static const char *find(const char *s, const char *key) {
	while (s && *s) {
		while (*s == ' ') s++;
		const char *k = key, *p = s;
		while (*k && *p == *k) k++, p++;
		if (!*k && *p == '=') return p + 1;
		while (*s && *s != ' ') s++;
	}
	return 0;
}

static u32 arg(const char *s, const char *key, u32 dflt) {
	const char *p = find(s, key);
	if (!p || *p < '0' || *p > '9') return dflt;
	u32 v = 0;
	while (*p >= '0' && *p <= '9') v = v * 10 + (u32)(*p++ - '0');
	return v;
}

static u32 rng = 12345;
static u32 next_page(u32 i, u32 ws_pages) {
	if (!status.random) return i + 1 == ws_pages ? 0 : i + 1;
	rng = rng * 1664525u + 1013904223u;
	return (rng >> 8) % ws_pages;
}

static void write_page(u32 idx) {
	if (status.full) {
		/* Every word changes, and differently each time: no delta is shorter than the page. */
		volatile u32 *p = (volatile u32 *)(WS_BASE + idx * PAGE);
		u32 v = status.pages * 2654435761u + 0x9E3779B9u;
		for (u32 i = 0; i < PAGE / 4; i++) p[i] = (v += 0x6D2B79F5u) | 0x01000000u;
	} else {
		/* The byte changes on every write (a page left as it was would be no delta at all). */
		volatile u8 *b = (volatile u8 *)WS_BASE + idx * PAGE;
		*b = (u8)(*b + 2) | 1;
	}
	status.pages++;
}

static void spin(u32 n) { for (volatile u32 i = 0; i < n; i++) ; }

/* Page writes per second with busy loop `delay`, over 0.25 s of HPET time. */
static double measure_pps(u32 delay, u32 ws_pages, u32 *idx) {
	u32 pages = 0, start = hpet_read(), span = (u32)(hpet_hz() / 4), ticks;
	do {
		*idx = next_page(*idx, ws_pages);
		write_page(*idx);
		spin(delay);
		pages++;
	} while ((ticks = hpet_read() - start) < span);
	return pages * hpet_hz() / ticks;
}

/* A fixed busy loop per write, sized for the target rate in two rounds (time per
 * page is roughly proportional to the loop count). */
static u32 calibrate_delay(u32 ws_pages) {
	double target = status.rate_mibps * (1024.0 * 1024.0 / PAGE);
	u32 delay = 20000, idx = 0;
	for (int round = 0; round < 2; round++) {
		double d = delay * measure_pps(delay, ws_pages, &idx) / target;
		delay = d < 1 ? 1 : d > 4e9 ? 4000000000u : (u32)d;
	}
	status.calibrated_pps = (u32)measure_pps(delay, ws_pages, &idx);
	return delay;
}

/* TSC ticks per second over 0.2 s of HPET time (TCG's TSC is the host's). */
static double tsc_hz(void) {
	u32 start = hpet_read(), span = (u32)(hpet_hz() / 5), ticks;
	u64 t0 = rdtsc();
	while ((ticks = hpet_read() - start) < span) ;
	return (double)(long long)(rdtsc() - t0) * hpet_hz() / ticks;
}

static void __attribute__((noreturn)) write_paced(u32 ws_pages) {
	double hz = tsc_hz();
	status.tsc_khz = (u32)(hz / 1000);
	u64 step = (u64)(long long)(hz / (status.rate_mibps * (1024.0 * 1024.0 / PAGE)));
	u64 behind = (u64)(long long)(hz * CATCH_UP_SECONDS), next = rdtsc();
	u32 idx = 0;
	status.state = WRITING;
	for (;;) {
		for (u32 i = 0; i < ws_pages; i++) {
			u64 now;
			while ((now = rdtsc()) < next) ;
			if (now - next > behind) next = now - behind;
			next += step;
			idx = next_page(idx, ws_pages);
			write_page(idx);
		}
		status.passes++;
	}
}

static void __attribute__((noreturn)) write_cpu_bound(u32 ws_pages, u32 delay) {
	u32 idx = 0;
	status.delay = delay;
	status.state = WRITING;
	for (;;) {
		for (u32 i = 0; i < ws_pages; i++) {
			idx = next_page(idx, ws_pages);
			write_page(idx);
			spin(delay);
		}
		status.passes++;
	}
}

void guest_main(struct multiboot_info *mbi) {
	const char *cmd = (mbi->flags & 4) ? (const char *)mbi->cmdline : 0;
	u32 ram_mib = (mbi->flags & 1) ? mbi->mem_upper / 1024 + 1 : 64;
	u32 room = ram_mib > 5 ? ram_mib - 5 : 0;
	u32 fill = arg(cmd, "fill", 64), ws = arg(cmd, "ws", 16);
	if (fill > room) fill = room;
	if (ws > fill) ws = fill;
	status.ram_mib = ram_mib;
	status.fill_mib = fill;
	status.ws_mib = ws;
	status.rate_mibps = arg(cmd, "rate", 0);
	const char *pattern = find(cmd, "pattern"), *mode = find(cmd, "mode");
	const char *touch = find(cmd, "touch");
	status.random = pattern && pattern[0] == 'r';
	status.full = touch && touch[0] == 'f';
	status.paced = status.rate_mibps && !(mode && mode[0] == 'c');
	status.magic = STATUS_MAGIC;

	status.state = FILLING;
	volatile u32 *w = (volatile u32 *)WS_BASE;
	/* sparse=1: one word per page (still a non-zero page), for KVM's instruction emulator,
	 * which runs a word-by-word fill at under 1 MiB/s. */
	u32 step = arg(cmd, "sparse", 0) ? PAGE / 4 : 1;
	for (u32 i = 0, n = fill * (1024 * 1024 / 4); i < n; i += step) w[i] = (i * 2654435761u) | 0x01010101u;

	u32 ws_pages = ws * (1024 * 1024 / PAGE);
	if (ws_pages) {
		status.state = CALIBRATING;
		if (!hpet_start()) status.state = NO_HPET;
		else if (status.paced) write_paced(ws_pages);
		else write_cpu_bound(ws_pages, arg(cmd, "delay", 0) ?: (status.rate_mibps ? calibrate_delay(ws_pages) : 0));
	} else {
		status.state = IDLE;
	}
	for (;;) __asm__ volatile("cli; hlt");
}
