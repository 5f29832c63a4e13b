/* SPDX-License-Identifier: MIT */
/*
 * The platform end of one agent's session (include/scmi/transport.h): the
 * shared-memory region with its A2P and P2A areas, the four eventfds, the
 * hello, and the watchers that serve commands, move the P2A queue on and
 * notice the hang-up. One per connected agent; it owns its sim_agent.
 */
#ifndef SIM_CHANNEL_H
#define SIM_CHANNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ev_loop;
struct sim_channel;

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

/* Is the agent's P2A area free (acquire load of channel_status)? */
bool channel_p2a_is_free(struct sim_channel *ch);

/*
 * Post a message with header @hdr in the P2A area (flags 0: no ack asked
 * for) and ring p2a_doorbell: a notification (type 3, message id = event
 * id, token 0) or a delayed response (type 2, the command's protocol,
 * message id and token; the payload starts with the status). @sz must
 * fit max_msg_size. 0; -EBUSY the area is not free; -EAGAIN the agent's
 * P2A is stalled (faults.h) or its session is being dropped. Only
 * notify-queue.c calls it: it decides what goes first.
 */
int channel_p2a_post(struct sim_channel *ch, uint32_t hdr, const void *payld,
		     size_t sz);

/*
 * Messages wait for the P2A area: ask the agent to ring p2a_ack when it
 * frees it (INTR in the area's flags, transport.h). Returns true when the
 * area is free already: the caller posts now, no ring will come.
 */
bool channel_p2a_want_ack(struct sim_channel *ch);

#endif /* SIM_CHANNEL_H */
