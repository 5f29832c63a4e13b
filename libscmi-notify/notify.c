/* SPDX-License-Identifier: MIT */
/*
 * The SCMI notification core: a userspace mirror of the Linux arm_scmi
 * notification core's semantics.
 *
 * Theory of operation
 * -------------------
 * Objects (kernel name in brackets):
 *  - struct scmi_notify [scmi_notify_instance]: one per platform. It holds
 *    256 protocol slots; slot->pd points to the registered protocol or is
 *    NULL. It is written under reg_mtx and read lock-free (acquire) by
 *    scmi_notify() and by the dispatcher.
 *  - struct proto_desc [scmi_registered_events_desc]: a registered
 *    protocol: its ops and private pointer, its events, its bounded queue.
 *  - struct reg_event [scmi_registered_event]: one event of a protocol: a
 *    preallocated report buffer, per-source enable refcounts, and the
 *    bound handlers the dispatcher looks up: one for all sources and one
 *    per source, each an atomic pointer.
 *  - struct evt_handler [scmi_event_handler]: one per tuple key
 *    (proto_id << 24 | evt_id << 16 | src_id, src 0xFFFF = all sources),
 *    created by its first notifier. Bound (r_evt set, and published in
 *    its event's pointers) or pending (r_evt NULL).
 *
 * Every handler, bound or pending, is in one table, ni->handlers, keyed
 * by its tuple. The kernel keeps a pending table and one table per
 * protocol and moves handlers between them; a uthash add can need memory,
 * and deregistering a protocol must not fail, so here binding and
 * unbinding only set r_evt and the event's pointers. Unbinding never
 * allocates; binding allocates only an all-sources handler's bitmap of
 * sources, before anything else: a handler that cannot have it stays
 * pending, nothing sent, and the late init is retried at the next pass.
 *
 * Allocation failure: every call that allocates does so before the
 * platform hears of it, and a call that fails leaves everything as it
 * was (tests/unit/test-oom-notify.c fails each allocation in turn).
 *
 * Threads: users register and unregister from any thread. The transport's
 * rx thread(s) call scmi_notify(), which only queues. The worker thread (or
 * whoever calls scmi_notify_run_pending()) binds pending handlers and
 * dispatches events; dispatch passes are serialized by dispatch_mtx, so
 * callbacks run one at a time and the events of one protocol reach them in
 * the order scmi_notify() accepted them. Protocols are drained independently,
 * a batch of up to DISPATCH_BATCH events at a time.
 *
 * Locks, always taken in this order (each names what it protects):
 *   1. ni->dispatch_mtx  dispatch passes, protocol deregistration (a
 *                        dispatch lets go of it between rounds when
 *                        deregister or destroy waits for it)
 *   2. ni->reg_mtx       the handler table and every handler's state
 *                        (users, r_evt, enabled, src_on), the events'
 *                        handler pointers and enable refcounts, slot->pd
 *                        writes. Held across set_notify_enabled(), so it
 *                        serializes registration, unregistration, binding
 *                        and protocol (de)registration.
 *   3. ni->batch_mtx     in_batch and the retired handlers (short)
 *   4. ni->chains.mtx    every notifier chain (a leaf; see notifier.c)
 * The dispatcher never takes reg_mtx for an event: it reads the handler
 * pointers lock-free, and takes batch_mtx and chains.mtx once per batch
 * (chains.mtx is let go only while a callback runs). Callbacks run holding
 * dispatch_mtx only, so they may register and unregister notifiers; they
 * may not deregister protocols or destroy the instance (-EDEADLK).
 *
 * Who frees a handler: the last unregister unpublishes it. If no batch is
 * being dispatched it turns its sources off and frees it at once; if one
 * is, the dispatcher may hold a pointer to it, so it is retired instead,
 * and the dispatcher turns its sources off and frees it when the batch
 * ends: whichever side lets go of it last (the kernel's put).
 *
 * A producer slot counts scmi_notify() calls in flight on it, so that
 * deregistration can unpublish the protocol, wait for them, and free it.
 *
 * Counters: each is written by one side (producers or the dispatcher) and
 * bumped before what it counts becomes visible to the other side, so that
 * scmi_notify_get_stats(), which reads the dispatcher's counters before
 * the producers', sees relations that hold at every instant.
 */
#include <assert.h>
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include <scmi/notify.h>

#include "evqueue.h"
#include "hash.h"
#include "log.h"
#include "notifier.h"
#include "notify-priv.h"
#include "abi.h"
#include "symbols.h"
#include "worker.h"

#define SRC_ALL SCMI_ALL_SRC_IDS
#define MAKE_KEY(p, e, s) \
	(((uint32_t)(p) << 24) | ((uint32_t)(e) << 16) | ((uint32_t)(s) & 0xFFFF))
#define KEY_PROTO(k) ((uint8_t)((k) >> 24))
#define KEY_EVT(k) ((uint8_t)((k) >> 16))
#define KEY_SRC(k) ((uint32_t)((k) & 0xFFFF))

/* Events drained from one protocol before the others get a turn. */
#define DISPATCH_BATCH 64

struct proto_desc;
struct evt_handler;

struct reg_event {
	struct scmi_event evt;
	struct proto_desc *pd;
	void *report;                /* max_report_sz bytes; dispatcher only */
	uint32_t *sources;           /* enable refcount per source; reg_mtx */
	/* bound handlers, written under reg_mtx, read by the dispatcher */
	_Atomic(struct evt_handler *) all;
	_Atomic(struct evt_handler *) *by_src; /* num_sources entries */
};

