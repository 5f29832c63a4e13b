/* SPDX-License-Identifier: MIT */
/*
 * The agent's shared-memory region as its protocol drivers may see it:
 * where it is mapped and where the SMT areas lie in it, for the fast
 * channels a driver finds there, and a2p_doorbell for their doorbells
 * (protocols/fastchan.h). Called on the
 * connecting thread, during a driver's init().
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>

#include "agent-priv.h"
#include "protocols/fastchan.h"

int scmi_agent_region(struct scmi_agent *a, void **base,
		      struct scmi_fc_layout *l)
{
	const struct scmi_channel *ch = &a->ch;
	uint8_t *region = ch->region;

	if (!region || !ch->region_size)
		return -ENOTCONN;
	*base = region;
	*l = (struct scmi_fc_layout){
		.region_size = ch->region_size,
		.a2p_off = (uint64_t)((uint8_t *)ch->a2p.base - region),
		.a2p_size = ch->a2p.size,
		.p2a_off = (uint64_t)((uint8_t *)ch->p2a.base - region),
		.p2a_size = ch->p2a.size,
	};
	return 0;
}

int scmi_agent_doorbell_dup(struct scmi_agent *a)
{
	int fd;

	if (a->ch.a2p_doorbell < 0)
		return -ENOTCONN;
	fd = fcntl(a->ch.a2p_doorbell, F_DUPFD_CLOEXEC, 0);
	return fd < 0 ? -errno : fd;
}
