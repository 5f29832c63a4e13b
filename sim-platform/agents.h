/* SPDX-License-Identifier: MIT */
/*
 * The simulator's agents: the table of connected agents (ids 1..max_agents, the lowest free id reused after a
 * hang-up), each agent's notification subscriptions and counters, and
 * sim_emit(), which sends an event to exactly the agents subscribed to it.
 */
#ifndef SIM_AGENTS_H
#define SIM_AGENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <scmi/wire.h>

#include "config.h"
#include "faults.h"
#include "log.h"
#include "notify-queue.h"

/* ---- agents ---------------------------------------------------------- */

enum sim_counter {
	SIM_CNT_COMMANDS,       /* commands received */
	SIM_CNT_CMD_ERRORS,     /* of which malformed (PROTOCOL_ERROR, CHANNEL_ERROR) */
	SIM_CNT_NOTIF_SENT,     /* notifications posted in the P2A area */
	SIM_CNT_NOTIF_QUEUED,   /* notifications that had to wait in the queue */
	SIM_CNT_NOTIF_DROPPED,  /* notifications dropped by the policy */
	SIM_CNT_DELAYED_SENT,   /* delayed responses (type 2) posted in the P2A area */
	SIM_CNT_DELAYED_LOST,   /* delayed responses owed and not sent (fault, shutdown) */
	SIM_CNT_MAX,
};

struct sim_sub;
struct sim_channel;

struct sim_agent {
	uint32_t id;                      /* 1..max_agents */
	uint64_t gen;                     /* unique per session: ids are reused, this is not */
	struct sim_channel *ch;           /* its session, which owns it */
	struct scmi_msg_hdr cur_hdr;      /* the command being handled */
	unsigned int delayed_owed;        /* delayed responses begun, not sent (delayed.h) */
	struct sim_sub *subs;             /* uthash set of (proto, evt, src) */
	struct sim_nq nq;                 /* P2A notifications waiting */
	struct sim_faults faults;         /* injected by control (faults.h) */
	uint64_t total[SIM_CNT_MAX];
	uint64_t per_proto[256][SIM_CNT_MAX];
};

/* Set the configuration (config.h) and allocate the agent table. 0 or -errno. */
int agents_init(const struct sim_config *cfg);
/* Free the table; every agent must be gone (channel_close_all()). */
void agents_fini(void);

/*
 * A new agent of session @ch, with the lowest free id and the next
 * generation number (never reused). 0, -ENOSPC when
 * max_agents are connected, or -ENOMEM.
 */
int agent_new(struct sim_channel *ch, struct sim_agent **ret);
/* Free an agent: its subscriptions, its queue; its id becomes free. */
void agent_free(struct sim_agent *a);
/* The agent connected with this id, or NULL. */
struct sim_agent *agent_get(uint32_t id);

static inline void agent_count(struct sim_agent *a, uint8_t proto_id,
			       enum sim_counter c)
{
	a->total[c]++;
	a->per_proto[proto_id][c]++;
}

/* Log an agent's counters (INFO), total and per protocol. */
void agent_log_counters(const struct sim_agent *a);

/* Subscriptions: turn the event (proto, evt, src) on or off for @a. */
int agent_set_notify(struct sim_agent *a, uint8_t proto_id, uint8_t evt_id,
		     uint32_t src_id, bool enable);
bool agent_is_subscribed(const struct sim_agent *a, uint8_t proto_id,
			 uint8_t evt_id, uint32_t src_id);
/* How many (proto, evt, src) @a is subscribed to. */
unsigned int agent_sub_count(const struct sim_agent *a);

/*
 * Send a notification to every agent subscribed to (proto, evt, src) and
 * to no other; each agent's queue policy applies. Returns how many agents
 * it was posted or queued to, or -EMSGSIZE if the payload is larger than
 * max_msg_size.
 */
int sim_emit(uint8_t proto_id, uint8_t evt_id, uint32_t src_id,
	     const void *payld, size_t sz);
/* The same for one agent, sent only if @a is subscribed: 1, 0 or -errno. */
int sim_emit_to(struct sim_agent *a, uint8_t proto_id, uint8_t evt_id,
		uint32_t src_id, const void *payld, size_t sz);

#endif /* SIM_AGENTS_H */
