/* SPDX-License-Identifier: MIT */
/* The guest suite's binary, embedded in the hypervisor image when CONFIG_GUEST_SUITE is set. */
#ifndef GUEST_EMBED_H
#define GUEST_EMBED_H

extern const char guest_suite_image[];
extern const char guest_suite_image_end[];

#endif
