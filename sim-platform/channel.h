/* SPDX-License-Identifier: MIT */
/*
 * The platform end of one agent's session (include/scmi/transport.h): the
 * shared-memory region with its A2P and P2A areas, the four eventfds, the
 * hello, and the watchers that serve commands, move the P2A queue on and
 * notice the hang-up. One per connected agent; it owns its sim_agent (in
 * the agent table), its notification queue and its faults, and is what
 * the agent's struct sim_session_ops (agents.h) reach.
 */
#ifndef SIM_CHANNEL_H
#define SIM_CHANNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ev_loop;
struct sim_channel;
struct sim_faults;
struct sim_nq;

/*
 * Start a session on the accepted socket @fd (non-blocking), which the
 * channel owns from now on (closed on failure too): assign an agent id,
 * create the region and eventfds, send the hello, watch. 0, -ENOSPC when
 * the agent table is full of agents still connected (the sessions of
 * agents that hung up are ended first, their hang-up read or not), or
 * another -errno.
 */
int channel_open(struct ev_loop *loop, int fd);

/* End a session: stop its watchers, free its agent, close and unmap all. */
void channel_close(struct sim_channel *ch);

/* End every session (shutdown). */
void channel_close_all(void);

/*
 * Milliseconds until the response held back by "fault delay" is written,
 * or -1 when none is held.
 */
int channel_delayed_response_ms(struct sim_channel *ch);

/* The session's faults, to arm and clear (faults.h) and to show. */
struct sim_faults *channel_faults(struct sim_channel *ch);

/* Its notification queue, to show (notify-queue.h). */
const struct sim_nq *channel_queue(const struct sim_channel *ch);

/*
 * "fault stall on|off": stop posting in the agent's P2A area, or start
 * again and post what waits. Counted and logged when it changes.
 */
void channel_set_stall(struct sim_channel *ch, bool on);

#endif /* SIM_CHANNEL_H */
