// SPDX-License-Identifier: MIT
#include "pv_test.h"

#include "vdrv.h"

#include <string.h>
#include <vm/guest_mem.h>

/* Register offsets the driver uses (virtio 1.x, 4.2.2). */
enum {
	R_DEV_FEAT = 0x010,
	R_DEV_FEAT_SEL = 0x014,
	R_DRV_FEAT = 0x020,
	R_DRV_FEAT_SEL = 0x024,
	R_QSEL = 0x030,
	R_QNUM_MAX = 0x034,
	R_QNUM = 0x038,
	R_QREADY = 0x044,
	R_NOTIFY = 0x050,
	R_ISR = 0x060,
	R_STATUS = 0x070,
	R_QDESC = 0x080,
	R_QDRIVER = 0x090,
	R_QDEVICE = 0x0a0,
};

int vdrv_access(struct vdrv *d, bool write, uint64_t off, unsigned width, uint64_t *v)
{
	struct vcpu *vcpu = &d->vm->vcpus[0];

	return write ? d->dev->ops->write(d->dev, vcpu, off, width, *v)
		     : d->dev->ops->read(d->dev, vcpu, off, width, v);
}

uint32_t vdrv_rd(struct vdrv *d, uint64_t off)
{
	uint64_t v = 0xdeadbeef;

	assert_int_equal(vdrv_access(d, false, off, 4, &v), PV_OK);
	return (uint32_t)v;
}

void vdrv_wr(struct vdrv *d, uint64_t off, uint32_t v)
{
	uint64_t x = v;

	assert_int_equal(vdrv_access(d, true, off, 4, &x), PV_OK);
}

void *vdrv_mem(struct vdrv *d, uint64_t gpa_raw, uint64_t len)
{
	void *p = vm_gpa_ptr(d->vm, gpa(gpa_raw), len);

	assert_non_null(p);
	return p;
}

static void vdrv_wr64(struct vdrv *d, uint64_t off, uint64_t v)
{
	vdrv_wr(d, off, (uint32_t)v);
	vdrv_wr(d, off + 4, (uint32_t)(v >> 32));
}

void vdrv_start(struct vdrv *d, struct vm *vm, uint64_t base, uint64_t want, unsigned nq,
		uint16_t num, uint64_t rings)
{
	uint64_t offered;

	assert_true(nq <= VDRV_MAX_Q);
	*d = (struct vdrv){ .vm = vm, .nq = nq };
	d->dev = vdev_find(vm, VDEV_SPACE_MMIO, base, 4);
	assert_non_null(d->dev);
	assert_int_equal(vdrv_rd(d, 0x000), 0x74726976);
	assert_int_equal(vdrv_rd(d, 0x004), 2);
	vdrv_wr(d, R_STATUS, 0);
	vdrv_wr(d, R_STATUS, VIRTIO_STATUS_ACKNOWLEDGE);
	vdrv_wr(d, R_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	vdrv_wr(d, R_DEV_FEAT_SEL, 0);
	offered = vdrv_rd(d, R_DEV_FEAT);
	vdrv_wr(d, R_DEV_FEAT_SEL, 1);
	offered |= (uint64_t)vdrv_rd(d, R_DEV_FEAT) << 32;
	want = (want & offered) | PV_BIT(VIRTIO_F_VERSION_1);
	vdrv_wr(d, R_DRV_FEAT_SEL, 0);
	vdrv_wr(d, R_DRV_FEAT, (uint32_t)want);
	vdrv_wr(d, R_DRV_FEAT_SEL, 1);
	vdrv_wr(d, R_DRV_FEAT, (uint32_t)(want >> 32));
	vdrv_wr(d, R_STATUS, 0x0b);
	assert_true(vdrv_rd(d, R_STATUS) & VIRTIO_STATUS_FEATURES_OK);
	for (unsigned i = 0; i < nq; i++) {
		struct vdrv_q *q = &d->q[i];

		q->num = num;
		q->desc = rings + 0x3000u * i;
		q->avail = q->desc + 0x1000;
		q->used = q->desc + 0x2000;
		memset(vdrv_mem(d, q->desc, 0x3000), 0, 0x3000);
		vdrv_wr(d, R_QSEL, i);
		assert_true(vdrv_rd(d, R_QNUM_MAX) >= num);
		vdrv_wr(d, R_QNUM, num);
		vdrv_wr64(d, R_QDESC, q->desc);
		vdrv_wr64(d, R_QDRIVER, q->avail);
		vdrv_wr64(d, R_QDEVICE, q->used);
		vdrv_wr(d, R_QREADY, 1);
		assert_int_equal(vdrv_rd(d, R_QREADY), 1);
	}
	vdrv_wr(d, R_STATUS, 0x0f);
	assert_int_equal(vdrv_rd(d, R_STATUS), 0x0f);
}

void vdrv_desc(struct vdrv *d, unsigned q, uint16_t i, uint64_t addr, uint32_t len, uint16_t flags,
	       uint16_t next)
{
	uint8_t *p = vdrv_mem(d, d->q[q].desc + 16u * i, 16);

	memcpy(p, &addr, 8);
	memcpy(p + 8, &len, 4);
	memcpy(p + 12, &flags, 2);
	memcpy(p + 14, &next, 2);
}

void vdrv_avail_idx(struct vdrv *d, unsigned q, uint16_t idx)
{
	memcpy(vdrv_mem(d, d->q[q].avail + 2, 2), &idx, 2);
}

void vdrv_avail(struct vdrv *d, unsigned q, uint16_t head)
{
	struct vdrv_q *vq = &d->q[q];

	memcpy(vdrv_mem(d, vq->avail + 4 + 2u * (vq->avail_idx % vq->num), 2), &head, 2);
	vq->avail_idx++;
	vdrv_avail_idx(d, q, vq->avail_idx);
}

void vdrv_notify(struct vdrv *d, unsigned q)
{
	vdrv_wr(d, R_NOTIFY, q);
}

bool vdrv_used(struct vdrv *d, unsigned q, uint32_t *id, uint32_t *len)
{
	struct vdrv_q *vq = &d->q[q];
	uint16_t idx;
	const uint8_t *e;

	memcpy(&idx, vdrv_mem(d, vq->used + 2, 2), 2);
	if (idx == vq->used_seen)
		return false;
	e = vdrv_mem(d, vq->used + 4 + 8u * (vq->used_seen % vq->num), 8);
	memcpy(id, e, 4);
	memcpy(len, e + 4, 4);
	vq->used_seen++;
	return true;
}

uint32_t vdrv_status(struct vdrv *d)
{
	return vdrv_rd(d, R_STATUS);
}

uint32_t vdrv_isr(struct vdrv *d)
{
	return vdrv_rd(d, R_ISR);
}