struct evt_handler {
	uint32_t key;
	unsigned int users;        /* registered notifiers; reg_mtx */
	struct reg_event *r_evt;   /* NULL: pending; reg_mtx */
	struct scmi_chain chain;   /* chains.mtx */
	bool enabled;              /* single source: this handler counts on it */
	uint8_t *src_on;           /* all sources: bitmap of those it counts on */
	struct evt_handler *retired_next; /* on ni->retired; batch_mtx */
	UT_hash_handle hh;         /* ni->handlers; reg_mtx */
};

struct proto_desc {
	uint8_t id;
	void *priv;
	struct scmi_event_ops ops;
	unsigned int num_events;
	unsigned int num_sources;
	struct reg_event *r_evts;
	int16_t evt_idx[256];      /* evt_id -> index in r_evts, -1 = none */
	struct scmi_evqueue q;
	void *payld_buf;           /* a queued payload that wraps the ring */
	size_t payld_buf_sz;
};

struct proto_slot {
	_Alignas(64) _Atomic(struct proto_desc *) pd;
	atomic_uint producers;     /* scmi_notify() calls in flight */
	/* written by producers */
	_Atomic uint64_t received;
	_Atomic uint64_t queued;
	_Atomic uint64_t dropped_invalid;
	_Atomic uint64_t dropped_full;
	/* written by the dispatcher */
	_Alignas(64) _Atomic uint64_t dropped_report;
	_Atomic uint64_t discarded;
	_Atomic uint64_t delivered;
};

struct scmi_notify {
	struct scmi_log log;
	size_t default_queue_sz;
	bool single_producer;

	pthread_mutex_t dispatch_mtx; /* serializes dispatch and deregister */
	atomic_uint dispatch_waiters; /* threads in dispatch_lock_ahead() */
	pthread_mutex_t reg_mtx;      /* see the top of this file */
	struct evt_handler *handlers; /* every handler, by key; reg_mtx */
	atomic_bool late_init;        /* pending handlers may be bindable */
	void (*round_fn)(void *);     /* before each round of a dispatch */
	void *round_arg;
	pthread_mutex_t batch_mtx;    /* protects in_batch and retired */
	bool in_batch;                /* a batch is being dispatched */
	struct evt_handler *retired;  /* let go of during that batch */

	/*
	 * Each on its own cache line: producers read work[] and the worker's
	 * word on every event while the dispatcher writes the chains' mutex
	 * once per batch.
	 */
	_Alignas(64) _Atomic uint64_t work[4]; /* protocols with queued events */
	_Alignas(64) struct scmi_ratelimit drop_rl;
	_Alignas(64) struct scmi_chain_ctx chains;
	_Alignas(64) struct scmi_worker worker;
	struct proto_slot slots[256];
};

/* ---------------------------------------------------------------- */
/* protocol and event lookup                                        */

static struct reg_event *pd_find_event(struct proto_desc *pd, uint8_t evt_id)
{
	int idx = pd->evt_idx[evt_id];

	return idx < 0 ? NULL : &pd->r_evts[idx];
}

static bool src_supported(struct proto_desc *pd, uint8_t evt_id, uint32_t src)
{
	return !pd->ops.is_notify_supported ||
	       pd->ops.is_notify_supported(pd->priv, evt_id, src);
}

static struct proto_desc *slot_pd(struct scmi_notify *ni, uint8_t proto_id)
{
	/* reg_mtx held (writers hold it too): relaxed is enough */
	return atomic_load_explicit(&ni->slots[proto_id].pd,
				    memory_order_relaxed);
}

/* ---------------------------------------------------------------- */
/* per-source enable refcounts (reg_mtx held)                       */

/* Count one more user of @src; 0->1 sends the enable. */
static int source_get_locked(struct reg_event *r_evt, uint32_t src)
{
	struct proto_desc *pd = r_evt->pd;

	if (!r_evt->sources[src]) {
		int ret = pd->ops.set_notify_enabled(pd->priv, r_evt->evt.id,
						     src, true);
		if (ret)
			return ret;
	}
	r_evt->sources[src]++;
	return 0;
}

/* Count one user less; 1->0 sends the disable. */
static void source_put_locked(struct scmi_notify *ni, struct reg_event *r_evt,
			      uint32_t src)
{
	struct proto_desc *pd = r_evt->pd;
	int ret;

	assert(r_evt->sources[src] > 0);
	if (--r_evt->sources[src])
		return;
	ret = pd->ops.set_notify_enabled(pd->priv, r_evt->evt.id, src, false);
	if (ret)
		scmi_warn(&ni->log,
			  "disabling event 0x%x/%u source %u failed: %d",
			  pd->id, r_evt->evt.id, src, ret);
}

/*
 * hndl bound and not counting yet. Count it on its source, or on every
 * supported source for an all-sources handler: that succeeds if any
 * source could be enabled, and records which ones were.
 */
static int handler_enable_locked(struct scmi_notify *ni,
				 struct evt_handler *hndl)
{
	struct reg_event *r_evt = hndl->r_evt;
	struct proto_desc *pd = r_evt->pd;
	uint32_t src = KEY_SRC(hndl->key);
	unsigned int on = 0;
	int ret = -EOPNOTSUPP;

	if (src != SRC_ALL) {
		if (!src_supported(pd, r_evt->evt.id, src))
			return -EOPNOTSUPP;
		ret = source_get_locked(r_evt, src);
		hndl->enabled = !ret;
		return ret;
	}

	if (!hndl->src_on) {
		hndl->src_on = calloc((pd->num_sources + 7) / 8, 1);
		if (!hndl->src_on)
			return -ENOMEM;
	}
	for (src = 0; src < pd->num_sources; src++) {
		int err;

		if (!src_supported(pd, r_evt->evt.id, src))
			continue;
		err = source_get_locked(r_evt, src);
		if (err) {
			scmi_warn(&ni->log,
				  "enabling event 0x%x/%u source %u failed: %d",
				  pd->id, r_evt->evt.id, src, err);
			ret = err;
			continue;
		}
		hndl->src_on[src / 8] |= 1u << (src % 8);
		on++;
	}
	hndl->enabled = on > 0;
	return on ? 0 : ret;
}

