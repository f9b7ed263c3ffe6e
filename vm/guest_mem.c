// SPDX-License-Identifier: MIT
/* Guest RAM reached from the hypervisor (vm/guest_mem.h), and the copies built on it. */
#include <hal/hal.h>
#include <string.h>
#include <vm/guest_mem.h>
#include <vm/vm.h>

/* The chunk of guest RAM holding @addr, or NULL. */
static const struct vm_mem_chunk *vm_chunk(const struct vm *vm, uint64_t addr)
{
	for (unsigned i = 0; i < vm->nchunks; i++) {
		const struct vm_mem_chunk *c = &vm->chunks[i];

		if (addr >= c->gpa.raw && addr - c->gpa.raw < c->size)
			return c;
	}
	return NULL;
}

int vm_gpa_pieces(const struct vm *vm, gpa_t addr, uint64_t len, struct vm_gpa_piece *out,
		  unsigned max)
{
	uint64_t a = addr.raw, left = len;
	int n = 0;

	if (a + len < a)
		return -PV_EFAULT;
	while (left) {
		const struct vm_mem_chunk *c = vm_chunk(vm, a);
		uint64_t off, size;

		if (!c)
			return -PV_EFAULT;
		off = a - c->gpa.raw;
		size = c->size - off < left ? c->size - off : left;
		if (out) {
			if ((unsigned)n == max)
				return -PV_ENOMEM;
			out[n].host = (uint8_t *)page_pool_virt(vm->pool, hpa(c->hpa.raw + off));
			out[n].len = size;
		}
		n++;
		a += size;
		left -= size;
	}
	return n;
}

void *vm_gpa_ptr(const struct vm *vm, gpa_t addr, uint64_t len)
{
	struct vm_gpa_piece piece;

	if (len == 0 || vm_gpa_pieces(vm, addr, len, &piece, 1) != 1)
		return NULL;
	return piece.host;
}

/* A RAM region backed by more chunks than a VM may have cannot exist: every range of RAM fits. */
#define VM_GPA_MAX_PIECES VM_MAX_MEM_CHUNKS

int vm_write_guest(struct vm *vm, gpa_t addr, const void *src, uint64_t len)
{
	struct vm_gpa_piece p[VM_GPA_MAX_PIECES];
	int n = vm_gpa_pieces(vm, addr, len, p, VM_GPA_MAX_PIECES);
	const uint8_t *from = src;

	if (n < 0)
		return -PV_EFAULT;
	for (int i = 0; i < n; i++) {
		memcpy(p[i].host, from, (size_t)p[i].len);
		from += p[i].len;
	}
	return PV_OK;
}

int vm_read_guest(struct vm *vm, gpa_t addr, void *dst, uint64_t len)
{
	struct vm_gpa_piece p[VM_GPA_MAX_PIECES];
	int n = vm_gpa_pieces(vm, addr, len, p, VM_GPA_MAX_PIECES);
	uint8_t *to = dst;

	if (n < 0)
		return -PV_EFAULT;
	for (int i = 0; i < n; i++) {
		memcpy(to, p[i].host, (size_t)p[i].len);
		to += p[i].len;
	}
	return PV_OK;
}

int vm_clean_guest(struct vm *vm, gpa_t addr, uint64_t len)
{
	struct vm_gpa_piece p[VM_GPA_MAX_PIECES];
	int n = vm_gpa_pieces(vm, addr, len, p, VM_GPA_MAX_PIECES);

	if (n < 0)
		return -PV_EFAULT;
	for (int i = 0; i < n; i++)
		hal_cpu.dcache_clean_inval(p[i].host, (size_t)p[i].len);
	return PV_OK;
}
