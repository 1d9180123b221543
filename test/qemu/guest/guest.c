/* A tiny multiboot guest for live-migration measurements.
 *
 * It fills `fill` MiB at 4 MiB with non-zero data (the rest of RAM stays zero), then
 * rewrites one byte per page of the first `ws` MiB for ever, `rate` MiB/s of page
 * writes (calibrated once against the PIT at boot, then a fixed busy loop, so that
 * CPU throttling slows it down like a CPU-bound workload). `pattern=random` picks
 * pages at random instead of sweeping them in order. `ws=0` fills and then halts.
 * Its progress is a status block at 0x108000 that the harness reads with pmemsave.
 * Command line (-append): ws=MiB fill=MiB rate=MiB/s [delay=N] [pattern=random]. */
typedef unsigned int u32;
typedef unsigned char u8;

#define STATUS_MAGIC 0x57524954u  /* "WRIT" */
#define WS_BASE 0x400000u
#define PAGE 4096u
#define PIT_HZ 1193182.0

enum { BOOTING = 0, FILLING = 1, CALIBRATING = 2, WRITING = 3, IDLE = 4 };

struct status {
	u32 magic, state, pages, passes;
	u32 ws_mib, fill_mib, ram_mib, delay;
	u32 rate_mibps, random, calibrated_pps;
};

__attribute__((section(".status"), used)) volatile struct status status;

struct multiboot_info {
	u32 flags, mem_lower, mem_upper, boot_device, cmdline;
};

static inline void outb(unsigned short port, u8 v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline u8 inb(unsigned short port) { u8 v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }

/* PIT channel 0 in mode 2 counts down from 65536 and wraps every 55 ms;
 * interrupts stay off, so it is only read. */
static void pit_start(void) { outb(0x43, 0x34); outb(0x40, 0); outb(0x40, 0); }
static u32 pit_read(void) { outb(0x43, 0x00); u32 lo = inb(0x40); return lo | (u32)inb(0x40) << 8; }

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
	((volatile u8 *)WS_BASE)[idx * PAGE] = (u8)(status.pages | 1);
	status.pages++;
}

static void spin(u32 n) { for (volatile u32 i = 0; i < n; i++) ; }

/* Page writes per second with busy loop `delay`, timed on the PIT over ~0.25 s. */
static double measure_pps(u32 delay, u32 ws_pages, u32 *idx) {
	u32 ticks = 0, pages = 0, last = pit_read();
	while (ticks < 300000) {
		*idx = next_page(*idx, ws_pages);
		write_page(*idx);
		spin(delay);
		/* The PIT read costs an I/O exit: every 16 pages keeps it out of the
		 * timing yet well inside the counter's 55 ms wrap. */
		if (++pages % 16) continue;
		u32 now = pit_read();
		ticks += (last - now) & 0xffff;
		last = now;
	}
	return pages * PIT_HZ / ticks;
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
	const char *pattern = find(cmd, "pattern");
	status.random = pattern && pattern[0] == 'r';
	status.magic = STATUS_MAGIC;

	status.state = FILLING;
	volatile u32 *w = (volatile u32 *)WS_BASE;
	for (u32 i = 0, n = fill * (1024 * 1024 / 4); i < n; i++) w[i] = (i * 2654435761u) | 0x01010101u;

	if (!ws) {
		status.state = IDLE;
		for (;;) __asm__ volatile("cli; hlt");
	}
	u32 ws_pages = ws * (1024 * 1024 / PAGE), idx = 0;
	u32 delay = arg(cmd, "delay", 0);
	if (!delay && status.rate_mibps) {
		/* Two rounds: time per page is roughly proportional to the loop count. */
		status.state = CALIBRATING;
		pit_start();
		double target = status.rate_mibps * (1024.0 * 1024.0 / PAGE);
		delay = 20000;
		for (int round = 0; round < 2; round++) {
			double pps = measure_pps(delay, ws_pages, &idx);
			double d = delay * pps / target;
			delay = d < 1 ? 1 : d > 4e9 ? 4000000000u : (u32)d;
		}
		status.calibrated_pps = (u32)measure_pps(delay, ws_pages, &idx);
	}
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
