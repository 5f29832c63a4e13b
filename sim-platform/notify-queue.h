/* SPDX-License-Identifier: MIT */
/*
 * The per-agent P2A queues. Two kinds of message share the agent's one P2A
 * area: delayed responses (type 2, delayed.h) and notifications (type 3).
 *
 * Delayed responses are never dropped (the command's sender waits for
 * one): when the area is busy they wait in their own small FIFO, bounded
 * by SIM_MAX_ASYNC_PER_AGENT (sim_delayed_begin() refuses an async command
 * beyond that, so the FIFO cannot overflow), which is served FIRST each
 * time the area is free. They also wait while the agent's last response
 * is held back by "fault delay": the immediate response of a command goes
 * out before its delayed one.
 *
 * A notification goes into the agent's P2A area at once when the area is
 * free and nothing waits before it; otherwise the agent's policy decides:
 *   queue        bounded FIFO of queue_len entries; when full, the NEWEST
 *                notification (the one being sent) is dropped
 *   drop-oldest  bounded FIFO; when full, the OLDEST waiting one is dropped
 *   drop         no queue: dropped at once (as SCP-firmware does)
 * Every drop is counted per agent and per protocol. Nothing here blocks or
 * waits on an agent: the queue moves on when the agent acks (p2a_ack).
 *
 * A queue belongs to one agent's session (channel.c), and knows nothing
 * of it beyond what the session gives it at nq_init(): the three things
 * it may do with the P2A area (struct sim_nq_ops) and the counters to
 * count in (counters.h).
 */
#ifndef SIM_NOTIFY_QUEUE_H
#define SIM_NOTIFY_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <scmi/wire.h>

#include "config.h"
#include "counters.h"

/* Delayed responses an agent may be owed at once (and may have waiting). */
#define SIM_MAX_ASYNC_PER_AGENT 16

/* What the queue does with its agent's P2A area: the session's to do. */
struct sim_nq_ops {
	/*
	 * Post the message with header @hdr and @sz bytes of payload (at
	 * most max_msg_size) in the P2A area, and ring the agent: 0; -EBUSY
	 * the area is not free; -EAGAIN nothing may be posted now (the P2A
	 * is stalled, or the session is being dropped).
	 */
	int (*post)(void *ctx, uint32_t hdr, const void *payld, size_t sz);
	/*
	 * Messages wait for the area: ask the agent to ring p2a_ack when it
	 * frees it. true when the area is free already (no ring will come).
	 */
	bool (*want_ack)(void *ctx);
	/*
	 * Whether a delayed response may go now: not while the response to
	 * the agent's last command is held back ("fault delay"), as it may
	 * be the immediate response of the very command this one completes.
	 */
	bool (*delayed_may_go)(void *ctx);
};

struct sim_nq_slot {
	uint8_t proto_id;
	uint8_t evt_id;
	uint32_t sz;                      /* payload bytes */
};

/* A delayed response waiting for the P2A area. */
struct sim_nq_delayed {
	struct scmi_msg_hdr hdr;          /* type 2 */
	uint32_t sz;                      /* payload bytes: status, return values */
	uint8_t *payld;                   /* malloc'd, sz bytes, owned */
};

struct sim_nq {
	const struct sim_nq_ops *ops;
	void *ctx;                        /* the ops' first argument */
	struct sim_counters *cnt;         /* the agent's */
	uint32_t agent_id;                /* for the log */
	enum sim_notify_policy policy;
	unsigned int cap;                 /* slots; 0 with the drop policy */
	unsigned int head;                /* oldest waiting slot */
	unsigned int count;               /* slots waiting */
	size_t max_payld_sz;              /* room for each slot's payload */
	struct sim_nq_slot *slots;
	uint8_t *payld;                   /* cap * max_payld_sz bytes */
	uint64_t drops_unlogged;          /* drops not yet logged (rate limit) */
	uint64_t next_drop_log_ns;
	/* delayed responses waiting, whatever the policy */
	struct sim_nq_delayed dslots[SIM_MAX_ASYNC_PER_AGENT];
	unsigned int dhead;               /* oldest waiting */
	unsigned int dcount;              /* waiting */
};

/*
 * An empty queue for agent @agent_id, with the policy, length and
 * message size of the configuration (config.h), posting through @ops
 * (called with @ctx) and counting in @cnt. 0 or -ENOMEM.
 */
int nq_init(struct sim_nq *q, const struct sim_nq_ops *ops, void *ctx,
	    struct sim_counters *cnt, uint32_t agent_id);
/* Free what waits (delayed responses are lost: nobody counts them). */
void nq_fini(struct sim_nq *q);

/*
 * Send one notification: posted at once, queued, or dropped by the
 * policy. Returns 1 when posted or queued, 0 when dropped, -EMSGSIZE when
 * the payload does not fit a message.
 */
int nq_post(struct sim_nq *q, uint8_t proto_id, uint8_t evt_id,
	    const void *payld, size_t sz);

/*
 * Send the delayed response with header @hdr (type 2) and payload @payld
 * (status, return values; malloc'd, and taken whatever the result):
 * posted at once, or kept in the delayed FIFO until the area is free.
 * 0, -EMSGSIZE when the payload does not fit a message, -ENOSPC when the
 * FIFO is full (a bug: see above).
 */
int nq_post_delayed(struct sim_nq *q, const struct scmi_msg_hdr *hdr,
		    uint8_t *payld, size_t sz);

/*
 * The P2A area may be free again (p2a_ack, stall off, a held response
 * written): post the oldest waiting delayed response, else the oldest
 * waiting notification.
 */
void nq_pump(struct sim_nq *q);

#endif /* SIM_NOTIFY_QUEUE_H */
