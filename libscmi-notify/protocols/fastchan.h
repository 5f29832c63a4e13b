/* SPDX-License-Identifier: MIT */
/*
 * Fast channels, the agent's side (SCMI-REFERENCE.md 6.4,
 * PERF_DESCRIBE_FASTCHANNEL): the check of a channel a platform
 * describes, and a mapping of the shared-memory region of a protocol
 * driver's own, in which its channels lie.
 *
 * On this transport a channel's address is its offset in the region the
 * hello announced (transport.h). A described channel is used only when it
 * lies inside the region, has the size its message needs, is aligned to
 * 4 bytes and does not touch the A2P or P2A area; anything else is the
 * platform's mistake (or malice): refused with -EPROTO.
 *
 * The driver's mapping (scmi_fc_map()) is a second mapping of the same
 * pages, made at protocol init and unmapped by the driver's fini(): a
 * public call still holding the state of a connection that went away
 * (agent.c retires it, it is not freed) writes into pages nobody reads,
 * never into an unmapped address.
 */
#ifndef SCMI_FASTCHAN_H
#define SCMI_FASTCHAN_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include <scmi/agent.h>

/* Where the areas lie in the region, as the hello said. */
struct scmi_fc_layout {
	uint64_t region_size;
	uint64_t a2p_off, a2p_size;
	uint64_t p2a_off, p2a_size;
};

/* A driver's own mapping of the region. */
struct scmi_fc_map {
	uint8_t *base;
	struct scmi_fc_layout layout;
};

/*
 * Whether a channel at offset @addr of @size bytes may be used for a
 * message whose channel is @want bytes: 0 or -EPROTO (see the top).
 */
int scmi_fc_check(const struct scmi_fc_layout *l, uint64_t addr,
		  uint32_t size, uint32_t want);

/*
 * Agent @a's region while it is connected: its mapping in *@base (the
 * channel's: valid until the connection ends) and its layout. 0 or
 * -ENOTCONN. (region.c, beside agent.c)
 */
int scmi_agent_region(struct scmi_agent *a, void **base,
		      struct scmi_fc_layout *l);

/*
 * A descriptor of agent @a's a2p_doorbell of its own (F_DUPFD_CLOEXEC),
 * for a fast channel's doorbell (transport.h): the caller closes it.
 * >= 0, -ENOTCONN, or the negative errno of fcntl(). (region.c)
 */
int scmi_agent_doorbell_dup(struct scmi_agent *a);

/*
 * Map agent @a's region a second time, for its fast channels: 0 and *@m
 * filled, -ENOTCONN, or the negative errno of mremap().
 */
int scmi_fc_map(struct scmi_agent *a, struct scmi_fc_map *m);

/* Unmap what scmi_fc_map() mapped; a zeroed map is ignored. */
void scmi_fc_unmap(struct scmi_fc_map *m);

/* The 32-bit word at @off of the mapping, which scmi_fc_check() accepted. */
static inline _Atomic uint32_t *scmi_fc_word(const struct scmi_fc_map *m,
					     uint64_t off)
{
	return (_Atomic uint32_t *)(void *)(m->base + off);
}

/* A channel word, little-endian, read once. */
uint32_t scmi_fc_read(_Atomic uint32_t *w);
void scmi_fc_write(_Atomic uint32_t *w, uint32_t v);

#endif /* SCMI_FASTCHAN_H */
