/* SPDX-License-Identifier: MIT */
/*
 * Priority-ordered notifier chains. Lock: ctx->mtx, a leaf, protects every
 * chain's links, the table of registered notifiers and the dispatch state.
 * It is dropped around each callback, so a callback may register or
 * unregister anything. The dispatch walks a chain through ctx->iter_next,
 * which chain_unregister() moves past a notifier it removes, so removal
 * during a walk (of the running notifier or any other) is safe. A notifier
 * registered while an event is dispatched is "fresh" and skipped for it.
 * The dispatcher holds the mutex for a whole batch of events but while
 * callbacks run: one lock round trip per callback, none per event.
 * uthash runs in its non-fatal OOM mode (hash.h): every add is checked.
 * Registration allocates in chain_reserve() and links in chain_link(),
 * which cannot fail, so that a caller can enable the platform in between
 * and never has to take back what a dispatch or the platform saw.
 */
#include <assert.h>
#include <errno.h>
#include <stdlib.h>

#include "notifier.h"

int chain_ctx_init(struct scmi_chain_ctx *ctx, const struct scmi_log *log)
{
	int ret;

	ret = pthread_mutex_init(&ctx->mtx, NULL);
	if (ret)
		return -ret;
	ret = pthread_cond_init(&ctx->idle, NULL);
	if (ret) {
		pthread_mutex_destroy(&ctx->mtx);
		return -ret;
	}
	ctx->registered = NULL;
	ctx->dispatching = false;
	ctx->running = NULL;
	ctx->iter_next = NULL;
	ctx->waiters = 0;
	ctx->fresh = NULL;
	ctx->nfresh = 0;
	ctx->fresh_cap = 0;
	ctx->nreserved = 0;
	ctx->warned_stop = false;
	ctx->warn_evt = -1;
	ctx->log = log;
	return 0;
}

void chain_ctx_fini(struct scmi_chain_ctx *ctx)
{
	struct nb_entry *e, *tmp;

	HASH_ITER(hh, ctx->registered, e, tmp) {
		HASH_DEL(ctx->registered, e);
		free(e);
	}
	free(ctx->fresh);
	pthread_cond_destroy(&ctx->idle);
	pthread_mutex_destroy(&ctx->mtx);
}

static bool is_dispatcher_locked(const struct scmi_chain_ctx *ctx)
{
	return ctx->dispatching && pthread_equal(ctx->dispatcher, pthread_self());
}

static bool is_fresh_locked(const struct scmi_chain_ctx *ctx,
			    const struct scmi_notifier *nb)
{
	for (size_t i = 0; i < ctx->nfresh; i++)
		if (ctx->fresh[i] == nb)
			return true;
	return false;
}

static void unfresh_locked(struct scmi_chain_ctx *ctx,
			   const struct scmi_notifier *nb)
{
	for (size_t i = 0; i < ctx->nfresh; i++)
		if (ctx->fresh[i] == nb) {
			ctx->fresh[i] = ctx->fresh[--ctx->nfresh];
			return;
		}
}

/* ctx->mtx held. */
static int check_locked(struct scmi_chain_ctx *ctx,
			const struct scmi_notifier *nb, uint32_t key)
{
	struct nb_entry *e;

	HASH_FIND_PTR(ctx->registered, &nb, e);
	if (e)
		return e->key == key ? -EEXIST : -EBUSY;
	return 0;
}

int chain_check(struct scmi_chain_ctx *ctx, const struct scmi_notifier *nb,
		uint32_t key)
{
	int ret;

	pthread_mutex_lock(&ctx->mtx);
	ret = check_locked(ctx, nb, key);
	pthread_mutex_unlock(&ctx->mtx);
	return ret;
}

int chain_reserve(struct scmi_chain_ctx *ctx, struct scmi_notifier *nb,
		  uint32_t key)
{
	struct nb_entry *e;
	int ret;

	pthread_mutex_lock(&ctx->mtx);
	ret = check_locked(ctx, nb, key);
	if (ret)
		goto out;
	/*
	 * A fresh slot for each reservation, whether an event is being
	 * dispatched now or not: one may be by the time it is linked.
	 */
	if (ctx->nfresh + ctx->nreserved == ctx->fresh_cap) {
		size_t cap = ctx->fresh_cap ? 2 * ctx->fresh_cap : 4;
		void *p = realloc(ctx->fresh, cap * sizeof(*ctx->fresh));

		if (!p) {
			ret = -ENOMEM;
			goto out;
		}
		ctx->fresh = p;
		ctx->fresh_cap = cap;
	}
	e = malloc(sizeof(*e));
	if (!e) {
		ret = -ENOMEM;
		goto out;
	}
	e->nb = nb;
	e->key = key;
	HASH_ADD_PTR(ctx->registered, nb, e);
	if (!HASH_ADDED(e, hh)) {
		free(e);
		ret = -ENOMEM;
		goto out;
	}
	ctx->nreserved++;
out:
	pthread_mutex_unlock(&ctx->mtx);
	return ret;
}

void chain_link(struct scmi_chain_ctx *ctx, struct scmi_chain *chain,
		struct scmi_notifier *nb)
{
	struct scmi_notifier **pp;

	pthread_mutex_lock(&ctx->mtx);
	assert(ctx->nreserved > 0);
	ctx->nreserved--;
	for (pp = &chain->head; *pp && (*pp)->priority >= nb->priority;
	     pp = &(*pp)->next)
		;
	nb->next = *pp;
	*pp = nb;
	/* the walk in progress must not reach it: it skips fresh ones */
	if (ctx->dispatching)
		ctx->fresh[ctx->nfresh++] = nb;
	pthread_mutex_unlock(&ctx->mtx);
}

