/* SPDX-License-Identifier: MIT */
/*
 * The physical console's input: bytes the UART received go to the VM holding the console focus,
 * or to the hypervisor shell (vm/shell.h). An escape key that normal typing never produces,
 * Ctrl-] (0x1d), followed by one key switches the focus (docs/console.md):
 *   0-7  the VM with that number (as the shell's list shows them)   s  the hypervisor shell
 *   n    the next one, shell included                               r  raw output on/off
 *   ?    help                                                       Ctrl-]  a Ctrl-] for the VM
 * In raw mode the focused VM's output reaches the terminal as it is (no tag, control characters
 * and escape sequences kept), for full-screen programs; other VMs' output is kept for the shell's
 * log command instead of being shown.
 */
#ifndef VM_CONSOLE_SWITCH_H
#define VM_CONSOLE_SWITCH_H

#include <pv/types.h>

struct vm;

#define CONSOLE_ESCAPE 0x1du /* Ctrl-] */

/* The VM with the console focus, or NULL when the hypervisor shell has it. Context: any CPU. */
struct vm *console_focus(void);

/* Whether the focused VM's output passes through untouched. Context: any CPU. */
bool console_raw(void);

/* Gives the focus to @vm (NULL: the shell), says so on the console. Context: any CPU, no lock. */
void console_set_focus(struct vm *vm);

/* Bytes typed on the physical console. Context: the CPU taking the console interrupt. */
void console_input(const uint8_t *buf, size_t n);

/* Turns console input on (the UART's receive interrupt, routed to this CPU), gives the focus to
 * the first VM with a UART and prints how to switch. Context: boot CPU, VMs created. */
void console_start(void);

/* Back to the state at boot (host tests). */
void console_switch_reset(void);

#endif
