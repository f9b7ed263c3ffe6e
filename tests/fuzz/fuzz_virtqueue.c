// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the split-virtqueue parser (devices/virtqueue.c) and the guest-memory
 * translation under it (vm/guest_mem.c). A VM with 64 KiB of RAM in two chunks (backed by two
 * separate host buffers, so copies split) holds a queue whose rings sit at addresses the input may
 * choose; the input's bytes are the descriptor table and the available ring. The device then takes
 * chains as a device would (copying out of and into every buffer, returning each) until the queue
 * is empty or refused. Checked: no memory error (ASan, UBSan), every buffer of every chain is RAM,
 * a chain never holds more buffers than the device's scratch, totals add up, and the device never
 * believes more chains are outstanding than the queue holds.
 *
 * Input: [0] log2 of the queue size, [1] chain limit, [2] flags (bit 0: ring addresses from the
 * input), [3..8] three 16-bit ring offsets (with bit 0), then the bytes of the rings.
 */
#include <devices/virtqueue.h>
#include <hal/hal.h>
#include <hal/page_pool.h>
#include <stdlib.h>
#include <string.h>
#include <vm/guest_mem.h>
#include <vm/vm.h>

#define RAM_GPA	  0x40000000ULL
#define CHUNK	  0x8000ULL /* two chunks of 32 KiB */
#define DESC_OFF  0x1000u
#define AVAIL_OFF 0x3000u
#define USED_OFF  0x4000u

static void no_clean(void *va, size_t len)
{
	(void)va;
	(void)len;
}

/* guest_mem.c cleans caches through the HAL; nothing here needs it. */
const struct hal_cpu_ops hal_cpu = { .dcache_clean_inval = no_clean };

static struct vm vm;
static struct page_pool pool;
static uint8_t *arena;
static uint64_t bitmap[PAGE_POOL_BITMAP_WORDS(64)];

/* Two chunks mapped far apart in the pool, in reverse host order, so guest-contiguous bytes are
 * not host-contiguous. */
static void setup_once(void)
{
	if (arena)
		return;
	arena = aligned_alloc(4096, 64 * 4096);
	if (!arena || page_pool_init(&pool, hpa(0x100000000ULL), arena, 64, bitmap))
		abort();
	vm.pool = &pool;
	vm.nchunks = 2;
	vm.chunks[0] = (struct vm_mem_chunk){ gpa(RAM_GPA), hpa(0x100000000ULL + 0x20000), CHUNK, 3,
					      false };
	vm.chunks[1] =
		(struct vm_mem_chunk){ gpa(RAM_GPA + CHUNK), hpa(0x100000000ULL), CHUNK, 3, false };
}

static uint16_t u16_at(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static void put(uint64_t gpa_raw, const uint8_t *src, size_t len)
{
	/* Clipped to RAM: the input may be longer than the room after an area. */
	uint64_t end = RAM_GPA + 2 * CHUNK;

	if (gpa_raw >= end)
		return;
	if (len > end - gpa_raw)
		len = (size_t)(end - gpa_raw);
	if (vm_write_guest(&vm, gpa(gpa_raw), src, len))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vq_buf scratch[64];
	static uint8_t copy[2 * CHUNK];
	struct virtq q;
	uint16_t chain_max;
	unsigned taken = 0;

	setup_once();
	if (size < 9)
		return 0;
	memset(arena, 0, 64 * 4096);
	chain_max = (uint16_t)(data[1] % 64 + 1);
	vq_init(&q, 256, scratch, chain_max);
	q.num = (uint16_t)(1u << (data[0] % 10)); /* up to 512: beyond max is refused */
	if (data[2] & 1) {
		q.desc = RAM_GPA + u16_at(data + 3) * 2ULL;
		q.avail = RAM_GPA + u16_at(data + 5) * 2ULL;
		q.used = RAM_GPA + u16_at(data + 7) * 2ULL;
	} else {
		q.desc = RAM_GPA + DESC_OFF;
		q.avail = RAM_GPA + AVAIL_OFF;
		q.used = RAM_GPA + USED_OFF;
	}
	data += 9;
	size -= 9;
	/* The input's bytes: the descriptor table first, the rest the available ring. */
	{
		size_t ndesc =
			size < VIRTQ_DESC_AREA(q.num) ? size : (size_t)VIRTQ_DESC_AREA(q.num);

		put(q.desc, data, ndesc);
		put(q.avail, data + ndesc, size - ndesc);
	}
	if (vq_enable(&q, &vm))
		return 0;
	for (;;) {
		struct vq_chain c;
		uint64_t out = 0, in = 0;
		int rc = vq_pop(&q, &vm, &c);

		if (rc <= 0)
			break;
		/* Never more chains outstanding than the queue holds: the index was checked. (A
		 * guest may overlap its rings, so the used ring's writes can publish more chains:
		 * a device takes at most a queue's worth per notification, as here.) */
		if ((uint16_t)(q.avail_shadow - q.last_avail) > q.num)
			abort();
		if (++taken > q.max)
			break;
		if (c.n == 0 || c.n > chain_max || c.nout > c.n || c.buf != scratch)
			abort();
		for (unsigned i = 0; i < c.n; i++) {
			if (c.buf[i].write != (i >= c.nout))
				abort();
			if (c.buf[i].len &&
			    vm_gpa_pieces(&vm, gpa(c.buf[i].addr), c.buf[i].len, NULL, 0) < 0)
				abort();
			if (c.buf[i].write)
				in += c.buf[i].len;
			else
				out += c.buf[i].len;
		}
		if (out != c.out_len || in != c.in_len)
			abort();
		/* Buffers are within RAM, so whole parts fit the copy buffer... unless they
		 * overlap each other, which a guest may do: clip. */
		if (vq_read(&vm, &c, 0, copy, out < sizeof(copy) ? out : sizeof(copy)))
			abort();
		if (vq_write(&vm, &c, 0, copy, in < sizeof(copy) ? in : sizeof(copy)))
			abort();
		if (vq_read(&vm, &c, out, copy, 1) != -PV_EINVAL)
			abort();
		if (vq_push(&q, &vm, c.head, (uint32_t)(in < sizeof(copy) ? in : sizeof(copy))) < 0)
			abort();
	}
	return 0;
}