/* Undo exactly what handler_enable_locked() did. */
static void handler_disable_locked(struct scmi_notify *ni,
				   struct evt_handler *hndl)
{
	struct reg_event *r_evt = hndl->r_evt;
	uint32_t src = KEY_SRC(hndl->key);

	if (!hndl->enabled)
		return;
	if (src != SRC_ALL) {
		source_put_locked(ni, r_evt, src);
	} else {
		for (src = 0; src < r_evt->pd->num_sources; src++) {
			if (!(hndl->src_on[src / 8] & (1u << (src % 8))))
				continue;
			hndl->src_on[src / 8] &= ~(1u << (src % 8));
			source_put_locked(ni, r_evt, src);
		}
	}
	hndl->enabled = false;
}

/* ---------------------------------------------------------------- */
/* handlers (reg_mtx held)                                          */

/* The event's pointer the dispatcher finds @hndl through. */
static _Atomic(struct evt_handler *) *handler_ptr(struct evt_handler *hndl)
{
	uint32_t src = KEY_SRC(hndl->key);

	return src == SRC_ALL ? &hndl->r_evt->all : &hndl->r_evt->by_src[src];
}

static void handler_publish(struct evt_handler *hndl)
{
	atomic_store_explicit(handler_ptr(hndl), hndl, memory_order_release);
}

static void handler_unpublish(struct evt_handler *hndl)
{
	atomic_store_explicit(handler_ptr(hndl), NULL, memory_order_release);
}

static struct evt_handler *handler_find(struct scmi_notify *ni, uint32_t key)
{
	struct evt_handler *hndl;

	HASH_FIND(hh, ni->handlers, &key, sizeof(key), hndl);
	return hndl;
}

/* A new handler in the table, pending. NULL: no memory, nothing done. */
static struct evt_handler *handler_new(struct scmi_notify *ni, uint32_t key)
{
	struct evt_handler *hndl = calloc(1, sizeof(*hndl));

	if (!hndl)
		return NULL;
	hndl->key = key;
	HASH_ADD(hh, ni->handlers, key, sizeof(hndl->key), hndl);
	if (!HASH_ADDED(hndl, hh)) {
		free(hndl);
		return NULL;
	}
	return hndl;
}

static void handler_free(struct evt_handler *hndl)
{
	free(hndl->src_on);
	free(hndl);
}

/*
 * Whether a handler of @key can bind to @pd: its event exists and its
 * source is in range. Returns the event or NULL.
 */
static struct reg_event *handler_bindable(struct proto_desc *pd, uint32_t key)
{
	struct reg_event *r_evt = pd_find_event(pd, KEY_EVT(key));
	uint32_t src = KEY_SRC(key);

	if (!r_evt || (src != SRC_ALL && src >= pd->num_sources))
		return NULL;
	return r_evt;
}

/*
 * Bind a pending handler to @pd and turn generation on for it. What it
 * needs (an all-sources handler's bitmap) is allocated first: without it
 * the handler stays pending, nothing sent, and -ENOMEM says to try again
 * later. It is published before the enable, so that the dispatcher finds
 * it as soon as the first event the enable causes comes in. A handler
 * that cannot bind stays pending (-EINVAL); one whose enable fails is
 * bound (0) but receives only what other handlers' sources let through
 * (a later registration on it retries). Each is logged.
 */
static int handler_bind_locked(struct scmi_notify *ni, struct proto_desc *pd,
			       struct evt_handler *hndl)
{
	struct reg_event *r_evt = handler_bindable(pd, hndl->key);
	int ret;

	if (!r_evt) {
		scmi_warn(&ni->log,
			  "pending notifier on 0x%x/%u/%u cannot bind: no such event or source; it stays pending",
			  KEY_PROTO(hndl->key), KEY_EVT(hndl->key),
			  KEY_SRC(hndl->key));
		return -EINVAL;
	}
	if (KEY_SRC(hndl->key) == SRC_ALL && !hndl->src_on) {
		hndl->src_on = calloc((pd->num_sources + 7) / 8, 1);
		if (!hndl->src_on) {
			scmi_warn(&ni->log,
				  "pending notifier on 0x%x/%u/all cannot bind now: out of memory; it stays pending",
				  pd->id, r_evt->evt.id);
			return -ENOMEM;
		}
	}
	hndl->r_evt = r_evt;
	handler_publish(hndl);
	ret = handler_enable_locked(ni, hndl);
	if (ret)
		scmi_warn(&ni->log,
			  "pending notifier on 0x%x/%u/%u bound, but enabling failed: %d",
			  pd->id, r_evt->evt.id, KEY_SRC(hndl->key), ret);
	else
		scmi_dbg(&ni->log, "pending notifier on 0x%x/%u/%u bound",
			 pd->id, r_evt->evt.id, KEY_SRC(hndl->key));
	return 0;
}

/*
 * dispatch_mtx held too (no batch runs). Put a bound handler back to
 * pending: its sources off, its pointer cleared.
 */
static void handler_unbind_locked(struct scmi_notify *ni,
				  struct evt_handler *hndl)
{
	handler_unpublish(hndl);
	handler_disable_locked(ni, hndl);
	hndl->r_evt = NULL;
	free(hndl->src_on);
	hndl->src_on = NULL;
}

/*
 * The last notifier of @hndl went: out of the table. A pending handler,
 * or a bound one while no batch runs, is done with at once; a bound one
 * that the running batch may hold is retired, for the dispatcher to turn
 * off and free when the batch ends.
 */
static void handler_release_locked(struct scmi_notify *ni,
				   struct evt_handler *hndl)
{
	bool retire = false;

