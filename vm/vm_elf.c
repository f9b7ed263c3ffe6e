// SPDX-License-Identifier: MIT
/* ELF64 reading for guest images (vm/vm_elf.h). */
#include <pv/fmt.h>
#include <string.h>
#include <vm/vm_elf.h>

#define ELF_EHDR_SIZE 64
#define ELF_PHDR_SIZE 56
#define ELF_PT_LOAD   1
#define ELF_ET_EXEC   2

/* Little-endian fields at byte offsets, read without alignment assumptions. */
static uint64_t le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = n; i > 0; i--)
		v = v << 8 | p[i - 1];
	return v;
}

int vm_elf_read(const void *data, uint64_t size, uint16_t machine, struct vm_elf *out, char *why,
		size_t why_len)
{
	const uint8_t *f = data;
	uint64_t phoff, phentsize, phnum;

	memset(out, 0, sizeof(*out));
	if (size < ELF_EHDR_SIZE || memcmp(f, "\177ELF", 4) != 0) {
		pv_snprintf(why, why_len, "not an ELF file");
		return -PV_EINVAL;
	}
	if (f[4] != 2 || f[5] != 1) {
		pv_snprintf(why, why_len, "not a little-endian 64-bit ELF file");
		return -PV_EINVAL;
	}
	if (le(f + 16, 2) != ELF_ET_EXEC || le(f + 18, 2) != machine) {
		pv_snprintf(why, why_len,
			    "not an executable for this architecture (type %u, machine %u)",
			    (unsigned)le(f + 16, 2), (unsigned)le(f + 18, 2));
		return -PV_EINVAL;
	}
	out->entry = le(f + 24, 8);
	phoff = le(f + 32, 8);
	phentsize = le(f + 54, 2);
	phnum = le(f + 56, 2);
	if (phentsize < ELF_PHDR_SIZE || phoff > size || phnum > (size - phoff) / phentsize) {
		pv_snprintf(why, why_len, "program headers lie outside the file");
		return -PV_EINVAL;
	}
	for (uint64_t i = 0; i < phnum; i++) {
		const uint8_t *ph = f + phoff + i * phentsize;
		struct vm_elf_segment s = {
			.offset = le(ph + 8, 8),
			.paddr = le(ph + 24, 8),
			.filesz = le(ph + 32, 8),
			.memsz = le(ph + 40, 8),
		};

		if (le(ph, 4) != ELF_PT_LOAD || s.memsz == 0)
			continue;
		if (s.filesz > s.memsz || s.offset > size || s.filesz > size - s.offset ||
		    s.paddr + s.memsz < s.paddr) {
			pv_snprintf(why, why_len, "segment %u lies outside the file or wraps",
				    (unsigned)i);
			return -PV_EINVAL;
		}
		if (out->nseg >= VM_ELF_MAX_SEGMENTS) {
			pv_snprintf(why, why_len, "more than %u loadable segments",
				    VM_ELF_MAX_SEGMENTS);
			return -PV_EINVAL;
		}
		out->seg[out->nseg++] = s;
	}
	if (out->nseg == 0) {
		pv_snprintf(why, why_len, "no loadable segment");
		return -PV_EINVAL;
	}
	return PV_OK;
}
