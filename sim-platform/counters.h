/* SPDX-License-Identifier: MIT */
/*
 * An agent's counters, in total and per protocol: what its session and
 * the layers below it (its notification queue, delayed responses) count
 * for "scmi-sim-ctl agents" and the log. Plain data; the loop thread only.
 */
#ifndef SIM_COUNTERS_H
#define SIM_COUNTERS_H

#include <stdint.h>

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

struct sim_counters {
	uint64_t total[SIM_CNT_MAX];
	uint64_t per_proto[256][SIM_CNT_MAX];
};

static inline void sim_count(struct sim_counters *c, uint8_t proto_id,
			     enum sim_counter k)
{
	c->total[k]++;
	c->per_proto[proto_id][k]++;
}

#endif /* SIM_COUNTERS_H */
