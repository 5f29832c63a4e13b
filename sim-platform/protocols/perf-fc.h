/* SPDX-License-Identifier: MIT */
/*
 * Perf fast channels (SCMI-REFERENCE.md 6.4, PERF_DESCRIBE_FASTCHANNEL):
 * for the perf domains the topology marks with fast_channels, areas in
 * each agent's shared-memory region, after its two SMT areas, through
 * which the agent sets and reads a domain's level and limits without a
 * message.
 *
 * The session (channel.c) asks how many bytes the block needs, places it
 * in the region and attaches it; the perf protocol (perf.c) describes its
 * channels, publishes every change of a domain's level or limits to
 * them, and applies what the agents write (perf-fc.c polls the blocks).
 * Everything runs on the simulator's one loop thread.
 */
#ifndef SIM_PERF_FC_H
#define SIM_PERF_FC_H

#include <stddef.h>
#include <stdint.h>

struct sim_agent;
struct sim_perf_domain;
struct sim_perf_fc;

/* The timer's shortest period, and the rate limit described. */
#define SIM_PERF_FC_POLL_US 1000u

/*
 * Bytes a session's fast channel block needs: a fixed slot per perf
 * domain, 0 when no domain offers fast channels. A multiple of 8.
 */
size_t sim_perf_fc_size(void);

/*
 * Attach agent @a's block, @base, which lies @off bytes into its region
 * (a multiple of 8), and fill its channels with the domains' current
 * level and limits. NULL when out of memory (the agent then has none:
 * every describe is NOT_SUPPORTED).
 */
struct sim_perf_fc *sim_perf_fc_attach(struct sim_agent *a, uint8_t *base,
				       uint32_t off);

/* Detach a block (the session ends); NULL is ignored. */
void sim_perf_fc_detach(struct sim_perf_fc *fc);

/*
 * A described channel: its offset in the region and its size, and its
 * doorbell's (a 32-bit word the agent sets to 1 after a write, then rings
 * its a2p_doorbell eventfd: transport.h), 0 when it has none.
 */
struct sim_perf_fc_desc {
	uint32_t off;
	uint32_t size;
	uint32_t db_off;
};

/*
 * Channel of message @msg_id (LEVEL_SET/GET, LIMITS_SET/GET) of domain
 * @dom_id in agent @a's block: 0 with *@desc; -ENOENT the agent has no
 * block; -EOPNOTSUPP the domain has no such channel. Starts the polling
 * for this block (an agent that never asks is never polled).
 */
int sim_perf_fc_describe(struct sim_agent *a, uint32_t dom_id, uint8_t msg_id,
			 struct sim_perf_fc_desc *desc);

/*
 * Domain @dom_id's level or limits changed (by any path): write the new
 * values in every block's GET channels, and in its SET channels where
 * they still hold the agent's last request (one not applied yet is kept).
 */
void sim_perf_fc_publish(uint32_t dom_id, const struct sim_perf_domain *d);

/* What happened on a domain's channels, all agents. */
struct sim_perf_fc_counts {
	uint64_t applied;   /* writes applied */
	uint64_t refused;   /* writes ignored: the command would refuse them */
	uint64_t rung;      /* doorbells found set */
	uint64_t late;      /* polls of the timer that found a write */
};

void sim_perf_fc_counts(uint32_t dom_id, struct sim_perf_fc_counts *c);

/*
 * perf.c's: apply a level or limits an agent wrote in a fast channel, as
 * the message would (checked, the events emitted). An SCMI status.
 */
int32_t sim_perf_fc_level_set(uint32_t agent_id, uint32_t dom_id,
			      uint32_t level);
int32_t sim_perf_fc_limits_set(uint32_t agent_id, uint32_t dom_id,
			       uint32_t max, uint32_t min);

#endif /* SIM_PERF_FC_H */