	HASH_DEL(ni->handlers, hndl);
	if (hndl->r_evt) {
		handler_unpublish(hndl);
		pthread_mutex_lock(&ni->batch_mtx);
		retire = ni->in_batch;
		if (retire) {
			hndl->retired_next = ni->retired;
			ni->retired = hndl;
		}
		pthread_mutex_unlock(&ni->batch_mtx);
		if (!retire)
			handler_disable_locked(ni, hndl);
	}
	if (!retire)
		handler_free(hndl);
}

/*
 * Late init: bind every pending handler of every registered protocol.
 * Returns 0, or -ENOMEM when some could not be for want of memory: they
 * stay pending and the next dispatch pass tries again.
 */
static int late_init_locked(struct scmi_notify *ni)
{
	struct evt_handler *hndl, *tmp;
	int ret = 0;

	HASH_ITER(hh, ni->handlers, hndl, tmp) {
		struct proto_desc *pd;

		if (hndl->r_evt)
			continue;
		pd = slot_pd(ni, KEY_PROTO(hndl->key));
		if (pd && handler_bind_locked(ni, pd, hndl) == -ENOMEM)
			ret = -ENOMEM;
	}
	if (ret)
		atomic_store(&ni->late_init, true);
	return ret;
}

static int late_init(struct scmi_notify *ni)
{
	int ret;

	pthread_mutex_lock(&ni->reg_mtx);
	ret = late_init_locked(ni);
	pthread_mutex_unlock(&ni->reg_mtx);
	return ret;
}

/* ---------------------------------------------------------------- */
/* dispatch                                                         */

static void work_mark(struct scmi_notify *ni, uint8_t proto_id)
{
	_Atomic uint64_t *w = &ni->work[proto_id / 64];
	uint64_t bit = 1ull << (proto_id % 64);

	if (!(atomic_load_explicit(w, memory_order_relaxed) & bit))
		atomic_fetch_or_explicit(w, bit, memory_order_release);
}

/*
 * A counter with one writer: no locked instruction. Release, so that a
 * reader that loads it (acquire) also sees what was counted before it.
 */
static inline void counter_inc(_Atomic uint64_t *c)
{
	atomic_store_explicit(c, atomic_load_explicit(c, memory_order_relaxed) + 1,
			      memory_order_release);
}

static void batch_begin(struct scmi_notify *ni)
{
	pthread_mutex_lock(&ni->batch_mtx);
	ni->in_batch = true;
	pthread_mutex_unlock(&ni->batch_mtx);
	chain_batch_begin(&ni->chains);
}

/* The batch is over: turn off and free what was let go of meanwhile. */
static void batch_end(struct scmi_notify *ni)
{
	struct evt_handler *retired;

	chain_batch_end(&ni->chains);
	pthread_mutex_lock(&ni->batch_mtx);
	ni->in_batch = false;
	retired = ni->retired;
	ni->retired = NULL;
	pthread_mutex_unlock(&ni->batch_mtx);
	if (!retired)
		return;
	pthread_mutex_lock(&ni->reg_mtx);
	while (retired) {
		struct evt_handler *next = retired->retired_next;

		handler_disable_locked(ni, retired);
		handler_free(retired);
		retired = next;
	}
	pthread_mutex_unlock(&ni->reg_mtx);
}

/*
 * In a batch. Deliver one event whose payload is @payld: the all-sources
 * chain first, then the source's.
 */
static void dispatch_one(struct scmi_notify *ni, struct proto_desc *pd,
			 struct proto_slot *slot, const struct evq_rec *rec,
			 const void *payld)
{
	struct reg_event *r_evt = pd_find_event(pd, rec->evt_id);
	struct evt_handler *all, *one;
	struct scmi_chain *chains[2];
	uint32_t src = 0;
	void *report;

	assert(r_evt);
	report = pd->ops.fill_custom_report(pd->priv, rec->evt_id,
					    rec->timestamp_ns, payld,
					    rec->payld_sz, r_evt->report, &src);
	evq_consume(&pd->q, rec);
	if (!report || src >= pd->num_sources) {
		counter_inc(&slot->dropped_report);
		scmi_dbg(&ni->log, "event 0x%x/%u: report not available%s",
			 pd->id, rec->evt_id,
			 report ? " (source out of range)" : "");
		return;
	}
	counter_inc(&slot->delivered);

	all = atomic_load_explicit(&r_evt->all, memory_order_acquire);
	one = atomic_load_explicit(&r_evt->by_src[src], memory_order_acquire);
	if (!all && !one)
		return;
	chains[0] = all ? &all->chain : NULL;
	chains[1] = one ? &one->chain : NULL;
	chain_batch_call(&ni->chains, chains, 2, rec->evt_id, report);
}

/* dispatch_mtx held. Drain up to a batch of @pd's queue. Returns count. */
static unsigned int drain_batch(struct scmi_notify *ni, struct proto_desc *pd)
{
	struct proto_slot *slot = &ni->slots[pd->id];
	struct evq_rec rec;
	const void *payld;
	unsigned int n = 0;

	if (evq_empty(&pd->q))
		return 0;
	batch_begin(ni);
	while (n < DISPATCH_BATCH &&
	       evq_peek(&pd->q, &rec, &payld, pd->payld_buf,
			pd->payld_buf_sz)) {
		dispatch_one(ni, pd, slot, &rec, payld);
		n++;
	}
	batch_end(ni);
	if (!evq_empty(&pd->q))
		work_mark(ni, pd->id);
	return n;
}

/*
 * Take dispatch_mtx ahead of the dispatcher: it lets go between rounds
 * while someone waits here (deregister, destroy), so that a flood of events
 * cannot starve them.
 */
