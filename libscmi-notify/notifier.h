/* SPDX-License-Identifier: MIT */
/*
 * Priority-ordered notifier chains (the kernel's blocking notifier chain),
 * made safe for callbacks that register and unregister notifiers,
 * themselves included, and for unregister to wait for a running callback.
 *
 * One struct scmi_chain_ctx per core instance owns every chain of it: its
 * mutex is a leaf lock (nothing else is taken while it is held), and since
 * the core dispatches one event at a time, at most one callback runs per
 * instance; the ctx knows which one.
 *
 * The dispatcher takes the mutex once per batch of events
 * (chain_batch_begin() .. chain_batch_end()) and lets go of it only while
 * a callback runs, so that the callback may register and unregister.
 */
#ifndef SCMI_NOTIFIER_H
#define SCMI_NOTIFIER_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <scmi/notify.h>

#include "hash.h"
#include "log.h"

struct scmi_chain {
	struct scmi_notifier *head; /* by priority, high first; ties FIFO */
};

/* Which tuple a registered notifier is on. */
struct nb_entry {
	const struct scmi_notifier *nb;
	uint32_t key;
	UT_hash_handle hh;
};

struct scmi_chain_ctx {
	pthread_mutex_t mtx;   /* protects every chain, the table and all below */
	pthread_cond_t idle;   /* broadcast when running goes back to NULL */
	struct nb_entry *registered; /* every registered notifier, by address */
	bool dispatching;      /* an event is being dispatched ... */
	pthread_t dispatcher;  /* ... by this thread */
	struct scmi_notifier *running;   /* the callback being run, or NULL */
	struct scmi_notifier *iter_next; /* the next one the dispatch will run */
	unsigned int waiters;  /* threads waiting for running to change */
	/* notifiers registered during the current event: they skip it */
	struct scmi_notifier **fresh;
	size_t nfresh, fresh_cap;
	size_t nreserved;      /* chain_reserve()s not linked yet: each has
				* its registered entry and a fresh slot */
	bool warned_stop;      /* a callback cut a chain: warned once */
	int warn_evt;          /* event to warn about at batch end, or -1 */
	const struct scmi_log *log;
};

int chain_ctx_init(struct scmi_chain_ctx *ctx, const struct scmi_log *log);
void chain_ctx_fini(struct scmi_chain_ctx *ctx);

/*
 * Insert @nb in @chain, recording it under @key. Returns 0, -EEXIST (@nb is
 * on this key already), -EBUSY (@nb is on another key) or -ENOMEM.
 * chain_reserve() + chain_link().
 */
int chain_register(struct scmi_chain_ctx *ctx, struct scmi_chain *chain,
		   struct scmi_notifier *nb, uint32_t key);

/*
 * Registration in two steps, so that a caller can do what may fail
 * between them and never has to undo what others saw. chain_reserve()
 * makes all the allocations: @nb is recorded under @key (so that it
 * counts as registered for chain_check() and other reservations), but is
 * in no chain and receives nothing. Returns 0, -EEXIST, -EBUSY or
 * -ENOMEM, with nothing done on error. Then either chain_link(), which
 * cannot fail, or chain_unreserve(). The caller serializes registrations.
 */
int chain_reserve(struct scmi_chain_ctx *ctx, struct scmi_notifier *nb,
		  uint32_t key);
void chain_link(struct scmi_chain_ctx *ctx, struct scmi_chain *chain,
		struct scmi_notifier *nb);
void chain_unreserve(struct scmi_chain_ctx *ctx, struct scmi_notifier *nb);

/*
 * Whether @nb could be registered under @key: 0, -EEXIST (on this key
 * already) or -EBUSY (on another key). The caller serializes registrations
 * so that the answer still holds at chain_register().
 */
int chain_check(struct scmi_chain_ctx *ctx, const struct scmi_notifier *nb,
		uint32_t key);

/* Remove @nb from @chain. Returns 0 or -ENOENT (not on that chain). */
int chain_unregister(struct scmi_chain_ctx *ctx, struct scmi_chain *chain,
		     struct scmi_notifier *nb);

/* Whether @chain has no notifier. */
bool chain_empty(struct scmi_chain_ctx *ctx, const struct scmi_chain *chain);

/*
 * Return once @nb's callback is not running, unless the caller is the
 * dispatching thread (a callback), which must never wait for itself.
 */
void chain_wait_unused(struct scmi_chain_ctx *ctx,
		       const struct scmi_notifier *nb);

/* Whether the calling thread is dispatching an event (inside a callback). */
bool chain_in_dispatch(struct scmi_chain_ctx *ctx);

/*
 * Dispatch one event to @n chains in turn (NULL entries are skipped): each
 * runs its callbacks by priority until one returns a value with
 * SCMI_NOTIFY_STOP_MASK, and the next chain still runs. A notifier
 * registered while this runs (from a callback or another thread) is not
 * called for this event. chain_batch_begin() + chain_batch_call() +
 * chain_batch_end().
 */
void chain_dispatch(struct scmi_chain_ctx *ctx, struct scmi_chain *const *chains,
		    unsigned int n, uint8_t evt_id, const void *report);

/*
 * Start dispatching a batch of events on the calling thread: takes the
 * ctx's mutex, held until chain_batch_end() except while a callback runs.
 * Nothing else may be locked between the two but what callbacks lock.
 */
void chain_batch_begin(struct scmi_chain_ctx *ctx);

/* Within a batch: dispatch one event, as chain_dispatch() describes. */
void chain_batch_call(struct scmi_chain_ctx *ctx,
		      struct scmi_chain *const *chains, unsigned int n,
		      uint8_t evt_id, const void *report);

/* End the batch: the mutex is let go (and a cut chain warned of, once). */
void chain_batch_end(struct scmi_chain_ctx *ctx);

#endif /* SCMI_NOTIFIER_H */
