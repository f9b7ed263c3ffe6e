// SPDX-License-Identifier: MIT
/* The VMs this board starts. None yet: the backend cannot run guests. */
#include <vm/vm.h>

const struct vm_config *const *const board_vm_configs = NULL;
const unsigned board_vm_count = 0;