static void dispatch_lock_ahead(struct scmi_notify *ni)
{
	atomic_fetch_add(&ni->dispatch_waiters, 1);
	pthread_mutex_lock(&ni->dispatch_mtx);
	atomic_fetch_sub(&ni->dispatch_waiters, 1);
}

/* dispatch_mtx held: let the waiters of dispatch_lock_ahead() in first. */
static void dispatch_yield_locked(struct scmi_notify *ni)
{
	pthread_mutex_unlock(&ni->dispatch_mtx);
	while (atomic_load(&ni->dispatch_waiters))
		sched_yield();
	pthread_mutex_lock(&ni->dispatch_mtx);
}

/*
 * dispatch_mtx held. Late init, then rounds of one batch per protocol with
 * queued events, until every queue is empty; *@n events. worker_consume()
 * comes first and the work bits are taken with seq_cst exchanges after
 * it: worker.c explains why nothing published before a kick can be
 * missed. Returns late_init()'s result: the queues are drained anyway.
 */
static int dispatch_locked(struct scmi_notify *ni, bool read_fd,
			   unsigned int *count)
{
	unsigned int n = 0;
	bool more;
	int ret = 0;

	worker_consume(&ni->worker, read_fd);
	if (atomic_exchange(&ni->late_init, false))
		ret = late_init(ni);

	do {
		more = false;
		if (ni->round_fn)
			ni->round_fn(ni->round_arg);
		for (unsigned int w = 0; w < 4; w++) {
			uint64_t bits = atomic_exchange(&ni->work[w], 0);

			while (bits) {
				unsigned int p = w * 64 + __builtin_ctzll(bits);
				struct proto_desc *pd = atomic_load_explicit(
					&ni->slots[p].pd, memory_order_acquire);

				bits &= bits - 1;
				if (pd)
					n += drain_batch(ni, pd);
				more = true;
			}
		}
		if (more && atomic_load(&ni->dispatch_waiters))
			dispatch_yield_locked(ni);
	} while (more);
	*count = n;
	return ret;
}

static void worker_fn(void *arg)
{
	struct scmi_notify *ni = arg;
	unsigned int n;

	/* a late init that failed is retried at the next pass */
	pthread_mutex_lock(&ni->dispatch_mtx);
	dispatch_locked(ni, true, &n);
	pthread_mutex_unlock(&ni->dispatch_mtx);
}

int notify_dispatch(struct scmi_notify *ni, bool read_fd)
{
	unsigned int n;
	int ret;

	if (!ni)
		return -EINVAL;
	if (chain_in_dispatch(&ni->chains))
		return -EDEADLK;
	pthread_mutex_lock(&ni->dispatch_mtx);
	ret = dispatch_locked(ni, read_fd, &n);
	pthread_mutex_unlock(&ni->dispatch_mtx);
	if (ret)
		return ret;
	return n > INT32_MAX ? INT32_MAX : (int)n;
}

SCMI_EXPORT int scmi_notify_run_pending(struct scmi_notify *ni)
{
	return notify_dispatch(ni, true);
}

SCMI_EXPORT int scmi_notify_get_fd(struct scmi_notify *ni)
{
	if (!ni)
		return -EINVAL;
	return ni->worker.efd >= 0 ? ni->worker.efd : -EOPNOTSUPP;
}

bool notify_in_callback(struct scmi_notify *ni)
{
	return chain_in_dispatch(&ni->chains);
}

/* ---------------------------------------------------------------- */
/* the producer side                                                */

/*
 * A counter several producers may bump at once, unless there is one.
 * Release: a reader that sees the bump sees received's bump before it.
 */
static inline void producer_count(struct scmi_notify *ni, _Atomic uint64_t *c)
{
	if (ni->single_producer)
		counter_inc(c);
	else
		atomic_fetch_add_explicit(c, 1, memory_order_release);
}

int notify_queue(struct scmi_notify *ni, uint8_t proto_id, uint8_t evt_id,
		 const void *payld, size_t payld_sz, uint64_t timestamp_ns,
		 unsigned int flags)
{
	struct proto_slot *slot;
	struct proto_desc *pd;
	struct reg_event *r_evt;
	uint32_t suppressed;
	int ret;

	if (!ni)
		return -EINVAL;
	slot = &ni->slots[proto_id];

	atomic_fetch_add(&slot->producers, 1);
	pd = atomic_load(&slot->pd);
	if (!pd || !(r_evt = pd_find_event(pd, evt_id)) ||
	    payld_sz > r_evt->evt.max_payld_sz || (!payld && payld_sz)) {
		atomic_fetch_sub_explicit(&slot->producers, 1,
					  memory_order_release);
		producer_count(ni, &slot->received);
		producer_count(ni, &slot->dropped_invalid);
		return -EINVAL;
	}
	if ((flags & NOTIFY_TRY) && !evq_has_room(&pd->q, payld_sz)) {
		/* not received: the caller keeps it and offers it again */
		atomic_fetch_sub_explicit(&slot->producers, 1,
					  memory_order_release);
		return -EAGAIN;
	}
	producer_count(ni, &slot->received);
	/* queued is counted inside, before the record is published */
	ret = evq_push(&pd->q, evt_id, timestamp_ns, payld, payld_sz,
		       &slot->queued);
	atomic_fetch_sub_explicit(&slot->producers, 1, memory_order_release);
	if (ret) {
		producer_count(ni, &slot->dropped_full);
		if (scmi_log_enabled(&ni->log, SCMI_LOG_WARNING) &&
		    scmi_ratelimit_ok(&ni->drop_rl, &suppressed))
			scmi_warn(&ni->log,
				  "queue of protocol 0x%x full, dropping event %u (%u more drops not logged)",
				  proto_id, evt_id, suppressed);
		return ret;
	}
	/* the record and the work bit are published: worker.c's protocol */
	work_mark(ni, proto_id);
	if (flags & NOTIFY_KICK)
		worker_kick(&ni->worker);
	return 0;
}

