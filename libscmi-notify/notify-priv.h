/* SPDX-License-Identifier: MIT */
/*
 * What the rest of the library (the agent) and the unit tests use of the
 * notification core beyond its public API (include/scmi/notify.h).
 */
#ifndef SCMI_NOTIFY_PRIV_H
#define SCMI_NOTIFY_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <scmi/notify.h>

/*
 * Bind every pending handler of every registered protocol now, on the
 * calling thread, turning generation on for their sources: the late init
 * that the dispatcher would otherwise run later. The agent calls it before
 * connect returns, so that no event after connect is lost. Must not be
 * called from a callback. Returns 0, -EDEADLK (from a callback), -EINVAL,
 * or -ENOMEM: some handler could not be bound for want of memory; it
 * stays pending with nothing sent, and the dispatcher's next pass (or the
 * next call) tries again.
 */
int notify_bind_pending(struct scmi_notify *ni);

/*
 * scmi_notify(), with the dispatcher's wake-up left out when @kick is
 * false: for a caller that runs the dispatch itself right after (the
 * agent's event-loop dispatch), so that a notification costs no write
 * to the core's eventfd and no read of it.
 */
int notify_queue(struct scmi_notify *ni, uint8_t proto_id, uint8_t evt_id,
		 const void *payld, size_t payld_sz, uint64_t timestamp_ns,
		 bool kick);

/*
 * scmi_notify_run_pending(), reading the core's eventfd (manual mode) only
 * when @read_fd: a caller that knows it was not readable (its own poll
 * said so) saves a system call. Reading it whenever it was readable keeps
 * a user's loop from spinning on it.
 */
int notify_dispatch(struct scmi_notify *ni, bool read_fd);

/*
 * Whether the calling thread is running a callback of @ni (it dispatches
 * an event of it right now).
 */
bool notify_in_callback(struct scmi_notify *ni);

/*
 * Call @fn(@arg) before each round of a dispatch pass (a round drains at
 * most one batch of each protocol), holding the dispatch lock only: the
 * agent's event-loop dispatch takes P2A messages there, so that a long
 * pass of queued events does not leave the platform waiting. Set once,
 * before any dispatch.
 */
void notify_set_round_hook(struct scmi_notify *ni, void (*fn)(void *),
			   void *arg);

/* Handlers the instance holds, bound and pending (for the tests). */
void notify_count_handlers(struct scmi_notify *ni, unsigned int *bound,
			   unsigned int *pending);

#endif /* SCMI_NOTIFY_PRIV_H */
