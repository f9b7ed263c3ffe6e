// SPDX-License-Identifier: MIT
/*
 * What the hypervisor's core expects from the machine, for pv-vmdesc on the host: a board with the
 * image's CPU count, a backend with no vCPU operations (the checker never runs a guest), and the
 * console (the core's hal/console.c) writing to stderr.
 */
#include <hal/arch_backend.h>
#include <hal/hal.h>
#include <stdio.h>
#include <stdlib.h>

static PV_NORETURN void host_off(void)
{
	exit(3);
}

static unsigned host_cpu_id(void)
{
	return 0;
}

static uint64_t host_zero(void)
{
	return 0;
}

static uint64_t host_one(void)
{
	return 1;
}

/* Lines end in LF on the host: the console's CR is left out. */
static void host_putc(char c)
{
	if (c != '\r')
		fputc(c, stderr);
}

const struct hal_board_ops hal_board = {
	.name = "pv-vmdesc",
	.max_cpus = CONFIG_MAX_CPUS,
	.console_putc = host_putc,
	.power_off = host_off,
	.reset = host_off,
};

const struct hal_cpu_ops hal_cpu = {
	.arch_name = CONFIG_ARCH,
	.cpu_id = host_cpu_id,
	.timer_now = host_zero,
	.timer_freq = host_one,
};

static const struct vcpu_ops host_vcpu_ops = { 0 };

const struct arch_backend arch_backend = {
	.name = CONFIG_ARCH,
	.vcpu = &host_vcpu_ops,
};