static void forget_locked(struct scmi_chain_ctx *ctx,
			  const struct scmi_notifier *nb)
{
	struct nb_entry *e;

	HASH_FIND_PTR(ctx->registered, &nb, e);
	if (e) {
		HASH_DEL(ctx->registered, e);
		free(e);
	}
}

void chain_unreserve(struct scmi_chain_ctx *ctx, struct scmi_notifier *nb)
{
	pthread_mutex_lock(&ctx->mtx);
	assert(ctx->nreserved > 0);
	ctx->nreserved--;
	forget_locked(ctx, nb);
	pthread_mutex_unlock(&ctx->mtx);
}

int chain_register(struct scmi_chain_ctx *ctx, struct scmi_chain *chain,
		   struct scmi_notifier *nb, uint32_t key)
{
	int ret = chain_reserve(ctx, nb, key);

	if (!ret)
		chain_link(ctx, chain, nb);
	return ret;
}

int chain_unregister(struct scmi_chain_ctx *ctx, struct scmi_chain *chain,
		     struct scmi_notifier *nb)
{
	struct scmi_notifier **pp;
	int ret = -ENOENT;

	pthread_mutex_lock(&ctx->mtx);
	for (pp = &chain->head; *pp; pp = &(*pp)->next) {
		if (*pp != nb)
			continue;
		*pp = nb->next;
		if (ctx->iter_next == nb)
			ctx->iter_next = nb->next;
		unfresh_locked(ctx, nb);
		forget_locked(ctx, nb);
		nb->next = NULL;
		ret = 0;
		break;
	}
	pthread_mutex_unlock(&ctx->mtx);
	return ret;
}

bool chain_empty(struct scmi_chain_ctx *ctx, const struct scmi_chain *chain)
{
	bool empty;

	pthread_mutex_lock(&ctx->mtx);
	empty = !chain->head;
	pthread_mutex_unlock(&ctx->mtx);
	return empty;
}

void chain_wait_unused(struct scmi_chain_ctx *ctx,
		       const struct scmi_notifier *nb)
{
	pthread_mutex_lock(&ctx->mtx);
	if (!is_dispatcher_locked(ctx)) {
		ctx->waiters++;
		while (ctx->running == nb)
			pthread_cond_wait(&ctx->idle, &ctx->mtx);
		ctx->waiters--;
	}
	pthread_mutex_unlock(&ctx->mtx);
}

bool chain_in_dispatch(struct scmi_chain_ctx *ctx)
{
	bool ret;

	pthread_mutex_lock(&ctx->mtx);
	ret = is_dispatcher_locked(ctx);
	pthread_mutex_unlock(&ctx->mtx);
	return ret;
}

/* ctx->mtx held, dispatching. Run one chain; true if a callback cut it. */
static bool call_chain_locked(struct scmi_chain_ctx *ctx,
			      struct scmi_chain *chain, uint8_t evt_id,
			      const void *report)
{
	struct scmi_notifier *nb;
	bool cut = false;
	int ret;

	for (nb = chain->head; nb; nb = ctx->iter_next) {
		if (ctx->nfresh && is_fresh_locked(ctx, nb)) {
			ctx->iter_next = nb->next;
			continue;
		}
		ctx->running = nb;
		ctx->iter_next = nb->next;
		pthread_mutex_unlock(&ctx->mtx);

		ret = nb->cb(nb, evt_id, report);

		pthread_mutex_lock(&ctx->mtx);
		ctx->running = NULL;
		if (ctx->waiters)
			pthread_cond_broadcast(&ctx->idle);
		if (ret & SCMI_NOTIFY_STOP_MASK) {
			cut = true;
			break;
		}
	}
	ctx->iter_next = NULL;
	return cut;
}

void chain_batch_begin(struct scmi_chain_ctx *ctx)
{
	pthread_mutex_lock(&ctx->mtx);
	ctx->dispatching = true;
	ctx->dispatcher = pthread_self();
}

void chain_batch_call(struct scmi_chain_ctx *ctx,
		      struct scmi_chain *const *chains, unsigned int n,
		      uint8_t evt_id, const void *report)
{
	for (unsigned int i = 0; i < n; i++)
		if (chains[i] && call_chain_locked(ctx, chains[i], evt_id, report) &&
		    !ctx->warned_stop) {
			ctx->warned_stop = true;
			ctx->warn_evt = evt_id;
		}
	/* fresh notifiers skip only the event they were registered in */
	ctx->nfresh = 0;
}

void chain_batch_end(struct scmi_chain_ctx *ctx)
{
	int warn_evt = ctx->warn_evt;

	ctx->warn_evt = -1;
	ctx->dispatching = false;
	pthread_mutex_unlock(&ctx->mtx);

	if (warn_evt >= 0)
		scmi_warn(ctx->log,
			  "a notifier of event %d stopped its chain (logged once)",
			  warn_evt);
}

void chain_dispatch(struct scmi_chain_ctx *ctx, struct scmi_chain *const *chains,
		    unsigned int n, uint8_t evt_id, const void *report)
{
	chain_batch_begin(ctx);
	chain_batch_call(ctx, chains, n, evt_id, report);
	chain_batch_end(ctx);
}
