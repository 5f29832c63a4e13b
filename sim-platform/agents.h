/* SPDX-License-Identifier: MIT */
/*
 * The simulator's agents: the table of connected agents (ids
 * 1..max_agents, the lowest free id reused after a hang-up), each agent's
 * notification subscriptions and counters, and the events sent to the
 * agents subscribed to them (emit.h, what protocols see of all this).
 *
 * An agent belongs to its session (channel.c), which creates it, frees
 * it, and gives it the few things the layers below may ask of a session
 * (struct sim_session_ops): this file never calls up into channel.c.
 */
#ifndef SIM_AGENTS_H
#define SIM_AGENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <scmi/wire.h>

#include "config.h"
#include "counters.h"
#include "emit.h"
#include "log.h"

struct sim_sub;
struct sim_channel;

/* What an agent's session does for the layers below it: channel.c's. */
struct sim_session_ops {
	/*
	 * A notification for the agent: posted, queued, or dropped by its
	 * policy (notify-queue.h). 1 posted or queued, 0 dropped, -errno.
	 */
	int (*notify)(struct sim_channel *ch, uint8_t proto_id, uint8_t evt_id,
		      const void *payld, size_t sz);
	/*
	 * A delayed response (header @hdr, type 2) carrying @status and the
	 * @ret_sz bytes of @ret: posted or kept until the P2A area is free.
	 * 0; -ECANCELED "fault drop-delayed" took it; -EMSGSIZE it does not
	 * fit max_msg_size; -ENOMEM; -ENOSPC its queue is full (a bug).
	 */
	int (*delayed)(struct sim_channel *ch, const struct scmi_msg_hdr *hdr,
		       int32_t status, const void *ret, size_t ret_sz);
	/* How many delayed responses wait for the agent's P2A area. */
	unsigned int (*delayed_waiting)(const struct sim_channel *ch);
};

struct sim_agent {
	uint32_t id;                      /* 1..max_agents */
	uint64_t gen;                     /* unique per session: ids are reused, this is not */
	struct sim_channel *ch;           /* its session, which owns it */
	const struct sim_session_ops *ops; /* the session's, called with ch */
	struct scmi_msg_hdr cur_hdr;      /* the command being handled */
	unsigned int delayed_owed;        /* delayed responses begun, not sent (delayed.h) */
	struct sim_sub *subs;             /* uthash set of (proto, evt, src) */
	struct sim_counters cnt;
};

/* Allocate the agent table for max_agents (config.h). 0 or -ENOMEM. */
int agents_init(void);
/* Free the table; every agent must be gone (channel_close_all()). */
void agents_fini(void);

/*
 * A new agent of session @ch (whose @ops it calls), with the lowest free
 * id and the next generation number (never reused). 0, -ENOSPC when
 * max_agents are connected, or -ENOMEM.
 */
int agent_new(struct sim_channel *ch, const struct sim_session_ops *ops,
	      struct sim_agent **ret);
/* Free an agent and its subscriptions; its id becomes free. */
void agent_free(struct sim_agent *a);
/* The agent connected with this id, or NULL. */
struct sim_agent *agent_get(uint32_t id);

static inline void agent_count(struct sim_agent *a, uint8_t proto_id,
			       enum sim_counter c)
{
	sim_count(&a->cnt, proto_id, c);
}

bool agent_is_subscribed(const struct sim_agent *a, uint8_t proto_id,
			 uint8_t evt_id, uint32_t src_id);
/* How many (proto, evt, src) @a is subscribed to. */
unsigned int agent_sub_count(const struct sim_agent *a);

#endif /* SIM_AGENTS_H */