void notify_kick(struct scmi_notify *ni)
{
	worker_kick(&ni->worker);
}

SCMI_EXPORT int scmi_notify(struct scmi_notify *ni, uint8_t proto_id,
			    uint8_t evt_id, const void *payld, size_t payld_sz,
			    uint64_t timestamp_ns)
{
	return notify_queue(ni, proto_id, evt_id, payld, payld_sz,
			    timestamp_ns, NOTIFY_KICK);
}

/* ---------------------------------------------------------------- */
/* protocols                                                        */

static void pd_free(struct proto_desc *pd)
{
	if (!pd)
		return;
	for (unsigned int i = 0; i < pd->num_events; i++) {
		free(pd->r_evts[i].report);
		free(pd->r_evts[i].sources);
		free(pd->r_evts[i].by_src);
	}
	free(pd->r_evts);
	free(pd->payld_buf);
	evq_fini(&pd->q);
	free(pd);
}

static int pd_new(struct scmi_notify *ni, uint8_t proto_id, void *priv,
		  const struct scmi_protocol_events *ee, unsigned int num_sources,
		  struct proto_desc **out)
{
	size_t queue_sz = ee->queue_sz ? ee->queue_sz : ni->default_queue_sz;
	size_t max_payld = 1;
	struct proto_desc *pd;
	int ret;

	pd = calloc(1, sizeof(*pd));
	if (!pd)
		return -ENOMEM;
	pd->id = proto_id;
	pd->priv = priv;
	pd->ops = *ee->ops;
	pd->num_sources = num_sources;
	memset(pd->evt_idx, 0xff, sizeof(pd->evt_idx));

	pd->r_evts = calloc(ee->num_events, sizeof(*pd->r_evts));
	if (!pd->r_evts)
		goto nomem;
	for (unsigned int i = 0; i < ee->num_events; i++) {
		struct reg_event *r_evt = &pd->r_evts[i];

		pd->num_events++;
		r_evt->evt = ee->evts[i];
		r_evt->pd = pd;
		atomic_init(&r_evt->all, NULL);
		r_evt->report = calloc(1, ee->evts[i].max_report_sz);
		r_evt->sources = calloc(num_sources, sizeof(*r_evt->sources));
		/* all-bits-zero is a NULL pointer on every target we build for */
		r_evt->by_src = calloc(num_sources, sizeof(*r_evt->by_src));
		if (!r_evt->report || !r_evt->sources || !r_evt->by_src)
			goto nomem;
		pd->evt_idx[ee->evts[i].id] = (int16_t)i;
		if (ee->evts[i].max_payld_sz > max_payld)
			max_payld = ee->evts[i].max_payld_sz;
	}
	pd->payld_buf = malloc(max_payld);
	if (!pd->payld_buf)
		goto nomem;
	pd->payld_buf_sz = max_payld;

	/* a queue must hold the largest event, or that event never flows */
	ret = queue_sz < evq_rec_size(max_payld) ? -EINVAL :
		evq_init(&pd->q, queue_sz, ni->single_producer);
	if (ret) {
		pd->q.buf = NULL;
		pd_free(pd);
		return ret;
	}
	*out = pd;
	return 0;
nomem:
	pd_free(pd);
	return -ENOMEM;
}

static int check_events(const struct scmi_protocol_events *ee)
{
	bool seen[256] = { false };

	if (!ee->ops || !ee->ops->set_notify_enabled ||
	    !ee->ops->fill_custom_report || !ee->evts || !ee->num_events ||
	    ee->num_events > 256)
		return -EINVAL;
	if (!ee->num_sources && !ee->ops->get_num_sources)
		return -EINVAL;
	for (unsigned int i = 0; i < ee->num_events; i++) {
		const struct scmi_event *evt = &ee->evts[i];

		if (seen[evt->id] || !evt->max_report_sz ||
		    evt->max_payld_sz > UINT32_MAX / 2)
			return -EINVAL;
		seen[evt->id] = true;
	}
	return 0;
}

SCMI_EXPORT int scmi_register_protocol_events(
	struct scmi_notify *ni, uint8_t proto_id, void *proto_priv,
	const struct scmi_protocol_events *ee)
{
	struct proto_slot *slot;
	struct proto_desc *pd;
	unsigned int num_sources;
	int ret;

	if (!ni || !ee)
		return -EINVAL;
	ret = check_events(ee);
	if (ret)
		return ret;
	slot = &ni->slots[proto_id];
	if (atomic_load(&slot->pd))
		return -EEXIST;

	if (ee->num_sources) {
		num_sources = ee->num_sources;
	} else {
		int n = ee->ops->get_num_sources(proto_priv);

		if (n < 0)
			return n;
		num_sources = (unsigned int)n;
	}
	if (!num_sources || num_sources > SCMI_MAX_SRC_ID + 1)
		return -EINVAL;

	ret = pd_new(ni, proto_id, proto_priv, ee, num_sources, &pd);
	if (ret)
		return ret;

	pthread_mutex_lock(&ni->reg_mtx);
	if (slot_pd(ni, proto_id)) {
		pthread_mutex_unlock(&ni->reg_mtx);
		pd_free(pd);
		return -EEXIST;
	}
	atomic_store_explicit(&slot->pd, pd, memory_order_release);
	pthread_mutex_unlock(&ni->reg_mtx);

	scmi_dbg(&ni->log, "protocol 0x%x registered: %u events, %u sources",
		 proto_id, pd->num_events, num_sources);

	/* the worker binds pending handlers, as the kernel's init_work does */
	atomic_store(&ni->late_init, true);
	worker_kick(&ni->worker);
	return 0;
}

