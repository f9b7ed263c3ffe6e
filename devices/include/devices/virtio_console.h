/* SPDX-License-Identifier: MIT */
/*
 * virtio-console over virtio-mmio: one port (no MULTIPORT), the guest's console as an
 * alternative to a UART (Linux: /dev/hvc0, console=hvc0). What the guest transmits goes to the
 * VM's console (vm_console_putc: a line at a time, prefixed with the VM's name).
 * virtio_console_input hands bytes typed for the VM to the guest's receive buffers: when the VM
 * has no UART before it in its description, it is the VM's console input device (vm/console.h),
 * and input that found no buffer waits in the console until the driver posts some.
 */
#ifndef DEVICES_VIRTIO_CONSOLE_H
#define DEVICES_VIRTIO_CONSOLE_H

#include <devices/virtio_mmio.h>

#define VIRTIO_CONSOLE_QUEUE	 64u
#define VIRTIO_CONSOLE_CHAIN	 8u
#define VIRTIO_CONSOLE_CFG_BYTES 12u /* cols, rows, max_nr_ports, emerg_write: all zero */
#define VIRTIO_CONSOLE_RX	 0u
#define VIRTIO_CONSOLE_TX	 1u

struct virtio_console {
	struct virtio_mmio t;
	struct virtq q[2];
	struct vq_buf chain[2][VIRTIO_CONSOLE_CHAIN];
	uint8_t config[VIRTIO_CONSOLE_CFG_BYTES];
};

/* Gives @len bytes of input to the guest, as far as its receive buffers take them. Returns how
 * many were taken (0 when the driver has not started or posted no buffer). Context: any CPU, no
 * lock of the device held. */
size_t virtio_console_input(struct virtio_console *con, const char *buf, size_t len);

/* Its model, "polyvisor,virtio-console" in VM descriptions. */
extern const struct vdev_model virtio_console_model;

#endif
