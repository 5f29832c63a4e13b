/* SPDX-License-Identifier: MIT */
/*
 * Delayed responses (SCMI message type 2): the second reply to a command
 * the platform accepted asynchronously. See SCMI-REFERENCE.md 1.3, 2.5, 8.2.
 *
 * A protocol's handler that accepts a command asynchronously keeps a
 * struct sim_delayed for it (in its own per-domain state, static), and:
 *   1. sim_delayed_begin() in the handler: captures who is owed the
 *      response (the agent's id AND its generation, since ids are reused)
 *      and the command's header (protocol, message id, token). -EBUSY when
 *      the agent is already owed SIM_MAX_ASYNC_PER_AGENT: answer BUSY.
 *   2. sim_delayed_start() in the handler, once it answers SUCCESS: an
 *      ev_timer runs its completion --async-delay ms later (never inline:
 *      the immediate response is out before the delayed one, 8.2).
 *   3. in the completion: the protocol does the work on the platform's
 *      state (and emits its notifications), then sim_delayed_send() with
 *      the status and return values, or sim_delayed_cancel() when no
 *      response is to be sent ("ignore delayed response").
 *
 * sim_delayed_send() posts the response only to the same session: an
 * agent that hung up (its id maybe reused by a new agent since) gets
 * nothing; the platform's state changes all the same. A response for a
 * session still there is never dropped by the notification policy: it
 * waits in the agent's delayed FIFO (notify-queue.h), served first.
 * "fault drop-delayed <agent>" (faults.h) drops the next one instead.
 * The response goes through the agent's session (struct sim_session_ops,
 * agents.h), which owns the queue and the faults.
 *
 * The agent's owed count (agent->delayed_owed) covers those begun and not
 * yet sent or cancelled; sim_delayed_begin() refuses one more when that
 * count plus the responses waiting in its FIFO reach the bound, so the
 * FIFO never overflows. At shutdown sim_delayed_fini() stops every timer.
 * Everything runs on the loop thread.
 */
#ifndef SIM_DELAYED_H
#define SIM_DELAYED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ev.h>

#include <scmi/wire.h>

#include "notify-queue.h"   /* SIM_MAX_ASYNC_PER_AGENT */

struct sim_agent;
struct sim_delayed;

/* The work of an async command, run when its delay is over. */
typedef void sim_delayed_fn(struct sim_delayed *d);

struct sim_delayed {
	/* the command: sim_delayed_begin() */
	uint32_t agent_id;
	uint64_t agent_gen;               /* struct sim_agent.gen */
	struct scmi_msg_hdr hdr;          /* the command's (type 0) */
	bool owed;                        /* begun, not yet sent or cancelled */
	/* its completion: sim_delayed_start() */
	ev_timer w;
	sim_delayed_fn *fn;
	struct sim_delayed *prev, *next;  /* in the list of started ones */
};

/* The struct holding @d as its member @m. */
#define sim_delayed_owner(d, T, m) \
	((T *)(void *)((char *)(d) - offsetof(T, m)))

/*
 * Capture @a's command being handled (a->cur_hdr) into @d: 0, or -EBUSY
 * when @d is still pending (one command at a time per domain, clock or
 * sensor) or @a is owed SIM_MAX_ASYNC_PER_AGENT delayed responses already
 * (those waiting for its P2A area included): the handler answers BUSY.
 */
int sim_delayed_begin(struct sim_agent *a, struct sim_delayed *d);

/*
 * Run @fn(@d) after the larger of --async-delay and @min_us (a domain's
 * own latency), from an ev_timer on the default loop.
 */
void sim_delayed_start(struct sim_delayed *d, uint32_t min_us,
		       sim_delayed_fn *fn);

/* Whether @d is begun or started and not done: its domain is busy. */
bool sim_delayed_pending(const struct sim_delayed *d);

/* Whether @d is owed to (or was begun by) the session of @a. */
bool sim_delayed_of(const struct sim_delayed *d, const struct sim_agent *a);

/*
 * Post the delayed response of @d: header type 2 with the command's
 * protocol, message id and token; payload int32 @status then the @ret_sz
 * bytes of @ret. Sent only if the same session (id and gen) is still
 * connected; not if "fault drop-delayed" is armed for it (counted lost).
 * @d is free for another command after this.
 */
void sim_delayed_send(struct sim_delayed *d, int32_t status, const void *ret,
		      size_t ret_sz);

/* No delayed response for @d after all; @d is free after this. */
void sim_delayed_cancel(struct sim_delayed *d);

/* Shutdown: stop every timer started; what was owed is lost. */
void sim_delayed_fini(void);

#endif /* SIM_DELAYED_H */