/* dispatch_mtx held. */
static int deregister_locked(struct scmi_notify *ni, uint8_t proto_id)
{
	struct proto_slot *slot = &ni->slots[proto_id];
	struct evt_handler *hndl, *tmp;
	struct proto_desc *pd;
	size_t n;

	pthread_mutex_lock(&ni->reg_mtx);
	pd = slot_pd(ni, proto_id);
	if (!pd) {
		pthread_mutex_unlock(&ni->reg_mtx);
		return -ENOENT;
	}
	atomic_store(&slot->pd, NULL);
	while (atomic_load(&slot->producers))
		sched_yield();

	/* no batch runs (dispatch_mtx): nobody holds a handler pointer */
	HASH_ITER(hh, ni->handlers, hndl, tmp)
		if (hndl->r_evt && hndl->r_evt->pd == pd)
			handler_unbind_locked(ni, hndl);
	pthread_mutex_unlock(&ni->reg_mtx);

	n = evq_discard(&pd->q);
	atomic_fetch_add_explicit(&slot->discarded, n, memory_order_release);
	scmi_dbg(&ni->log, "protocol 0x%x deregistered, %zu events discarded",
		 proto_id, n);
	pd_free(pd);
	return 0;
}

SCMI_EXPORT int scmi_deregister_protocol_events(struct scmi_notify *ni,
						uint8_t proto_id)
{
	int ret;

	if (!ni)
		return -EINVAL;
	if (chain_in_dispatch(&ni->chains))
		return -EDEADLK;
	dispatch_lock_ahead(ni);
	ret = deregister_locked(ni, proto_id);
	pthread_mutex_unlock(&ni->dispatch_mtx);
	return ret;
}

/* ---------------------------------------------------------------- */
/* notifiers                                                        */

static int parse_src(const uint32_t *src_id, uint32_t *src)
{
	*src = src_id ? *src_id : SRC_ALL;
	return *src > SRC_ALL ? -EINVAL : 0;
}

/* reg_mtx held. Take a handler made by handler_new() out again. */
static void handler_drop_locked(struct scmi_notify *ni,
				struct evt_handler *hndl)
{
	HASH_DEL(ni->handlers, hndl);
	handler_free(hndl);
}

/*
 * reg_mtx held. Register on a bound protocol. Everything that allocates
 * comes before the platform hears of it, and the notifier is linked only
 * once nothing else can fail: a dispatch may run the chain as soon as it
 * is linked, and a caller whose registration failed may free the
 * notifier at once. So a failed registration sends nothing.
 */
static int register_bound_locked(struct scmi_notify *ni, struct proto_desc *pd,
				 uint32_t key, struct scmi_notifier *nb)
{
	struct reg_event *r_evt = handler_bindable(pd, key);
	struct evt_handler *hndl;
	bool created = false;
	int ret;

	if (!r_evt)
		return -EINVAL;
	if (KEY_SRC(key) != SRC_ALL &&
	    !src_supported(pd, r_evt->evt.id, KEY_SRC(key)))
		return -EOPNOTSUPP;
	ret = chain_reserve(&ni->chains, nb, key);
	if (ret)
		return ret;

	hndl = handler_find(ni, key);
	if (hndl && !hndl->r_evt) {
		/* a pending handler whose late init has not run yet */
		ret = handler_bind_locked(ni, pd, hndl);
		if (ret)
			goto fail;
	}
	if (!hndl) {
		hndl = handler_new(ni, key);
		if (!hndl) {
			ret = -ENOMEM;
			goto fail;
		}
		hndl->r_evt = r_evt;
		created = true;
	}
	if (!hndl->enabled) {
		/* new, or bound with a failed enable: (re)try */
		ret = handler_enable_locked(ni, hndl);
		if (ret)
			goto fail;
	}
	chain_link(&ni->chains, &hndl->chain, nb);
	if (created)
		handler_publish(hndl);
	hndl->users++;
	return 0;
fail:
	if (created)
		handler_drop_locked(ni, hndl);
	chain_unreserve(&ni->chains, nb);
	return ret;
}

/* reg_mtx held. Register on a protocol not registered yet. */
static int register_pending_locked(struct scmi_notify *ni, uint32_t key,
				   struct scmi_notifier *nb)
{
	struct evt_handler *hndl;
	int ret;

	ret = chain_reserve(&ni->chains, nb, key);
	if (ret)
		return ret;
	hndl = handler_find(ni, key);
	if (!hndl) {
		hndl = handler_new(ni, key);
		if (!hndl) {
			chain_unreserve(&ni->chains, nb);
			return -ENOMEM;
		}
	}
	chain_link(&ni->chains, &hndl->chain, nb);
	hndl->users++;
	return 0;
}

SCMI_EXPORT int scmi_event_notifier_register(struct scmi_notify *ni,
					     uint8_t proto_id, uint8_t evt_id,
					     const uint32_t *src_id,
					     struct scmi_notifier *nb)
{
	struct proto_desc *pd;
	uint32_t src, key;
	int ret;

	if (!ni || !nb || !nb->cb || parse_src(src_id, &src))
		return -EINVAL;
	key = MAKE_KEY(proto_id, evt_id, src);

	pthread_mutex_lock(&ni->reg_mtx);
	pd = slot_pd(ni, proto_id);
	if (pd)
		ret = register_bound_locked(ni, pd, key, nb);
	else
		ret = register_pending_locked(ni, key, nb);
	pthread_mutex_unlock(&ni->reg_mtx);
	return ret;
}

SCMI_EXPORT int scmi_event_notifier_unregister(struct scmi_notify *ni,
					       uint8_t proto_id, uint8_t evt_id,
					       const uint32_t *src_id,
					       struct scmi_notifier *nb)
{
	struct evt_handler *hndl;
	uint32_t src, key;
	int ret = -ENOENT;

