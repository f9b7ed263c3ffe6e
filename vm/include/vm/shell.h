/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor shell on the physical console (docs/console.md): list the VMs, stop one,
 * restart one, show a VM's recent output, help. It only reads state and asks for lifecycle
 * changes the VMs themselves could ask for: no command reaches memory, devices or the machine.
 * Bad input (an unknown command, a line too long, a byte that is not ASCII, a control key it
 * does not know) gets one clear message and changes nothing.
 */
#ifndef VM_SHELL_H
#define VM_SHELL_H

#include <pv/types.h>

#define SHELL_LINE 64 /* longest command line, terminator included */

/* The shell got the console focus: prompt (and what was typed so far). */
void shell_enter(void);

/* One typed byte. Context: the CPU taking console input, no lock held. */
void shell_input(uint8_t c);

/* Runs one command line, as if typed and ended with Enter. */
void shell_run(const char *line);

/* Back to an empty line (host tests). */
void shell_reset(void);

#endif
