/* SPDX-License-Identifier: MIT */
/*
 * What a protocol (protocols/) sees of the agents: an agent is a handle
 * with an id; it subscribes to events; events are sent to exactly the
 * agents subscribed to them. Nothing else: not the table, not the
 * sessions. Implemented by agents.c.
 */
#ifndef SIM_EMIT_H
#define SIM_EMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sim_agent;

/* The agent's id, 1..max_agents (0 is the platform in an event). */
uint32_t sim_agent_id(const struct sim_agent *a);

/* The protocol id of the command @a is running (its header's). */
uint8_t sim_agent_cmd_proto(const struct sim_agent *a);

/*
 * Turn the event (proto, evt, src) on or off for @a: 0, or -ENOMEM with
 * the subscriptions as they were (the command is then GENERIC_ERROR).
 */
int sim_subscribe(struct sim_agent *a, uint8_t proto_id, uint8_t evt_id,
		  uint32_t src_id, bool enable);

/*
 * Send a notification to every agent subscribed to (proto, evt, src) and
 * to no other, but those that may not use the protocol or the domain @src
 * now (access.h); each agent's queue policy applies. Returns how many agents
 * it was posted or queued to, or -EMSGSIZE if the payload is larger than
 * max_msg_size.
 */
int sim_emit(uint8_t proto_id, uint8_t evt_id, uint32_t src_id,
	     const void *payld, size_t sz);

/*
 * sim_emit() to those of the subscribed agents for which @want(agent id,
 * @ctx) is true (powercap: the agents whose thresholds a measurement
 * leaves), in id order.
 */
int sim_emit_if(uint8_t proto_id, uint8_t evt_id, uint32_t src_id,
		const void *payld, size_t sz,
		bool (*want)(uint32_t agent_id, void *ctx), void *ctx);

/*
 * The same for one agent, sent only if @a is subscribed (and may use it):
 * 1, 0 or -errno.
 */
int sim_emit_to(struct sim_agent *a, uint8_t proto_id, uint8_t evt_id,
		uint32_t src_id, const void *payld, size_t sz);

#endif /* SIM_EMIT_H */