	if (!ni || !nb || parse_src(src_id, &src))
		return -EINVAL;
	key = MAKE_KEY(proto_id, evt_id, src);

	pthread_mutex_lock(&ni->reg_mtx);
	hndl = handler_find(ni, key);
	if (hndl)
		ret = chain_unregister(&ni->chains, &hndl->chain, nb);
	if (!ret && !--hndl->users)
		handler_release_locked(ni, hndl);
	pthread_mutex_unlock(&ni->reg_mtx);

	if (!ret)
		chain_wait_unused(&ni->chains, nb);
	return ret;
}

/* ---------------------------------------------------------------- */
/* the instance                                                     */

void notify_set_round_hook(struct scmi_notify *ni, void (*fn)(void *),
			   void *arg)
{
	/* the worker may already be in a dispatch pass: its lock */
	pthread_mutex_lock(&ni->dispatch_mtx);
	ni->round_fn = fn;
	ni->round_arg = arg;
	pthread_mutex_unlock(&ni->dispatch_mtx);
}

int notify_bind_pending(struct scmi_notify *ni)
{
	if (!ni)
		return -EINVAL;
	if (chain_in_dispatch(&ni->chains))
		return -EDEADLK;
	return late_init(ni);
}

void notify_count_handlers(struct scmi_notify *ni, unsigned int *bound,
			   unsigned int *pending)
{
	struct evt_handler *hndl, *tmp;

	*bound = *pending = 0;
	pthread_mutex_lock(&ni->reg_mtx);
	HASH_ITER(hh, ni->handlers, hndl, tmp)
		(*(hndl->r_evt ? bound : pending))++;
	pthread_mutex_unlock(&ni->reg_mtx);
}

int scmi_notify_get_stats_full(struct scmi_notify *ni, uint8_t proto_id,
			       struct scmi_notify_stats *st)
{
	struct proto_slot *slot;

	if (!ni || !st)
		return -EINVAL;
	slot = &ni->slots[proto_id];
	/*
	 * The dispatcher's counters first, then the producers', each
	 * counted before the other side could act on it (see the top of
	 * this file): every relation documented in notify.h holds in the
	 * copy, also while events flow.
	 */
	st->delivered = atomic_load_explicit(&slot->delivered,
					     memory_order_acquire);
	st->dropped_report = atomic_load_explicit(&slot->dropped_report,
						  memory_order_acquire);
	st->discarded = atomic_load_explicit(&slot->discarded,
					     memory_order_acquire);
	st->queued = atomic_load_explicit(&slot->queued, memory_order_acquire);
	st->dropped_full = atomic_load_explicit(&slot->dropped_full,
						memory_order_acquire);
	st->dropped_invalid = atomic_load_explicit(&slot->dropped_invalid,
						   memory_order_acquire);
	st->received = atomic_load_explicit(&slot->received,
					    memory_order_acquire);
	return 0;
}

int scmi_notify_create_full(struct scmi_notify **out,
			    const struct scmi_notify_config *cfg)
{
	static const struct scmi_notify_config defaults;
	struct scmi_notify *ni;
	int ret;

	if (!out)
		return -EINVAL;
	if (!cfg)
		cfg = &defaults;

	ni = aligned_alloc(64, (sizeof(*ni) + 63) & ~(size_t)63);
	if (!ni)
		return -ENOMEM;
	memset(ni, 0, sizeof(*ni));
	scmi_log_init(&ni->log, cfg->log_fn, cfg->log_userdata, cfg->log_level);
	ni->default_queue_sz = cfg->default_queue_sz ?
				       cfg->default_queue_sz :
				       SCMI_NOTIFY_DEFAULT_QUEUE_SZ;
	ni->single_producer = cfg->single_producer;
	pthread_mutex_init(&ni->dispatch_mtx, NULL);
	pthread_mutex_init(&ni->reg_mtx, NULL);
	pthread_mutex_init(&ni->batch_mtx, NULL);

	ret = chain_ctx_init(&ni->chains, &ni->log);
	if (ret)
		goto fail_chains;
	ret = worker_init(&ni->worker, cfg->manual_dispatch, worker_fn, ni);
	if (ret)
		goto fail_worker;
	if (!cfg->manual_dispatch) {
		ret = worker_start(&ni->worker);
		if (ret)
			goto fail_start;
	}
	*out = ni;
	return 0;

fail_start:
	worker_fini(&ni->worker);
fail_worker:
	chain_ctx_fini(&ni->chains);
fail_chains:
	pthread_mutex_destroy(&ni->batch_mtx);
	pthread_mutex_destroy(&ni->reg_mtx);
	pthread_mutex_destroy(&ni->dispatch_mtx);
	free(ni);
	return ret;
}

SCMI_EXPORT int scmi_notify_destroy(struct scmi_notify *ni)
{
	struct evt_handler *hndl, *tmp;

	if (!ni)
		return 0;
	if (chain_in_dispatch(&ni->chains))
		return -EDEADLK;
	worker_stop(&ni->worker);

	dispatch_lock_ahead(ni);
	for (unsigned int p = 0; p < 256; p++)
		deregister_locked(ni, (uint8_t)p);
	pthread_mutex_unlock(&ni->dispatch_mtx);

	HASH_ITER(hh, ni->handlers, hndl, tmp) {
		HASH_DEL(ni->handlers, hndl);
		handler_free(hndl);
	}
	worker_fini(&ni->worker);
	chain_ctx_fini(&ni->chains);
	pthread_mutex_destroy(&ni->batch_mtx);
	pthread_mutex_destroy(&ni->reg_mtx);
	pthread_mutex_destroy(&ni->dispatch_mtx);
	free(ni);
	return 0;
}
