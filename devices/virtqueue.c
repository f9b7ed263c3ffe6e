// SPDX-License-Identifier: MIT
/* The split virtqueue, device side (devices/virtqueue.h). */
#include <devices/virtqueue.h>
#include <string.h>
#include <vm/guest_mem.h>
#include <vm/vm.h>

/* A descriptor as read from the guest, field by field, once. */
struct vq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

void vq_init(struct virtq *q, uint16_t max, struct vq_buf *chain, uint16_t chain_max)
{
	*q = (struct virtq){ .max = max, .chain = chain, .chain_max = chain_max };
	pv_spin_init(&q->lock);
}

void vq_reset(struct virtq *q)
{
	q->num = 0;
	q->desc = q->avail = q->used = 0;
	q->ready = false;
	q->last_avail = q->avail_shadow = q->used_idx = 0;
	q->fault = (struct vq_fault){ 0 };
}

static int vq_fail(struct virtq *q, const char *what, uint64_t value)
{
	q->fault = (struct vq_fault){ what, value };
	return -PV_EFAULT;
}

/* A naturally aligned field of @size bytes at @addr: one chunk of RAM when it is RAM at all. */
static void *vq_field(const struct vm *vm, uint64_t addr, unsigned size)
{
	return vm_gpa_ptr(vm, gpa(addr), size);
}

static bool vq_area_ok(const struct vm *vm, uint64_t addr, uint64_t size, uint64_t align)
{
	return PV_IS_ALIGNED(addr, align) && vm_gpa_pieces(vm, gpa(addr), size, NULL, 0) >= 0;
}

int vq_enable(struct virtq *q, const struct vm *vm)
{
	if (q->num == 0 || q->num > q->max || (q->num & (q->num - 1)))
		return vq_fail(q, "queue size is not a power of two up to QueueNumMax", q->num);
	if (!vq_area_ok(vm, q->desc, VIRTQ_DESC_AREA(q->num), VIRTQ_DESC_ALIGN))
		return vq_fail(q, "descriptor table is not aligned RAM", q->desc);
	if (!vq_area_ok(vm, q->avail, VIRTQ_AVAIL_AREA(q->num), VIRTQ_AVAIL_ALIGN))
		return vq_fail(q, "available ring is not aligned RAM", q->avail);
	if (!vq_area_ok(vm, q->used, VIRTQ_USED_AREA(q->num), VIRTQ_USED_ALIGN))
		return vq_fail(q, "used ring is not aligned RAM", q->used);
	q->last_avail = q->avail_shadow = q->used_idx = 0;
	q->fault = (struct vq_fault){ 0 };
	q->ready = true;
	return PV_OK;
}

/* The guest may change its memory at any time: every field is read exactly once, with a single
 * load the compiler may neither repeat nor split. */
static uint16_t vq_load16(const void *p)
{
	return __atomic_load_n((const uint16_t *)p, __ATOMIC_RELAXED);
}

static int vq_read_desc(struct virtq *q, const struct vm *vm, uint16_t i, struct vq_desc *d)
{
	const uint8_t *p = vq_field(vm, q->desc + (uint64_t)i * VIRTQ_DESC_SIZE, VIRTQ_DESC_SIZE);

	if (!p)
		return vq_fail(q, "descriptor table is not RAM", q->desc);
	d->addr = __atomic_load_n((const uint64_t *)p, __ATOMIC_RELAXED);
	d->len = __atomic_load_n((const uint32_t *)(p + 8), __ATOMIC_RELAXED);
	d->flags = vq_load16(p + 12);
	d->next = vq_load16(p + 14);
	return PV_OK;
}

/* Whether the driver published chains the device has not taken; reads its index when the
 * device has taken every chain it knew of. */
static int vq_more(struct virtq *q, const struct vm *vm)
{
	const void *idx_p;
	uint16_t idx;

	if (q->last_avail != q->avail_shadow)
		return 1;
	idx_p = vq_field(vm, q->avail + 2, 2);
	if (!idx_p)
		return vq_fail(q, "available ring is not RAM", q->avail);
	idx = vq_load16(idx_p);
	/* More outstanding chains than the queue holds: the index is garbage. */
	if ((uint16_t)(idx - q->last_avail) > q->num)
		return vq_fail(q, "available index runs more than the queue size ahead", idx);
	q->avail_shadow = idx;
	if (idx == q->last_avail)
		return 0;
	/* Ring entries and descriptors are read after the index that published them. */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	return 1;
}

