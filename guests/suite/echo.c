// SPDX-License-Identifier: MIT
/*
 * Echo mode: a guest that keeps running next to others and answers what is typed for it, so a
 * console test can show that this VM receives input, and that it keeps its state (the line
 * count) while another VM restarts. It waits for input with the UART's receive interrupt where
 * the arch layer wires it (unless its mode asks for polling), and polls 100 times a second
 * otherwise.
 */
#include <guest/garch.h>

#include "suite.h"

#define G_ECHO_LINE    72
#define G_ECHO_POLL_HZ 100

/* Waits for the next typed byte. */
static int g_echo_getc(bool irq)
{
	for (;;) {
		int c = g_getc();

		if (c >= 0)
			return c;
		/* Masked, so an interrupt between the check and the wait is not lost: the wait
		 * returns at once when one is pending, and unmasking takes it. */
		g_irq_off();
		c = g_getc();
		if (c >= 0)
			return c;
		/* Polling: look again a tick later rather than spin on trapped accesses, which
		 * would take the CPU from everyone sharing the emulator's time. */
		if (!irq)
			g_timer_oneshot(g_counter() + g_counter_freq() / G_ECHO_POLL_HZ);
		g_wait_irq_masked();
	}
}

void g_echo(bool poll)
{
	bool irq = !poll && g_input_irq_on();
	char line[G_ECHO_LINE + 1];
	unsigned len = 0, count = 0;

	g_printf("echo: ready (input by %s); type a line\n", irq ? "interrupt" : "polling");
	for (;;) {
		int c = g_echo_getc(irq);

		if (c == '\r' || c == '\n') {
			if (!len)
				continue;
			line[len] = '\0';
			g_printf("echo: line %u: %s\n", ++count, line);
			len = 0;
		} else if (len < G_ECHO_LINE && c >= 0x20 && c < 0x7f) {
			line[len++] = (char)c;
		}
	}
}
