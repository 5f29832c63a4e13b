/* SPDX-License-Identifier: MIT */
/*
 * Fast channels, the agent's side (fastchan.h): the check of a described
 * channel, the driver's own mapping of the region, and the channel words'
 * accesses (32-bit, little-endian, atomic: the platform reads and writes
 * them at any time).
 */
#include <endian.h>
#include <errno.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>

#include "fastchan.h"

/* Whether [off, off + size) and [a_off, a_off + a_size) share a byte. */
static bool overlaps(uint64_t off, uint64_t size, uint64_t a_off,
		     uint64_t a_size)
{
	return off < a_off + a_size && a_off < off + size;
}

int scmi_fc_check(const struct scmi_fc_layout *l, uint64_t addr,
		  uint32_t size, uint32_t want)
{
	if (size != want || addr % 4 != 0)
		return -EPROTO;
	if (addr > l->region_size || size > l->region_size - addr)
		return -EPROTO;
	if (overlaps(addr, size, l->a2p_off, l->a2p_size) ||
	    overlaps(addr, size, l->p2a_off, l->p2a_size))
		return -EPROTO;
	return 0;
}

int scmi_fc_map(struct scmi_agent *a, struct scmi_fc_map *m)
{
	struct scmi_fc_layout l;
	void *region, *p;
	int ret;

	memset(m, 0, sizeof(*m));
	ret = scmi_agent_region(a, &region, &l);
	if (ret)
		return ret;
	/* old_size 0: a new mapping of the same shared pages */
	p = mremap(region, 0, l.region_size, MREMAP_MAYMOVE);
	if (p == MAP_FAILED)
		return -errno;
	m->base = p;
	m->layout = l;
	return 0;
}

void scmi_fc_unmap(struct scmi_fc_map *m)
{
	if (m->base)
		munmap(m->base, m->layout.region_size);
	memset(m, 0, sizeof(*m));
}

uint32_t scmi_fc_read(_Atomic uint32_t *w)
{
	return le32toh(atomic_load_explicit(w, memory_order_acquire));
}

void scmi_fc_write(_Atomic uint32_t *w, uint32_t v)
{
	atomic_store_explicit(w, htole32(v), memory_order_release);
}
