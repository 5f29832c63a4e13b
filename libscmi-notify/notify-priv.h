/* SPDX-License-Identifier: MIT */
/*
 * What the rest of the library (the agent) and the unit tests use of the
 * notification core beyond its public API (include/scmi/notify.h).
 */
#ifndef SCMI_NOTIFY_PRIV_H
#define SCMI_NOTIFY_PRIV_H

#include <stdbool.h>

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
 * Whether the calling thread is running a callback of @ni (it dispatches
 * an event of it right now).
 */
bool notify_in_callback(struct scmi_notify *ni);

/* Handlers the instance holds, bound and pending (for the tests). */
void notify_count_handlers(struct scmi_notify *ni, unsigned int *bound,
			   unsigned int *pending);

#endif /* SCMI_NOTIFY_PRIV_H */