int vq_pop(struct virtq *q, const struct vm *vm, struct vq_chain *c)
{
	const void *slot;
	uint16_t head, i, n = 0, nout = 0;
	uint64_t out_len = 0, in_len = 0;
	int more = vq_more(q, vm);

	if (more <= 0)
		return more;
	slot = vq_field(vm, q->avail + 4 + 2u * (uint64_t)(q->last_avail & (q->num - 1)), 2);
	if (!slot)
		return vq_fail(q, "available ring is not RAM", q->avail);
	head = vq_load16(slot);
	if (head >= q->num)
		return vq_fail(q, "available ring names descriptor out of range", head);
	for (i = head;;) {
		struct vq_desc d;
		struct vq_buf *b;

		/* Each descriptor at most once: the (num+1)th one of a chain is a repeat. */
		if (n >= q->num)
			return vq_fail(q, "descriptor chain loops, from head", head);
		if (n >= q->chain_max)
			return vq_fail(q, "descriptor chain longer than the device takes",
				       q->chain_max);
		if (vq_read_desc(q, vm, i, &d))
			return -PV_EFAULT;
		if (d.flags & VIRTQ_DESC_F_INDIRECT)
			return vq_fail(q, "indirect descriptor (not negotiated)", i);
		if (!(d.flags & VIRTQ_DESC_F_WRITE) && n > nout)
			return vq_fail(q, "device-readable descriptor after a device-writable one",
				       i);
		if (d.len && vm_gpa_pieces(vm, gpa(d.addr), d.len, NULL, 0) < 0)
			return vq_fail(q, "buffer is not the VM's RAM", d.addr);
		b = &q->chain[n++];
		*b = (struct vq_buf){ d.addr, d.len, (d.flags & VIRTQ_DESC_F_WRITE) != 0 };
		if (b->write) {
			in_len += d.len;
		} else {
			out_len += d.len;
			nout++;
		}
		if (!(d.flags & VIRTQ_DESC_F_NEXT))
			break;
		if (d.next >= q->num)
			return vq_fail(q, "next descriptor out of range", d.next);
		i = d.next;
	}
	q->last_avail++;
	*c = (struct vq_chain){ .head = head,
				.n = n,
				.nout = nout,
				.out_len = out_len,
				.in_len = in_len,
				.buf = q->chain };
	return 1;
}

int vq_push(struct virtq *q, const struct vm *vm, uint16_t head, uint32_t len)
{
	uint64_t elem = q->used + 4 + 8u * (uint64_t)(q->used_idx & (q->num - 1));
	/* An element is only 4-byte aligned: its two words, each within a page, are separate. */
	uint32_t *id_p = vq_field(vm, elem, 4), *len_p = vq_field(vm, elem + 4, 4);
	uint16_t *idx_p = vq_field(vm, q->used + 2, 2);
	const uint16_t *flags_p = vq_field(vm, q->avail, 2);

	if (!id_p || !len_p || !idx_p || !flags_p)
		return vq_fail(q, "used ring is not RAM", q->used);
	__atomic_store_n(id_p, head, __ATOMIC_RELAXED);
	__atomic_store_n(len_p, len, __ATOMIC_RELAXED);
	q->used_idx++;
	/* The element before the index that publishes it; the index before the flag that says
	 * whether the driver, which checks for used entries after setting it, wants a signal. */
	__atomic_store_n(idx_p, q->used_idx, __ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return (vq_load16(flags_p) & VIRTQ_AVAIL_F_NO_INTERRUPT) ? 0 : 1;
}

/* Copies between @buf and the chain's part [first, last) of buffers, from byte @off of it. */
static int vq_copy(const struct vm *vm, const struct vq_chain *c, bool to_guest, uint64_t off,
		   uint8_t *buf, uint64_t len)
{
	unsigned first = to_guest ? c->nout : 0, last = to_guest ? c->n : c->nout;
	uint64_t total = to_guest ? c->in_len : c->out_len;

	if (off > total || len > total - off)
		return -PV_EINVAL;
	for (unsigned b = first; b < last && len; b++) {
		const struct vq_buf *vb = &c->buf[b];
		struct vm_gpa_piece p[VM_MAX_MEM_CHUNKS];
		uint64_t skip, n;
		int np;

		if (off >= vb->len) {
			off -= vb->len;
			continue;
		}
		skip = off;
		off = 0;
		n = vb->len - skip < len ? vb->len - skip : len;
		np = vm_gpa_pieces(vm, gpa(vb->addr + skip), n, p, VM_MAX_MEM_CHUNKS);
		if (np < 0)
			return -PV_EFAULT;
		for (int k = 0; k < np; k++) {
			if (to_guest)
				memcpy(p[k].host, buf, (size_t)p[k].len);
			else
				memcpy(buf, p[k].host, (size_t)p[k].len);
			buf += p[k].len;
		}
		len -= n;
	}
	return PV_OK;
}

int vq_read(const struct vm *vm, const struct vq_chain *c, uint64_t off, void *dst, uint64_t len)
{
	return vq_copy(vm, c, false, off, dst, len);
}

int vq_write(const struct vm *vm, const struct vq_chain *c, uint64_t off, const void *src,
	     uint64_t len)
{
	return vq_copy(vm, c, true, off, (uint8_t *)(uintptr_t)src, len);
}
