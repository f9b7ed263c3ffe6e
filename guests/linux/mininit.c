// SPDX-License-Identifier: MIT
/*
 * /init of the test initramfs on architectures Debian ships no busybox for (loongarch64): what
 * init.sh does with busybox, as one static program without a C library. It prints the counter
 * line initmark prints, then the lines the system tests check, each starting "polyvisor-init:",
 * and powers the machine off.
 *
 * Its lines go to the kernel log (/dev/kmsg), which the console prints synchronously, rather than
 * to the console's tty: a UART whose emulation never raises the transmitter's interrupt sends only
 * what fits in its FIFO through the tty layer.
 */
#include "linux_sys.h"

#define AT_FDCWD		   (-100)
#define O_RDONLY		   0
#define O_WRONLY		   1
#define SYSLOG_ACTION_READ_ALL	   3
#define LINUX_REBOOT_MAGIC1	   0xfee1dead
#define LINUX_REBOOT_MAGIC2	   0x28121969
#define LINUX_REBOOT_CMD_POWER_OFF 0x4321fedc
#define UTS_LEN			   65

struct utsname {
	char sysname[UTS_LEN], nodename[UTS_LEN], release[UTS_LEN], version[UTS_LEN],
		machine[UTS_LEN], domainname[UTS_LEN];
};

static char klog[1 << 17]; /* the kernel's log buffer at its default size */
static int out_fd = 1;

/* Lines are never initialized whole: zeroing the buffer would call memset, which nothing
 * provides here. */
struct line {
	char buf[256];
	size_t n;
};

static void put(struct line *l, const char *s, size_t max)
{
	for (size_t i = 0; i < max && s[i] && l->n < sizeof(l->buf) - 1; i++)
		l->buf[l->n++] = s[i];
}

static void put_u64(struct line *l, uint64_t v)
{
	char digits[24];
	size_t d = 0;

	do {
		digits[d++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (d && l->n < sizeof(l->buf) - 1)
		l->buf[l->n++] = digits[--d];
}

/* Starts @l as every line starts: "polyvisor-init: " and @what. */
static void begin(struct line *l, const char *what)
{
	l->n = 0;
	put(l, "polyvisor-init: ", 64);
	put(l, what, 64);
}

/* Ends @l with a newline and writes it in one call (one kernel log record). */
static void emit(struct line *l)
{
	l->buf[l->n++] = '\n';
	sys3(SYS_WRITE, out_fd, (long)l->buf, (long)l->n);
	l->n = 0;
}

static void say(const char *what, const char *value, size_t max)
{
	struct line l;

	begin(&l, what);
	put(&l, value, max);
	emit(&l);
}

/* A small file's first line (sysfs), or "?" when it cannot be read. */
static void first_line(const char *path, char *buf, size_t size)
{
	long fd = sys3(SYS_OPENAT, AT_FDCWD, (long)path, O_RDONLY);
	long n = fd < 0 ? -1 : sys3(SYS_READ, fd, (long)buf, (long)size - 1);

	if (fd >= 0)
		sys3(SYS_CLOSE, fd, 0, 0);
	if (n <= 0) {
		buf[0] = '?';
		n = 1;
	}
	buf[n] = '\0';
	for (long i = 0; i < n; i++)
		if (buf[i] == '\n')
			buf[i] = '\0';
}

/* Kernel messages of level error or worse: raw log records start "<0>" to "<3>". */
static void kernel_errors(void)
{
	long len = sys3(SYS_SYSLOG, SYSLOG_ACTION_READ_ALL, (long)klog, sizeof(klog));
	uint64_t errors = 0;
	struct line l;

	for (long i = 0; i < len;) {
		long end = i;

		while (end < len && klog[end] != '\n')
			end++;
		if (end - i >= 3 && klog[i] == '<' && klog[i + 1] >= '0' && klog[i + 1] <= '3' &&
		    klog[i + 2] == '>') {
			errors++;
			say("kernel error: ", klog + i, (size_t)(end - i));
		}
		i = end + 1;
	}
	begin(&l, "kernel errors ");
	put_u64(&l, errors);
	emit(&l);
}

void _start(void) __attribute__((noreturn));

void _start(void)
{
	uint64_t start = counter();
	struct utsname u;
	struct line l;
	char cpus[64];
	long kmsg;

	sys5(SYS_MOUNT, (long)"devtmpfs", (long)"/dev", (long)"devtmpfs", 0, 0);
	kmsg = sys3(SYS_OPENAT, AT_FDCWD, (long)"/dev/kmsg", O_WRONLY);
	if (kmsg >= 0)
		out_fd = (int)kmsg;
	begin(&l, "counter ");
	put_u64(&l, start);
	emit(&l);
	sys5(SYS_MOUNT, (long)"proc", (long)"/proc", (long)"proc", 0, 0);
	sys5(SYS_MOUNT, (long)"sysfs", (long)"/sys", (long)"sysfs", 0, 0);
	if (sys3(SYS_UNAME, (long)&u, 0, 0) == 0) {
		begin(&l, "kernel ");
		put(&l, u.release, UTS_LEN);
		put(&l, " ", 1);
		put(&l, u.machine, UTS_LEN);
		emit(&l);
	}
	first_line("/sys/devices/system/cpu/online", cpus, sizeof(cpus));
	say("cpus online ", cpus, sizeof(cpus));
	kernel_errors();
	say("done, powering off", "", 0);
	sys5(SYS_REBOOT, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_POWER_OFF, 0,
	     0);
	sys3(SYS_EXIT, 1, 0, 0);
	for (;;)
		;
}
