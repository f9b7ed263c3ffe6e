// SPDX-License-Identifier: MIT
/*
 * The virtio tests' helper inside Linux guests: static, freestanding, no C library (like
 * initmark). Subcommands:
 *   pvnet sniff   counts the Ethernet frames every interface receives (an AF_PACKET socket, the
 *                 interface in promiscuous mode), until an ICMP echo request of 99 payload bytes
 *                 arrives (the "done" signal); prints how many it saw and how many belonged to the
 *                 lan switch's network: 10.0.0.0/24 addresses, or lan MAC addresses 02:00:00:00:00:xx
 *   pvnet count   reads standard input to its end; prints the bytes and the virtual counter ticks
 *                 from the first byte to the end (the inter-VM throughput benchmark)
 */
#include <stddef.h>
#include <stdint.h>

#if defined(__aarch64__)
#define SYS_SOCKET   198
#define SYS_RECVFROM 207
#define SYS_READ     63
#define SYS_WRITE    64
#define SYS_EXIT     93
__asm__(".global _start\n_start:\n\tmov x0, sp\n\tb pvnet_main\n");

static uint64_t counter(void)
{
	uint64_t v;

	__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v));
	return v;
}

static long sys6(long nr, long a, long b, long c, long d, long e, long f)
{
	register long x8 __asm__("x8") = nr;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;
	register long x4 __asm__("x4") = e;
	register long x5 __asm__("x5") = f;

	__asm__ volatile("svc #0"
			 : "+r"(x0)
			 : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
			 : "memory");
	return x0;
}
#elif defined(__riscv)
#define SYS_SOCKET   198
#define SYS_RECVFROM 207
#define SYS_READ     63
#define SYS_WRITE    64
#define SYS_EXIT     93
__asm__(".global _start\n_start:\n\tmv a0, sp\n\tj pvnet_main\n");

static uint64_t counter(void)
{
	uint64_t v;

	__asm__ volatile("rdtime %0" : "=r"(v));
	return v;
}

static long sys6(long nr, long a, long b, long c, long d, long e, long f)
{
	register long a7 __asm__("a7") = nr;
	register long a0 __asm__("a0") = a;
	register long a1 __asm__("a1") = b;
	register long a2 __asm__("a2") = c;
	register long a3 __asm__("a3") = d;
	register long a4 __asm__("a4") = e;
	register long a5 __asm__("a5") = f;

	__asm__ volatile("ecall"
			 : "+r"(a0)
			 : "r"(a7), "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a5)
			 : "memory");
	return a0;
}
#else
// cppcheck-suppress preprocessorErrorDirective
#error "pvnet: unknown architecture"
#endif

#define AF_PACKET	17
#define SOCK_RAW	3
#define ETH_P_ALL_BE	0x0300 /* htons(ETH_P_ALL) */
#define PACKET_OUTGOING 4

static size_t slen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

static void out(const char *s)
{
	sys6(SYS_WRITE, 1, (long)s, (long)slen(s), 0, 0, 0);
}

static void out_u64(uint64_t v)
{
	char d[24];
	size_t n = sizeof(d);

	d[--n] = '\0';
	do {
		d[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	out(d + n);
}

static __attribute__((noreturn)) void quit(int code)
{
	sys6(SYS_EXIT, code, 0, 0, 0, 0, 0);
	for (;;)
		;
}

/* An IPv4 address in 10.0.0.0/24, the lan switch's network. */
static int lan_ip(const uint8_t *p)
{
	return p[0] == 10 && p[1] == 0 && p[2] == 0;
}

static int sniff(void)
{
	static uint8_t frame[2048];
	uint8_t addr[20]; /* struct sockaddr_ll */
	uint64_t seen = 0, lan = 0;
	long fd = sys6(SYS_SOCKET, AF_PACKET, SOCK_RAW, ETH_P_ALL_BE, 0, 0, 0);

	if (fd < 0) {
		out("polyvisor-net: sniffer: no packet socket\n");
		return 1;
	}
	for (;;) {
		uint32_t alen = sizeof(addr);
		long n = sys6(SYS_RECVFROM, fd, (long)frame, sizeof(frame), 0, (long)addr,
			      (long)&alen);
		int is_lan;

		if (n < 14)
			continue;
		if (addr[10] == PACKET_OUTGOING)
			continue; /* its own replies */
		seen++;
		is_lan = frame[6] == 2 && frame[7] == 0 && frame[8] == 0 && frame[9] == 0 &&
			 frame[10] == 0;
		if (frame[12] == 0x08 && frame[13] == 0x00 && n >= 34) {
			is_lan |= lan_ip(frame + 26) || lan_ip(frame + 30);
			/* The done signal: ICMP echo request, 20 + 8 + 99 bytes of IPv4. */
			if (frame[23] == 1 && frame[16] == 0 && frame[17] == 127 && n > 34 &&
			    frame[34] == 8) {
				lan += (uint64_t)is_lan;
				break;
			}
		} else if (frame[12] == 0x08 && frame[13] == 0x06 && n >= 42) {
			is_lan |= lan_ip(frame + 28) || lan_ip(frame + 38);
		}
		lan += (uint64_t)is_lan;
	}
	out("polyvisor-net: sniffer saw ");
	out_u64(seen);
	out(" frames, ");
	out_u64(lan);
	out(" from the lan switch\n");
	return 0;
}

static int count(void)
{
	static char buf[65536];
	uint64_t bytes = 0, first = 0, last = 0;

	for (;;) {
		long n = sys6(SYS_READ, 0, (long)buf, sizeof(buf), 0, 0, 0);

		if (n <= 0)
			break;
		if (!bytes)
			first = counter();
		bytes += (uint64_t)n;
	}
	last = counter();
	out("polyvisor-net: received ");
	out_u64(bytes);
	out(" bytes in ");
	out_u64(bytes ? last - first : 0);
	out(" ticks\n");
	return 0;
}

void pvnet_main(long *sp) __attribute__((noreturn, used));

void pvnet_main(long *sp)
{
	long argc = sp[0];
	char **argv = (char **)(sp + 1);
	const char *cmd = argc > 1 ? argv[1] : "";

	if (cmd[0] == 's')
		quit(sniff());
	if (cmd[0] == 'c')
		quit(count());
	out("usage: pvnet sniff|count\n");
	quit(2);
}
