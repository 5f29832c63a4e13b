/* SPDX-License-Identifier: MIT */
/*
 * The behaviour of the notification core (DESIGN.md 3.3), one test per
 * behaviour, driven through the public API against a fake protocol that
 * records what the platform would see.
 *
 * Most tests use a manual_dispatch instance and scmi_notify_run_pending(),
 * so that every step is deterministic; the worker thread is used where the
 * behaviour is about threads. Waits on other threads are bounded.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include <scmi/notify.h>

#include "fake-proto.h"
#include "notify-priv.h"

#define P 0x13        /* the fake protocol's id */
#define P2 0x80       /* a second protocol */
#define NSRC 4        /* sources of the fake protocol */
#define EA FAKE_EVT_A
#define EB FAKE_EVT_B
#define ALL SCMI_ALL_SRC_IDS
#define WAIT_MS 5000  /* bound of every wait for another thread */
#define STOP_RET (SCMI_NOTIFY_STOP_MASK | SCMI_NOTIFY_OK)

/* ---------------------------------------------------------------- */
/* fixture                                                          */

/* A gate a callback blocks on until the test releases it. */
struct gate {
	pthread_mutex_t mtx;
	pthread_cond_t cond;
	bool entered;
	bool released;
	struct fake_proto *fp;
	_Atomic size_t ncalls_at_return; /* platform calls seen at release */
	atomic_bool in_cb;
};

static void gate_init(struct gate *g, struct fake_proto *fp)
{
	memset(g, 0, sizeof(*g));
	pthread_mutex_init(&g->mtx, NULL);
	pthread_cond_init(&g->cond, NULL);
	g->fp = fp;
	atomic_init(&g->ncalls_at_return, (size_t)-1);
	atomic_init(&g->in_cb, false);
}

static void gate_fini(struct gate *g)
{
	pthread_cond_destroy(&g->cond);
	pthread_mutex_destroy(&g->mtx);
}

static bool gate_wait_entered(struct gate *g, unsigned int ms)
{
	struct timespec dl = fake_deadline(ms);
	bool ok;

	pthread_mutex_lock(&g->mtx);
	while (!g->entered &&
	       pthread_cond_timedwait(&g->cond, &g->mtx, &dl) != ETIMEDOUT)
		;
	ok = g->entered;
	pthread_mutex_unlock(&g->mtx);
	return ok;
}

static void gate_release(struct gate *g)
{
	pthread_mutex_lock(&g->mtx);
	g->released = true;
	pthread_cond_broadcast(&g->cond);
	pthread_mutex_unlock(&g->mtx);
}

/* Hook: block (bounded) until released, once. */
static void hook_block(struct fake_nb *f, uint8_t evt_id,
		       const struct fake_report *r)
{
	struct gate *g = f->arg;
	struct timespec dl = fake_deadline(WAIT_MS);

	atomic_store(&g->in_cb, true);
	pthread_mutex_lock(&g->mtx);
	g->entered = true;
	pthread_cond_broadcast(&g->cond);
	while (!g->released &&
	       pthread_cond_timedwait(&g->cond, &g->mtx, &dl) != ETIMEDOUT)
		;
	pthread_mutex_unlock(&g->mtx);
	atomic_store(&g->ncalls_at_return, fake_ncalls(g->fp));
	f->hook = NULL;
	atomic_store(&g->in_cb, false);
}

/* An unregister run on its own thread. */
struct unreg_job {
	struct scmi_notify *ni;
	uint8_t proto, evt;
	uint32_t src;
	struct scmi_notifier *nb;
	int ret;
	atomic_bool done;
};

static void *unreg_thread(void *arg)
{
	struct unreg_job *j = arg;

	j->ret = scmi_event_notifier_unregister(j->ni, j->proto, j->evt,
						&j->src, j->nb);
	atomic_store(&j->done, true);
	return NULL;
}

struct fx {
	struct scmi_notify *ni;
	struct fake_proto *fp;   /* protocol P, NSRC sources */
	struct fake_sink sink;
	struct fake_logcap log;
	/*
	 * For the tests with a blocked callback: here rather than on their
	 * stack, so that the teardown can release and join them even after
	 * a failed assertion.
	 */
	struct gate gate;
	struct fake_nb blocker;
	struct unreg_job job;
	pthread_t job_thread;
	bool job_started;
};

static int fx_setup(void **state, bool manual, bool reg)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	struct scmi_notify_config cfg = {
		.log_fn = fake_logcap_fn,
		.manual_dispatch = manual,
	};

	if (!fx)
		return -1;
	fake_sink_init(&fx->sink);
	fake_logcap_init(&fx->log);
	cfg.log_userdata = &fx->log;
	if (scmi_notify_create(&fx->ni, &cfg))
		return -1;
	fx->fp = fake_proto_new(fx->ni, P, NSRC);
	gate_init(&fx->gate, fx->fp);
	if (reg && fake_proto_register(fx->fp))
		return -1;
	*state = fx;
	return 0;
}

/* manual dispatch, protocol P registered */
static int setup_manual(void **state)
{
	return fx_setup(state, true, true);
}

/* manual dispatch, protocol P created but not registered */
static int setup_manual_unregistered(void **state)
{
	return fx_setup(state, true, false);
}

/* worker thread, protocol P registered */
static int setup_worker(void **state)
{
	return fx_setup(state, false, true);
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	gate_release(&fx->gate);
	if (fx->job_started)
		pthread_join(fx->job_thread, NULL);
	scmi_notify_destroy(fx->ni);
	gate_fini(&fx->gate);
	fake_proto_free(fx->fp);
	fake_logcap_fini(&fx->log);
	fake_sink_fini(&fx->sink);
	free(fx);
	return 0;
}

static int nreg(struct scmi_notify *ni, uint8_t proto, uint8_t evt,
		uint32_t src, struct fake_nb *f)
{
	return scmi_event_notifier_register(ni, proto, evt,
					    src == ALL ? NULL : &src, &f->nb);
}

static int nunreg(struct scmi_notify *ni, uint8_t proto, uint8_t evt,
		  uint32_t src, struct fake_nb *f)
{
	return scmi_event_notifier_unregister(ni, proto, evt,
					      src == ALL ? NULL : &src, &f->nb);
}

static struct scmi_notify_stats stats_of(struct scmi_notify *ni, uint8_t proto)
{
	struct scmi_notify_stats st;

	memset(&st, 0xa5, sizeof(st));
	assert_int_equal(scmi_notify_get_stats(ni, proto, &st), 0);
	return st;
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000,
			       .tv_nsec = (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static bool job_done_within(struct unreg_job *j, unsigned int ms)
{
	for (unsigned int i = 0; i < ms; i++) {
		if (atomic_load(&j->done))
			return true;
		sleep_ms(1);
	}
	return atomic_load(&j->done);
}

/* What a hook that calls back into the core did. */
struct hook_ctx {
	struct scmi_notify *ni;
	struct fake_proto *fp;
	struct fake_nb *target;  /* the notifier to act on */
	uint8_t evt;
	uint32_t src;
	int ret;
	int calls;
};

/* Hook: unregister ctx->target from (P, ctx->evt, ctx->src), once. */
static void hook_unregister(struct fake_nb *f, uint8_t evt_id,
			    const struct fake_report *r)
{
	struct hook_ctx *c = f->arg;

	c->calls++;
	c->ret = nunreg(c->ni, P, c->evt, c->src, c->target);
	f->hook = NULL;
}

/* ---------------------------------------------------------------- */
/* 1. registration, bound                                           */

static void test_register_bound(void **state)
{
	struct fx *fx = *state;
	struct fake_nb a, b, c, d;

	fake_nb_init(&a, &fx->sink, 1, 0);
	fake_nb_init(&b, &fx->sink, 2, 0);
	fake_nb_init(&c, &fx->sink, 3, 0);
	fake_nb_init(&d, &fx->sink, 4, 0);

	/* first user of source 2: generation turned on, synchronously */
	assert_int_equal(nreg(fx->ni, P, EA, 2, &a), 0);
	fake_expect_calls(fx->fp, FAKE_ON(EA, 2));
	/* second user of the same tuple: nothing sent */
	assert_int_equal(nreg(fx->ni, P, EA, 2, &b), 0);
	fake_expect_no_calls(fx->fp);
	/* all sources: only the sources no handler had on yet */
	assert_int_equal(nreg(fx->ni, P, EA, ALL, &c), 0);
	fake_expect_calls(fx->fp, FAKE_ON(EA, 0), FAKE_ON(EA, 1),
			  FAKE_ON(EA, 3));
	/* another event of the same source has its own count */
	assert_int_equal(nreg(fx->ni, P, EB, 2, &d), 0);
	fake_expect_calls(fx->fp, FAKE_ON(EB, 2));

	/* and events reach the callbacks, reports intact */
	assert_int_equal(fake_emit(fx->fp, EA, 2, 10), 0);
	assert_int_equal(fake_emit(fx->fp, EB, 2, 11), 0);
	assert_int_equal(fake_emit(fx->fp, EA, 0, 12), 0);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 3);
	fake_expect_deliveries(&fx->sink, { 3, EA, 2, 10 }, { 1, EA, 2, 10 },
			       { 2, EA, 2, 10 }, { 4, EB, 2, 11 },
			       { 3, EA, 0, 12 });
	fake_expect_no_calls(fx->fp);
	assert_int_equal(fake_logcap_count(&fx->log, SCMI_LOG_WARNING), 0);
}

/* ---------------------------------------------------------------- */
/* 2. registration, pending                                         */

static void test_register_pending(void **state)
{
	struct fx *fx = *state;
	struct fake_nb a, b, c, z;

	fake_nb_init(&a, &fx->sink, 1, 0);
	fake_nb_init(&b, &fx->sink, 2, 0);
	fake_nb_init(&c, &fx->sink, 3, 0);
	fake_nb_init(&z, &fx->sink, 4, 0);

	/* protocol P is not registered: accepted, nothing sent */
	assert_int_equal(nreg(fx->ni, P, EA, 1, &a), 0);
	assert_int_equal(nreg(fx->ni, P, EA, ALL, &c), 0);
	assert_int_equal(nreg(fx->ni, P, EB, 3, &z), 0);
	fake_expect_no_calls(fx->fp);
	assert_int_equal(fake_emit(fx->fp, EA, 1, 1), -EINVAL);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 0);
	fake_expect_no_calls(fx->fp);

	/* registering the protocol defers the binding to the worker */
	assert_int_equal(fake_proto_register(fx->fp), 0);
	fake_expect_no_calls(fx->fp);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 0);
	fake_expect_calls_any_order(fx->fp, FAKE_ON(EA, 0), FAKE_ON(EA, 1),
				    FAKE_ON(EA, 2), FAKE_ON(EA, 3),
				    FAKE_ON(EB, 3));
	assert_int_equal(scmi_notify_run_pending(fx->ni), 0);
	fake_expect_no_calls(fx->fp);

	/* events reach the callbacks from then on */
	assert_int_equal(fake_emit(fx->fp, EA, 1, 20), 0);
	assert_int_equal(fake_emit(fx->fp, EB, 3, 21), 0);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 2);
	fake_expect_deliveries(&fx->sink, { 3, EA, 1, 20 }, { 1, EA, 1, 20 },
			       { 4, EB, 3, 21 });

	/* the bound handler is a normal one: a new user sends nothing */
	assert_int_equal(nreg(fx->ni, P, EA, 1, &b), 0);
	fake_expect_no_calls(fx->fp);
	assert_int_equal(fake_emit(fx->fp, EA, 1, 22), 0);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 1);
	fake_expect_deliveries(&fx->sink, { 3, EA, 1, 22 }, { 1, EA, 1, 22 },
			       { 2, EA, 1, 22 });

	/* and its counts are the bound ones */
	assert_int_equal(nunreg(fx->ni, P, EA, 1, &a), 0);
	fake_expect_no_calls(fx->fp);
	assert_int_equal(nunreg(fx->ni, P, EA, ALL, &c), 0);
	fake_expect_calls(fx->fp, FAKE_OFF(EA, 0), FAKE_OFF(EA, 2),
			  FAKE_OFF(EA, 3));
	assert_int_equal(nunreg(fx->ni, P, EA, 1, &b), 0);
	fake_expect_calls(fx->fp, FAKE_OFF(EA, 1));
	assert_int_equal(nunreg(fx->ni, P, EB, 3, &z), 0);
	fake_expect_calls(fx->fp, FAKE_OFF(EB, 3));
}

static void test_register_pending_withdrawn_sends_nothing(void **state)
{
	struct fx *fx = *state;
	struct fake_nb a, b;

	fake_nb_init(&a, &fx->sink, 1, 0);
	fake_nb_init(&b, &fx->sink, 2, 0);
	assert_int_equal(nreg(fx->ni, P, EA, 1, &a), 0);
	assert_int_equal(nreg(fx->ni, P, EB, ALL, &b), 0);
	assert_int_equal(nunreg(fx->ni, P, EA, 1, &a), 0);
	assert_int_equal(nunreg(fx->ni, P, EB, ALL, &b), 0);
	assert_int_equal(nunreg(fx->ni, P, EA, 1, &a), -ENOENT);

	/* the protocol arrives: there is nothing left to bind */
	assert_int_equal(fake_proto_register(fx->fp), 0);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 0);
	fake_expect_no_calls(fx->fp);
	assert_int_equal(fake_emit(fx->fp, EA, 1, 1), 0);
	assert_int_equal(fake_emit(fx->fp, EB, 1, 2), 0);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 2);
	fake_expect_no_deliveries(&fx->sink);
	/* and the notifiers are free to go elsewhere */
	assert_int_equal(nreg(fx->ni, P, EA, 2, &a), 0);
	fake_expect_calls(fx->fp, FAKE_ON(EA, 2));
	assert_int_equal(nunreg(fx->ni, P, EA, 2, &a), 0);
	fake_expect_calls(fx->fp, FAKE_OFF(EA, 2));
}

/* A registration that comes between the protocol's and its late init. */
static void test_register_before_pending_bound(void **state)
{
	struct fx *fx = *state;
	struct fake_nb a, b;

	fake_nb_init(&a, &fx->sink, 1, 0);
	fake_nb_init(&b, &fx->sink, 2, 0);
	assert_int_equal(nreg(fx->ni, P, EA, 1, &a), 0);
	assert_int_equal(fake_proto_register(fx->fp), 0);
	/* joins the pending handler, which binds now: one enable */
	assert_int_equal(nreg(fx->ni, P, EA, 1, &b), 0);
	fake_expect_calls(fx->fp, FAKE_ON(EA, 1));
	assert_int_equal(scmi_notify_run_pending(fx->ni), 0);
	fake_expect_no_calls(fx->fp);

	/* one handler with both notifiers */
	assert_int_equal(fake_emit(fx->fp, EA, 1, 1), 0);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 1);
	fake_expect_deliveries(&fx->sink, { 1, EA, 1, 1 }, { 2, EA, 1, 1 });
	assert_int_equal(nunreg(fx->ni, P, EA, 1, &a), 0);
	fake_expect_no_calls(fx->fp);
	assert_int_equal(nunreg(fx->ni, P, EA, 1, &b), 0);
	fake_expect_calls(fx->fp, FAKE_OFF(EA, 1));
	assert_int_equal(fake_emit(fx->fp, EA, 1, 2), 0);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 1);
	fake_expect_no_deliveries(&fx->sink);
}

static void test_register_pending_enable_failure_retried(void **state)
{
	struct fx *fx = *state;
	struct fake_nb a, b;

	fake_nb_init(&a, &fx->sink, 1, 0);
	fake_nb_init(&b, &fx->sink, 2, 0);

	assert_int_equal(nreg(fx->ni, P, EA, 1, &a), 0);
	fake_fail_enable(fx->fp, 1, -EIO);
	assert_int_equal(fake_proto_register(fx->fp), 0);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 0);
	/* the platform refused: the attempt was made, and logged */
	fake_expect_calls(fx->fp, FAKE_ON(EA, 1));
	assert_true(fake_logcap_count(&fx->log, SCMI_LOG_WARNING) > 0);

	/* the next user of the tuple retries; its error is returned */
	assert_int_equal(nreg(fx->ni, P, EA, 1, &b), -EIO);
	fake_expect_calls(fx->fp, FAKE_ON(EA, 1));
	fake_fail_enable(fx->fp, 1, 0);
	assert_int_equal(nreg(fx->ni, P, EA, 1, &b), 0);
	fake_expect_calls(fx->fp, FAKE_ON(EA, 1));

	/* counted exactly once: one disable when the tuple empties */
	assert_int_equal(nunreg(fx->ni, P, EA, 1, &a), 0);
	fake_expect_no_calls(fx->fp);
	assert_int_equal(nunreg(fx->ni, P, EA, 1, &b), 0);
	fake_expect_calls(fx->fp, FAKE_OFF(EA, 1));
}

static void test_register_pending_all_sources_failure_retried(void **state)
{
	struct fx *fx = *state;
	struct fake_nb a, b;

	fake_nb_init(&a, &fx->sink, 1, 0);
	fake_nb_init(&b, &fx->sink, 2, 0);

	/* every source refuses when the pending all-sources handler binds */
	assert_int_equal(nreg(fx->ni, P, EB, ALL, &a), 0);
	for (uint32_t s = 0; s < NSRC; s++)
		fake_fail_enable(fx->fp, s, -EIO);
	assert_int_equal(fake_proto_register(fx->fp), 0);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 0);
	fake_expect_calls(fx->fp, FAKE_ON(EB, 0), FAKE_ON(EB, 1),
			  FAKE_ON(EB, 2), FAKE_ON(EB, 3));

	/* the next user retries them all; it gets the error or success */
	assert_int_equal(nreg(fx->ni, P, EB, ALL, &b), -EIO);
	fake_expect_calls(fx->fp, FAKE_ON(EB, 0), FAKE_ON(EB, 1),
			  FAKE_ON(EB, 2), FAKE_ON(EB, 3));
	fake_fail_enable(fx->fp, 0, 0);
	fake_fail_enable(fx->fp, 2, 0);
	assert_int_equal(nreg(fx->ni, P, EB, ALL, &b), 0);
	fake_expect_calls(fx->fp, FAKE_ON(EB, 0), FAKE_ON(EB, 1),
			  FAKE_ON(EB, 2), FAKE_ON(EB, 3));
	assert_int_equal(fake_emit(fx->fp, EB, 3, 1), 0);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 1);
	fake_expect_deliveries(&fx->sink, { 1, EB, 3, 1 }, { 2, EB, 3, 1 });

	/* only the sources that came on go off */
	assert_int_equal(nunreg(fx->ni, P, EB, ALL, &a), 0);
	fake_expect_no_calls(fx->fp);
	assert_int_equal(nunreg(fx->ni, P, EB, ALL, &b), 0);
	fake_expect_calls(fx->fp, FAKE_OFF(EB, 0), FAKE_OFF(EB, 2));
}

/* ---------------------------------------------------------------- */
/* 3. registration, invalid                                         */

/* Fail unless @ni holds @bound bound and @pending pending handlers. */
static void expect_handlers(struct scmi_notify *ni, unsigned int bound,
			    unsigned int pending)
{
	unsigned int b, p;

	notify_count_handlers(ni, &b, &p);
	assert_int_equal(b, bound);
	assert_int_equal(p, pending);
}

static void test_register_invalid(void **state)
{
	struct fx *fx = *state;
	struct fake_nb a;

	fake_nb_init(&a, &fx->sink, 1, 0);

	assert_int_equal(nreg(fx->ni, P, FAKE_EVT_MISSING, 0, &a), -EINVAL);
	assert_int_equal(nreg(fx->ni, P, FAKE_EVT_MISSING, ALL, &a), -EINVAL);
	assert_int_equal(nreg(fx->ni, P, EA, NSRC, &a), -EINVAL);
	assert_int_equal(nreg(fx->ni, P, EB, SCMI_MAX_SRC_ID, &a), -EINVAL);
	fake_expect_no_calls(fx->fp);

	/* no handler was left behind: none bound, none pending */
	expect_handlers(fx->ni, 0, 0);
	assert_int_equal(nunreg(fx->ni, P, FAKE_EVT_MISSING, 0, &a), -ENOENT);
	assert_int_equal(nunreg(fx->ni, P, FAKE_EVT_MISSING, ALL, &a), -ENOENT);
	assert_int_equal(nunreg(fx->ni, P, EA, NSRC, &a), -ENOENT);
	assert_int_equal(nunreg(fx->ni, P, EB, SCMI_MAX_SRC_ID, &a), -ENOENT);

	/* no notifier in any chain: it registers elsewhere (not -EBUSY) */
	assert_int_equal(nreg(fx->ni, P, EA, NSRC - 1, &a), 0);
	/* no refcount: exactly one enable, and later exactly one disable */
	fake_expect_calls(fx->fp, FAKE_ON(EA, NSRC - 1));
	assert_int_equal(fake_emit(fx->fp, EA, NSRC - 1, 7), 0);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 1);
	fake_expect_deliveries(&fx->sink, { 1, EA, NSRC - 1, 7 });
	assert_int_equal(nunreg(fx->ni, P, EA, NSRC - 1, &a), 0);
	fake_expect_calls(fx->fp, FAKE_OFF(EA, NSRC - 1));
}

/* ---------------------------------------------------------------- */
/* 4. enable refcounts per source                                   */

static void test_enable_refcounts_per_source(void **state)
{
	struct fx *fx = *state;
	struct fake_nb a, b, c, d, e;

	fake_nb_init(&a, &fx->sink, 1, 0);
	fake_nb_init(&b, &fx->sink, 2, 0);
	fake_nb_init(&c, &fx->sink, 3, 0);
	fake_nb_init(&d, &fx->sink, 4, 0);
	fake_nb_init(&e, &fx->sink, 5, 0);

	assert_int_equal(nreg(fx->ni, P, EA, 0, &a), 0);
	fake_expect_calls(fx->fp, FAKE_ON(EA, 0));
	assert_int_equal(nreg(fx->ni, P, EA, 0, &b), 0);
	fake_expect_no_calls(fx->fp);
	/* all sources counts on every source: 0 was on already */
	assert_int_equal(nreg(fx->ni, P, EA, ALL, &c), 0);
	fake_expect_calls(fx->fp, FAKE_ON(EA, 1), FAKE_ON(EA, 2),
			  FAKE_ON(EA, 3));
	assert_int_equal(nreg(fx->ni, P, EA, 1, &d), 0);
	fake_expect_no_calls(fx->fp);
	/* the other event's count of source 0 is its own */
	assert_int_equal(nreg(fx->ni, P, EB, 0, &e), 0);
	fake_expect_calls(fx->fp, FAKE_ON(EB, 0));

	/* counts: EA src0 2 (a+b's handler, c), src1 2 (c, d), src2 1, src3 1 */
	assert_int_equal(nunreg(fx->ni, P, EA, 0, &a), 0);
	fake_expect_no_calls(fx->fp);
	assert_int_equal(nunreg(fx->ni, P, EA, ALL, &c), 0);
	fake_expect_calls(fx->fp, FAKE_OFF(EA, 2), FAKE_OFF(EA, 3));
	assert_int_equal(nunreg(fx->ni, P, EA, 0, &b), 0);
	fake_expect_calls(fx->fp, FAKE_OFF(EA, 0));
	assert_int_equal(nunreg(fx->ni, P, EA, 1, &d), 0);
	fake_expect_calls(fx->fp, FAKE_OFF(EA, 1));
	assert_int_equal(nunreg(fx->ni, P, EB, 0, &e), 0);
	fake_expect_calls(fx->fp, FAKE_OFF(EB, 0));

	/* every count is back to zero: a new all-sources user enables all */
	assert_int_equal(nreg(fx->ni, P, EA, ALL, &c), 0);
	fake_expect_calls(fx->fp, FAKE_ON(EA, 0), FAKE_ON(EA, 1),
			  FAKE_ON(EA, 2), FAKE_ON(EA, 3));
	assert_int_equal(nunreg(fx->ni, P, EA, ALL, &c), 0);
	fake_expect_calls(fx->fp, FAKE_OFF(EA, 0), FAKE_OFF(EA, 1),
			  FAKE_OFF(EA, 2), FAKE_OFF(EA, 3));
}

static void test_enable_all_sources_partial_failure(void **state)
{
	struct fx *fx = *state;
	struct fake_nb a, b, c, d;

	fake_nb_init(&a, &fx->sink, 1, 0);
	fake_nb_init(&b, &fx->sink, 2, 0);
	fake_nb_init(&c, &fx->sink, 3, 0);
	fake_nb_init(&d, &fx->sink, 4, 0);

	/* source 2 refuses: the registration succeeds on the others */
	fake_fail_enable(fx->fp, 2, -EIO);
	assert_int_equal(nreg(fx->ni, P, EA, ALL, &a), 0);
	fake_expect_calls(fx->fp, FAKE_ON(EA, 0), FAKE_ON(EA, 1),
			  FAKE_ON(EA, 2), FAKE_ON(EA, 3));

	/* source 2's count did not go up: its next user tries again */
	assert_int_equal(nreg(fx->ni, P, EA, 2, &b), -EIO);
	fake_expect_calls(fx->fp, FAKE_ON(EA, 2));
	fake_fail_enable(fx->fp, 2, 0);
	assert_int_equal(nreg(fx->ni, P, EA, 2, &b), 0);
	fake_expect_calls(fx->fp, FAKE_ON(EA, 2));
	assert_int_equal(nreg(fx->ni, P, EA, 1, &c), 0);
	fake_expect_no_calls(fx->fp);

	/* a's counts come down: 0 and 3 off, 1 still held by c, 2 never its */
	assert_int_equal(nunreg(fx->ni, P, EA, ALL, &a), 0);
	fake_expect_calls(fx->fp, FAKE_OFF(EA, 0), FAKE_OFF(EA, 3));
	assert_int_equal(nunreg(fx->ni, P, EA, 2, &b), 0);
	fake_expect_calls(fx->fp, FAKE_OFF(EA, 2));
	assert_int_equal(nunreg(fx->ni, P, EA, 1, &c), 0);
	fake_expect_calls(fx->fp, FAKE_OFF(EA, 1));

	/* every source refuses: the platform's error, and no trace */
	for (uint32_t s = 0; s < NSRC; s++)
		fake_fail_enable(fx->fp, s, -EIO);
	assert_int_equal(nreg(fx->ni, P, EA, ALL, &d), -EIO);
	fake_expect_calls(fx->fp, FAKE_ON(EA, 0), FAKE_ON(EA, 1),
			  FAKE_ON(EA, 2), FAKE_ON(EA, 3));
	assert_int_equal(nunreg(fx->ni, P, EA, ALL, &d), -ENOENT);
	fake_expect_no_calls(fx->fp);
	for (uint32_t s = 0; s < NSRC; s++)
		fake_fail_enable(fx->fp, s, 0);
	assert_int_equal(nreg(fx->ni, P, EA, ALL, &d), 0);
	fake_expect_calls(fx->fp, FAKE_ON(EA, 0), FAKE_ON(EA, 1),
			  FAKE_ON(EA, 2), FAKE_ON(EA, 3));
	assert_int_equal(nunreg(fx->ni, P, EA, ALL, &d), 0);
	fake_expect_calls(fx->fp, FAKE_OFF(EA, 0), FAKE_OFF(EA, 1),
			  FAKE_OFF(EA, 2), FAKE_OFF(EA, 3));
}

/* ---------------------------------------------------------------- */
/* 5. unregister                                                    */

static void test_unregister(void **state)
{
	struct fx *fx = *state;
	struct fake_nb a, b, c;

	fake_nb_init(&a, &fx->sink, 1, 0);
	fake_nb_init(&b, &fx->sink, 2, 0);
	fake_nb_init(&c, &fx->sink, 3, 0);

	assert_int_equal(nreg(fx->ni, P, EA, 1, &a), 0);
	assert_int_equal(nreg(fx->ni, P, EA, 1, &b), 0);
	fake_expect_calls(fx->fp, FAKE_ON(EA, 1));

	/* not the last notifier: removed, nothing sent */
	assert_int_equal(nunreg(fx->ni, P, EA, 1, &a), 0);
	fake_expect_no_calls(fx->fp);
	assert_int_equal(fake_emit(fx->fp, EA, 1, 1), 0);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 1);
	fake_expect_deliveries(&fx->sink, { 2, EA, 1, 1 });

	/* unknown notifier or tuple: -ENOENT, nothing changes */
	assert_int_equal(nunreg(fx->ni, P, EA, 1, &a), -ENOENT);
	assert_int_equal(nunreg(fx->ni, P, EA, 1, &c), -ENOENT);
	assert_int_equal(nunreg(fx->ni, P, EA, 2, &b), -ENOENT);
	assert_int_equal(nunreg(fx->ni, P, EB, 1, &b), -ENOENT);
	assert_int_equal(nunreg(fx->ni, P, EA, ALL, &b), -ENOENT);
	assert_int_equal(nunreg(fx->ni, P2, EA, 1, &b), -ENOENT);
	fake_expect_no_calls(fx->fp);
	assert_int_equal(fake_emit(fx->fp, EA, 1, 2), 0);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 1);
	fake_expect_deliveries(&fx->sink, { 2, EA, 1, 2 });

	/* the last one: the handler goes and the source is turned off */
	assert_int_equal(nunreg(fx->ni, P, EA, 1, &b), 0);
	fake_expect_calls(fx->fp, FAKE_OFF(EA, 1));
	assert_int_equal(nunreg(fx->ni, P, EA, 1, &b), -ENOENT);
	fake_expect_no_calls(fx->fp);
	assert_int_equal(fake_emit(fx->fp, EA, 1, 3), 0);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 1);
	fake_expect_no_deliveries(&fx->sink);

	/* a new handler starts from zero */
	assert_int_equal(nreg(fx->ni, P, EA, 1, &a), 0);
	fake_expect_calls(fx->fp, FAKE_ON(EA, 1));
	assert_int_equal(nunreg(fx->ni, P, EA, 1, &a), 0);
	fake_expect_calls(fx->fp, FAKE_OFF(EA, 1));
}

/* ---------------------------------------------------------------- */
/* 6. delivery                                                      */

static void test_delivery_order_of_chains(void **state)
{
	struct fx *fx = *state;
	struct fake_nb s, a, e, s2;

	/* priorities do not cross chains: all-sources always runs first */
	fake_nb_init(&s, &fx->sink, 1, 100);
	fake_nb_init(&a, &fx->sink, 2, -100);
	fake_nb_init(&e, &fx->sink, 3, 0);
	fake_nb_init(&s2, &fx->sink, 4, 0);
	assert_int_equal(nreg(fx->ni, P, EA, 1, &s), 0);
	assert_int_equal(nreg(fx->ni, P, EA, ALL, &a), 0);
	assert_int_equal(nreg(fx->ni, P, EB, ALL, &e), 0);
	assert_int_equal(nreg(fx->ni, P, EA, 2, &s2), 0);

	assert_int_equal(fake_emit(fx->fp, EA, 1, 1), 0);
	assert_int_equal(fake_emit(fx->fp, EA, 2, 2), 0);
	assert_int_equal(fake_emit(fx->fp, EA, 3, 3), 0);
	assert_int_equal(fake_emit(fx->fp, EB, 1, 4), 0);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 4);
	fake_expect_deliveries(&fx->sink, { 2, EA, 1, 1 }, { 1, EA, 1, 1 },
			       { 2, EA, 2, 2 }, { 4, EA, 2, 2 },
			       { 2, EA, 3, 3 }, { 3, EB, 1, 4 });
}

static void test_delivery_priority_and_stop(void **state)
{
	struct fx *fx = *state;
	struct fake_nb n1, n2, n3, n4, n5, s1, s2;

	fake_nb_init(&n1, &fx->sink, 1, 0);
	fake_nb_init(&n2, &fx->sink, 2, 10);
	fake_nb_init(&n3, &fx->sink, 3, 0);
	fake_nb_init(&n4, &fx->sink, 4, 10);
	fake_nb_init(&n5, &fx->sink, 5, -1);
	fake_nb_init(&s1, &fx->sink, 6, 5);
	fake_nb_init(&s2, &fx->sink, 7, 5);
	n2.ret = SCMI_NOTIFY_DONE;
	assert_int_equal(nreg(fx->ni, P, EA, ALL, &n1), 0);
	assert_int_equal(nreg(fx->ni, P, EA, ALL, &n2), 0);
	assert_int_equal(nreg(fx->ni, P, EA, ALL, &n3), 0);
	assert_int_equal(nreg(fx->ni, P, EA, ALL, &n4), 0);
	assert_int_equal(nreg(fx->ni, P, EA, ALL, &n5), 0);
	assert_int_equal(nreg(fx->ni, P, EA, 1, &s1), 0);
	assert_int_equal(nreg(fx->ni, P, EA, 1, &s2), 0);

	/* higher priority first, ties in registration order */
	assert_int_equal(fake_emit(fx->fp, EA, 1, 1), 0);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 1);
	fake_expect_deliveries(&fx->sink, { 2, EA, 1, 1 }, { 4, EA, 1, 1 },
			       { 1, EA, 1, 1 }, { 3, EA, 1, 1 },
			       { 5, EA, 1, 1 }, { 6, EA, 1, 1 },
			       { 7, EA, 1, 1 });
	assert_int_equal(fake_logcap_count(&fx->log, SCMI_LOG_WARNING), 0);

	/* a stop ends its chain; the source's chain still runs; warned */
	n4.ret = STOP_RET;
	assert_int_equal(fake_emit(fx->fp, EA, 1, 2), 0);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 1);
	fake_expect_deliveries(&fx->sink, { 2, EA, 1, 2 }, { 4, EA, 1, 2 },
			       { 6, EA, 1, 2 }, { 7, EA, 1, 2 });
	assert_int_equal(fake_logcap_count(&fx->log, SCMI_LOG_WARNING), 1);

	/* in the source's chain too; the warning is given once */
	s1.ret = SCMI_NOTIFY_STOP_MASK;
	assert_int_equal(fake_emit(fx->fp, EA, 1, 3), 0);
	assert_int_equal(fake_emit(fx->fp, EA, 0, 4), 0);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 2);
	fake_expect_deliveries(&fx->sink, { 2, EA, 1, 3 }, { 4, EA, 1, 3 },
			       { 6, EA, 1, 3 }, { 2, EA, 0, 4 },
			       { 4, EA, 0, 4 });
	assert_int_equal(fake_logcap_count(&fx->log, SCMI_LOG_WARNING), 1);
}

/* ---------------------------------------------------------------- */
/* 7. order                                                         */

static void test_order_within_protocol(void **state)
{
	struct fx *fx = *state;
	struct fake_proto *fp2 = fake_proto_new(fx->ni, P2, 2);
	struct fake_nb a, b, c, d;
	size_t next_p = 0, next_p2 = 0;
	enum { N = 100 };

	assert_int_equal(fake_proto_register(fp2), 0);
	fake_nb_init(&a, &fx->sink, 1, 0);
	fake_nb_init(&b, &fx->sink, 2, 0);
	fake_nb_init(&c, &fx->sink, 3, 0);
	fake_nb_init(&d, &fx->sink, 4, 0);
	assert_int_equal(nreg(fx->ni, P, EA, ALL, &a), 0);
	assert_int_equal(nreg(fx->ni, P, EB, ALL, &b), 0);
	assert_int_equal(nreg(fx->ni, P2, EA, ALL, &c), 0);
	assert_int_equal(nreg(fx->ni, P2, EB, ALL, &d), 0);

	/* interleave both protocols and both events: more than a batch */
	for (uint32_t i = 0; i < N; i++) {
		assert_int_equal(fake_emit(fx->fp, i % 3 ? EA : EB, i % NSRC, i),
				 0);
		assert_int_equal(fake_emit(fp2, i % 2 ? EA : EB, i % 2,
					   1000 + i), 0);
	}
	assert_int_equal(scmi_notify_run_pending(fx->ni), 2 * N);
	assert_int_equal(fake_sink_count(&fx->sink), 2 * N);

	/* each protocol's events arrived in the order they were accepted */
	for (size_t k = 0; k < 2 * N; k++) {
		struct fake_delivery dl = fake_sink_get(&fx->sink, k);

		if (dl.tag <= 2) {
			uint32_t i = (uint32_t)next_p++;

			assert_int_equal(dl.r.value, i);
			assert_int_equal(dl.evt_id, i % 3 ? EA : EB);
			assert_int_equal(dl.tag, i % 3 ? 1 : 2);
			assert_int_equal(dl.r.src_id, i % NSRC);
			assert_int_equal(dl.r.timestamp, FAKE_TS(i));
		} else {
			uint32_t i = (uint32_t)next_p2++;

			assert_int_equal(dl.r.value, 1000 + i);
			assert_int_equal(dl.evt_id, i % 2 ? EA : EB);
			assert_int_equal(dl.tag, i % 2 ? 3 : 4);
			assert_int_equal(dl.r.src_id, i % 2);
		}
	}
	assert_int_equal(next_p, N);
	assert_int_equal(next_p2, N);
	fake_sink_reset(&fx->sink);

	scmi_notify_destroy(fx->ni);
	fx->ni = NULL;
	fake_proto_free(fp2);
}

/* ---------------------------------------------------------------- */
/* 8. bounded queue                                                 */

static void test_bounded_queue(void **state)
{
	struct fx *fx = *state;
	struct scmi_notify_stats st;
	struct fake_nb a, b;
	uint8_t big[sizeof(struct fake_payld_a) + 1] = { 0 };

	/* 64 bytes: two EA records (16-byte header + 16 each), or EB + EA (24 + 32) */
	fx->fp->ee.queue_sz = 64;
	assert_int_equal(fake_proto_register(fx->fp), 0);
	fake_nb_init(&a, &fx->sink, 1, 0);
	fake_nb_init(&b, &fx->sink, 2, 0);
	assert_int_equal(nreg(fx->ni, P, EA, ALL, &a), 0);
	assert_int_equal(nreg(fx->ni, P, EB, ALL, &b), 0);

	assert_int_equal(fake_emit(fx->fp, EA, 0, 1), 0);
	assert_int_equal(fake_emit(fx->fp, EA, 1, 2), 0);
	assert_int_equal(fake_emit(fx->fp, EA, 2, 3), -ENOSPC);
	assert_int_equal(fake_emit(fx->fp, EB, 3, 4), -ENOSPC);
	/* a bad event is refused as such even when the queue is full */
	assert_int_equal(scmi_notify(fx->ni, P, EA, big, sizeof(big), 0),
			 -EINVAL);
	st = stats_of(fx->ni, P);
	assert_int_equal(st.received, 5);
	assert_int_equal(st.queued, 2);
	assert_int_equal(st.dropped_full, 2);
	assert_int_equal(st.dropped_invalid, 1);

	/* what was queued comes out intact */
	assert_int_equal(scmi_notify_run_pending(fx->ni), 2);
	fake_expect_deliveries(&fx->sink, { 1, EA, 0, 1 }, { 1, EA, 1, 2 });

	/* later events flow; mixed sizes fill it exactly as computed */
	assert_int_equal(fake_emit(fx->fp, EB, 3, 5), 0);
	assert_int_equal(fake_emit(fx->fp, EA, 2, 6), 0);
	assert_int_equal(fake_emit(fx->fp, EB, 0, 7), -ENOSPC);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 2);
	fake_expect_deliveries(&fx->sink, { 2, EB, 3, 5 }, { 1, EA, 2, 6 });

	/* records that wrap around the end of the ring are intact */
	assert_int_equal(fake_emit(fx->fp, EA, 3, 8), 0);
	assert_int_equal(fake_emit(fx->fp, EA, 0, 9), 0);
	assert_int_equal(fake_emit(fx->fp, EA, 1, 10), -ENOSPC);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 2);
	fake_expect_deliveries(&fx->sink, { 1, EA, 3, 8 }, { 1, EA, 0, 9 });

	st = stats_of(fx->ni, P);
	assert_int_equal(st.received, 11);
	assert_int_equal(st.queued, 6);
	assert_int_equal(st.dropped_full, 4);
	assert_int_equal(st.dropped_invalid, 1);
	assert_int_equal(st.delivered, 6);
	assert_int_equal(st.dropped_report, 0);
	assert_int_equal(st.discarded, 0);
}

/* ---------------------------------------------------------------- */
/* 9. the race from the review thread                               */

static void test_dispatch_holds_handler_while_unregistered(void **state)
{
	struct fx *fx = *state;
	struct unreg_job *job = &fx->job;
	struct gate *g = &fx->gate;
	struct fake_nb *x = &fx->blocker;
	bool entered, started = false, early = true;
	size_t calls_during = (size_t)-1;

	fake_nb_init(x, &fx->sink, 1, 0);
	x->hook = hook_block;
	x->arg = g;
	*job = (struct unreg_job){ .ni = fx->ni, .proto = P, .evt = EA,
				   .src = 0, .nb = &x->nb, .ret = 1 };

	assert_int_equal(nreg(fx->ni, P, EA, 0, x), 0);
	fake_expect_calls(fx->fp, FAKE_ON(EA, 0));
	assert_int_equal(fake_emit(fx->fp, EA, 0, 1), 0);

	/*
	 * While x's callback is blocked, another thread unregisters x, the
	 * last notifier of the tuple. Facts are recorded first and asserted
	 * once every thread is past the gate.
	 */
	entered = gate_wait_entered(g, WAIT_MS);
	if (entered) {
		started = !pthread_create(&fx->job_thread, NULL, unreg_thread,
					  job);
		fx->job_started = started;
		early = started && job_done_within(job, 200);
		calls_during = fake_ncalls(fx->fp);
	}
	gate_release(g);
	if (started) {
		pthread_join(fx->job_thread, NULL);
		fx->job_started = false;
	}
	assert_true(entered);
	assert_true(started);
	/* nothing was disabled while the dispatch held the handler */
	assert_int_equal(calls_during, 0);
	/* (and unregister waited for the callback: behaviour 10) */
	assert_false(early);
	assert_int_equal(job->ret, 0);
	assert_int_equal(atomic_load(&g->ncalls_at_return), 0);

	/* once the dispatch pass ends (run_pending waits for it) ... */
	assert_int_equal(scmi_notify_run_pending(fx->ni), 0);
	/* ... the dispatch's put has freed the handler: one disable */
	fake_expect_calls(fx->fp, FAKE_OFF(EA, 0));
	assert_int_equal(nunreg(fx->ni, P, EA, 0, x), -ENOENT);
	fake_expect_deliveries(&fx->sink, { 1, EA, 0, 1 });

	/* a new handler for the tuple starts from zero */
	assert_int_equal(nreg(fx->ni, P, EA, 0, x), 0);
	fake_expect_calls(fx->fp, FAKE_ON(EA, 0));
	assert_int_equal(fake_emit(fx->fp, EA, 0, 2), 0);
	assert_true(fake_sink_wait(&fx->sink, 1, WAIT_MS));
	fake_expect_deliveries(&fx->sink, { 1, EA, 0, 2 });
	assert_int_equal(nunreg(fx->ni, P, EA, 0, x), 0);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 0);
	fake_expect_calls(fx->fp, FAKE_OFF(EA, 0));
}

/* ---------------------------------------------------------------- */
/* 10. unregister waits; callbacks may (un)register                 */

static void test_unregister_waits_for_running_callback(void **state)
{
	struct fx *fx = *state;
	struct unreg_job *job = &fx->job;
	struct gate *g = &fx->gate;
	struct fake_nb *x = malloc(sizeof(*x));
	struct fake_nb y;
	bool entered, started = false, early = true, in_cb_during = false;

	assert_non_null(x);
	fake_nb_init(x, &fx->sink, 1, 0);
	x->hook = hook_block;
	x->arg = g;
	fake_nb_init(&y, &fx->sink, 2, 0);
	*job = (struct unreg_job){ .ni = fx->ni, .proto = P, .evt = EA,
				   .src = 0, .nb = &x->nb, .ret = 1 };

	assert_int_equal(nreg(fx->ni, P, EA, 0, x), 0);
	assert_int_equal(nreg(fx->ni, P, EA, 0, &y), 0);
	fake_expect_calls(fx->fp, FAKE_ON(EA, 0));
	assert_int_equal(fake_emit(fx->fp, EA, 0, 1), 0);

	entered = gate_wait_entered(g, WAIT_MS);
	if (entered) {
		started = !pthread_create(&fx->job_thread, NULL, unreg_thread,
					  job);
		fx->job_started = started;
		/* x's callback is running: unregister must not return */
		early = started && job_done_within(job, 200);
		in_cb_during = atomic_load(&g->in_cb);
	}
	gate_release(g);
	if (started) {
		pthread_join(fx->job_thread, NULL);
		fx->job_started = false;
	}
	assert_true(entered);
	assert_true(started);
	assert_true(in_cb_during);
	assert_false(early);
	assert_int_equal(job->ret, 0);
	/* when it returned, x's callback was over */
	assert_false(atomic_load(&g->in_cb));
	/* the caller may free it now (ASan and valgrind watch) */
	free(x);

	/* y still gets events; x never again */
	assert_true(fake_sink_wait(&fx->sink, 2, WAIT_MS));
	assert_int_equal(fake_emit(fx->fp, EA, 0, 2), 0);
	assert_true(fake_sink_wait(&fx->sink, 3, WAIT_MS));
	assert_int_equal(scmi_notify_run_pending(fx->ni), 0);
	fake_expect_deliveries(&fx->sink, { 1, EA, 0, 1 }, { 2, EA, 0, 1 },
			       { 2, EA, 0, 2 });
	fake_expect_no_calls(fx->fp);
}

static void test_callback_unregisters_itself(void **state)
{
	struct fx *fx = *state;
	struct hook_ctx ca = { .ni = fx->ni, .evt = EA, .src = 1 };
	struct hook_ctx cb = { .ni = fx->ni, .evt = EA, .src = 1 };
	struct fake_nb a, b;

	fake_nb_init(&a, &fx->sink, 1, 10);
	fake_nb_init(&b, &fx->sink, 2, 0);
	ca.target = &a;
	cb.target = &b;
	a.hook = hook_unregister;
	a.arg = &ca;
	assert_int_equal(nreg(fx->ni, P, EA, 1, &a), 0);
	assert_int_equal(nreg(fx->ni, P, EA, 1, &b), 0);
	fake_expect_calls(fx->fp, FAKE_ON(EA, 1));

	/* a leaves from its own callback, without deadlock; b still runs */
	assert_int_equal(fake_emit(fx->fp, EA, 1, 1), 0);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 1);
	assert_int_equal(ca.calls, 1);
	assert_int_equal(ca.ret, 0);
	fake_expect_deliveries(&fx->sink, { 1, EA, 1, 1 }, { 2, EA, 1, 1 });
	fake_expect_no_calls(fx->fp);
	assert_int_equal(fake_emit(fx->fp, EA, 1, 2), 0);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 1);
	fake_expect_deliveries(&fx->sink, { 2, EA, 1, 2 });

	/* the last notifier leaving from its callback frees the handler */
	b.hook = hook_unregister;
	b.arg = &cb;
	assert_int_equal(fake_emit(fx->fp, EA, 1, 3), 0);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 1);
	assert_int_equal(cb.calls, 1);
	assert_int_equal(cb.ret, 0);
	fake_expect_deliveries(&fx->sink, { 2, EA, 1, 3 });
	fake_expect_calls(fx->fp, FAKE_OFF(EA, 1));
	assert_int_equal(nunreg(fx->ni, P, EA, 1, &b), -ENOENT);
	assert_int_equal(fake_emit(fx->fp, EA, 1, 4), 0);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 1);
	fake_expect_no_deliveries(&fx->sink);
	fake_expect_no_calls(fx->fp);
}

static void test_callback_unregisters_other_notifiers(void **state)
{
	struct fx *fx = *state;
	struct hook_ctx ca = { .ni = fx->ni, .evt = EA, .src = 1 };
	struct hook_ctx cd = { .ni = fx->ni, .evt = EA, .src = 1 };
	struct fake_nb a, b, c, d;

	fake_nb_init(&a, &fx->sink, 1, 10);
	fake_nb_init(&b, &fx->sink, 2, 5);
	fake_nb_init(&c, &fx->sink, 3, 0);
	fake_nb_init(&d, &fx->sink, 4, 0);
	/* d, on the all-sources chain, removes b from the source's chain */
	cd.target = &b;
	d.hook = hook_unregister;
	d.arg = &cd;
	/* a removes c, further down its own chain */
	ca.target = &c;
	a.hook = hook_unregister;
	a.arg = &ca;
	assert_int_equal(nreg(fx->ni, P, EA, 1, &a), 0);
	assert_int_equal(nreg(fx->ni, P, EA, 1, &b), 0);
	assert_int_equal(nreg(fx->ni, P, EA, 1, &c), 0);
	assert_int_equal(nreg(fx->ni, P, EA, ALL, &d), 0);
	fake_expect_calls(fx->fp, FAKE_ON(EA, 1), FAKE_ON(EA, 0),
			  FAKE_ON(EA, 2), FAKE_ON(EA, 3));

	assert_int_equal(fake_emit(fx->fp, EA, 1, 1), 0);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 1);
	assert_int_equal(cd.ret, 0);
	assert_int_equal(ca.ret, 0);
	fake_expect_deliveries(&fx->sink, { 4, EA, 1, 1 }, { 1, EA, 1, 1 });
	fake_expect_no_calls(fx->fp);

	assert_int_equal(fake_emit(fx->fp, EA, 1, 2), 0);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 1);
	fake_expect_deliveries(&fx->sink, { 4, EA, 1, 2 }, { 1, EA, 1, 2 });
	assert_int_equal(nunreg(fx->ni, P, EA, 1, &b), -ENOENT);
	assert_int_equal(nunreg(fx->ni, P, EA, 1, &c), -ENOENT);
}

/* Hook: register the notifiers of a struct reg_ctx, once. */
struct reg_ctx {
	struct scmi_notify *ni;
	struct fake_nb *n1, *n2, *n3;
	int ret1, ret2, ret3;
};

static void hook_register(struct fake_nb *f, uint8_t evt_id,
			  const struct fake_report *r)
{
	struct reg_ctx *c = f->arg;

	c->ret1 = nreg(c->ni, P, EA, 1, c->n1);   /* the source's chain */
	c->ret2 = nreg(c->ni, P, EA, ALL, c->n2); /* this chain, later */
	c->ret3 = nreg(c->ni, P, EB, 2, c->n3);   /* a new tuple */
	f->hook = NULL;
}

static void test_callback_registers_new_notifier(void **state)
{
	struct fx *fx = *state;
	struct fake_nb a, s, n1, n2, n3;
	struct reg_ctx rc = { .ni = fx->ni, .n1 = &n1, .n2 = &n2, .n3 = &n3,
			      .ret1 = 1, .ret2 = 1, .ret3 = 1 };

	fake_nb_init(&a, &fx->sink, 1, 0);
	fake_nb_init(&s, &fx->sink, 2, 0);
	fake_nb_init(&n1, &fx->sink, 3, 0);
	fake_nb_init(&n2, &fx->sink, 4, -5);
	fake_nb_init(&n3, &fx->sink, 5, 0);
	a.hook = hook_register;
	a.arg = &rc;
	assert_int_equal(nreg(fx->ni, P, EA, ALL, &a), 0);
	assert_int_equal(nreg(fx->ni, P, EA, 1, &s), 0);
	fake_expect_calls(fx->fp, FAKE_ON(EA, 0), FAKE_ON(EA, 1),
			  FAKE_ON(EA, 2), FAKE_ON(EA, 3));

	/*
	 * The new ones do not get the event being dispatched, but do get
	 * the next, even in the same dispatch pass.
	 */
	assert_int_equal(fake_emit(fx->fp, EA, 1, 1), 0);
	assert_int_equal(fake_emit(fx->fp, EA, 1, 2), 0);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 2);
	assert_int_equal(rc.ret1, 0);
	assert_int_equal(rc.ret2, 0);
	assert_int_equal(rc.ret3, 0);
	fake_expect_deliveries(&fx->sink, { 1, EA, 1, 1 }, { 2, EA, 1, 1 },
			       { 1, EA, 1, 2 }, { 4, EA, 1, 2 },
			       { 2, EA, 1, 2 }, { 3, EA, 1, 2 });
	/* the new tuple was turned on from the callback */
	fake_expect_calls(fx->fp, FAKE_ON(EB, 2));

	assert_int_equal(fake_emit(fx->fp, EA, 1, 3), 0);
	assert_int_equal(fake_emit(fx->fp, EB, 2, 4), 0);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 2);
	fake_expect_deliveries(&fx->sink, { 1, EA, 1, 3 }, { 4, EA, 1, 3 },
			       { 2, EA, 1, 3 }, { 3, EA, 1, 3 },
			       { 5, EB, 2, 4 });
}

/* ---------------------------------------------------------------- */
/* 11. deregister a protocol                                        */

static void test_deregister_protocol_back_to_pending(void **state)
{
	struct fx *fx = *state;
	struct fake_nb a, b, c, d;

	fake_nb_init(&a, &fx->sink, 1, 0);
	fake_nb_init(&b, &fx->sink, 2, 0);
	fake_nb_init(&c, &fx->sink, 3, 0);
	fake_nb_init(&d, &fx->sink, 4, 0);
	assert_int_equal(nreg(fx->ni, P, EA, 1, &a), 0);
	fake_expect_calls(fx->fp, FAKE_ON(EA, 1));
	assert_int_equal(nreg(fx->ni, P, EA, ALL, &b), 0);
	fake_expect_calls(fx->fp, FAKE_ON(EA, 0), FAKE_ON(EA, 2),
			  FAKE_ON(EA, 3));
	assert_int_equal(nreg(fx->ni, P, EB, 2, &c), 0);
	fake_expect_calls(fx->fp, FAKE_ON(EB, 2));

	/* queued events are discarded; every enabled source turned off */
	assert_int_equal(fake_emit(fx->fp, EA, 1, 1), 0);
	assert_int_equal(fake_emit(fx->fp, EB, 2, 2), 0);
	fake_proto_deregister(fx->fp);
	fake_expect_calls_any_order(fx->fp, FAKE_OFF(EA, 0), FAKE_OFF(EA, 1),
				    FAKE_OFF(EA, 2), FAKE_OFF(EA, 3),
				    FAKE_OFF(EB, 2));
	assert_int_equal(stats_of(fx->ni, P).discarded, 2);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 0);
	fake_expect_no_deliveries(&fx->sink);
	assert_int_equal(fake_emit(fx->fp, EA, 1, 3), -EINVAL);

	/* the handlers are pending again: new users join them silently */
	assert_int_equal(nreg(fx->ni, P, EA, 1, &d), 0);
	assert_int_equal(nreg(fx->ni, P, EA, 1, &a), -EEXIST);
	fake_expect_no_calls(fx->fp);

	/* re-registering binds them and turns generation on again */
	assert_int_equal(fake_proto_register(fx->fp), 0);
	fake_expect_no_calls(fx->fp);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 0);
	fake_expect_calls_any_order(fx->fp, FAKE_ON(EA, 0), FAKE_ON(EA, 1),
				    FAKE_ON(EA, 2), FAKE_ON(EA, 3),
				    FAKE_ON(EB, 2));
	assert_int_equal(fake_emit(fx->fp, EA, 1, 4), 0);
	assert_int_equal(fake_emit(fx->fp, EB, 2, 5), 0);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 2);
	fake_expect_deliveries(&fx->sink, { 2, EA, 1, 4 }, { 1, EA, 1, 4 },
			       { 4, EA, 1, 4 }, { 3, EB, 2, 5 });

	/* and the rebound counts are right */
	assert_int_equal(nunreg(fx->ni, P, EA, ALL, &b), 0);
	fake_expect_calls(fx->fp, FAKE_OFF(EA, 0), FAKE_OFF(EA, 2),
			  FAKE_OFF(EA, 3));
	assert_int_equal(nunreg(fx->ni, P, EA, 1, &a), 0);
	assert_int_equal(nunreg(fx->ni, P, EA, 1, &d), 0);
	fake_expect_calls(fx->fp, FAKE_OFF(EA, 1));
	assert_int_equal(nunreg(fx->ni, P, EB, 2, &c), 0);
	fake_expect_calls(fx->fp, FAKE_OFF(EB, 2));
}

/* Hook: count, and take a little time, so that teardown meets a dispatch. */
struct slow_ctx {
	atomic_int in_cb;
	atomic_int calls;
};

static void hook_slow(struct fake_nb *f, uint8_t evt_id,
		      const struct fake_report *r)
{
	struct slow_ctx *c = f->arg;

	atomic_fetch_add(&c->in_cb, 1);
	sleep_ms(1);
	atomic_fetch_add(&c->calls, 1);
	atomic_fetch_sub(&c->in_cb, 1);
}

/*
 * Many more events than one dispatch batch (64): the worker is in the
 * middle of its pass, past its first batch, when the protocol goes. It
 * lets the deregistration in between two rounds, and must not touch the
 * protocol after; the rest of the queue is discarded.
 */
static void test_deregister_stops_callbacks(void **state)
{
	struct fx *fx = *state;
	struct slow_ctx sc;
	struct scmi_notify_stats st;
	struct fake_nb x;
	int calls;
	enum { N = 200, PAST_BATCH = 70 };

	atomic_init(&sc.in_cb, 0);
	atomic_init(&sc.calls, 0);
	fake_nb_init(&x, &fx->sink, 1, 0);
	x.hook = hook_slow;
	x.arg = &sc;
	/* room for all of them: records of 32 bytes */
	fake_proto_deregister(fx->fp);
	fx->fp->ee.queue_sz = 16384;
	assert_int_equal(fake_proto_register(fx->fp), 0);
	assert_int_equal(nreg(fx->ni, P, EA, 0, &x), 0);
	for (uint32_t i = 0; i < N; i++)
		assert_int_equal(fake_emit(fx->fp, EA, 0, i), 0);
	assert_true(fake_sink_wait(&fx->sink, PAST_BATCH, WAIT_MS));

	fake_proto_deregister(fx->fp);
	assert_int_equal(atomic_load(&sc.in_cb), 0);
	calls = atomic_load(&sc.calls);
	sleep_ms(50);
	assert_int_equal(atomic_load(&sc.calls), calls);
	assert_int_equal(atomic_load(&sc.in_cb), 0);

	/* every event was either delivered or discarded, and some were */
	st = stats_of(fx->ni, P);
	assert_int_equal(st.queued, N);
	assert_int_equal(st.delivered, (uint64_t)calls);
	assert_true(calls >= PAST_BATCH);
	assert_true(st.discarded > 0);
	assert_int_equal(st.delivered + st.discarded, N);
	assert_int_equal(fake_sink_count(&fx->sink), (size_t)calls);
	fake_expect_calls(fx->fp, FAKE_ON(EA, 0), FAKE_OFF(EA, 0));
}

static void hook_deregister(struct fake_nb *f, uint8_t evt_id,
			    const struct fake_report *r)
{
	struct hook_ctx *c = f->arg;

	c->calls++;
	c->ret = fake_proto_deregister(c->fp);
	f->hook = NULL;
}

static void test_deregister_from_callback_is_edeadlk(void **state)
{
	struct fx *fx = *state;
	struct hook_ctx c = { .ni = fx->ni, .fp = fx->fp };
	struct fake_nb a;

	fake_nb_init(&a, &fx->sink, 1, 0);
	a.hook = hook_deregister;
	a.arg = &c;
	assert_int_equal(nreg(fx->ni, P, EA, 0, &a), 0);
	fake_expect_calls(fx->fp, FAKE_ON(EA, 0));
	assert_int_equal(fake_emit(fx->fp, EA, 0, 1), 0);
	assert_int_equal(fake_emit(fx->fp, EA, 0, 2), 0);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 2);
	assert_int_equal(c.calls, 1);
	/* it would wait for the dispatch that runs it: refused, not ignored */
	assert_int_equal(c.ret, -EDEADLK);

	/* the protocol is still there, its queue and handlers intact */
	fake_expect_no_calls(fx->fp);
	fake_expect_deliveries(&fx->sink, { 1, EA, 0, 1 }, { 1, EA, 0, 2 });
	assert_int_equal(fake_emit(fx->fp, EA, 0, 3), 0);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 1);
	fake_expect_deliveries(&fx->sink, { 1, EA, 0, 3 });
	assert_int_equal(stats_of(fx->ni, P).discarded, 0);
}

/* ---------------------------------------------------------------- */
/* 12. destroy                                                      */

static void test_destroy_stops_callbacks(void **state)
{
	struct fx *fx = *state;
	struct slow_ctx sc;
	struct fake_nb x, pending;
	int calls;
	enum { N = 50 };

	atomic_init(&sc.in_cb, 0);
	atomic_init(&sc.calls, 0);
	fake_nb_init(&x, &fx->sink, 1, 0);
	fake_nb_init(&pending, &fx->sink, 2, 0);
	x.hook = hook_slow;
	x.arg = &sc;
	assert_int_equal(nreg(fx->ni, P, EA, 0, &x), 0);
	assert_int_equal(nreg(fx->ni, P2, EA, 0, &pending), 0);
	fake_expect_calls(fx->fp, FAKE_ON(EA, 0));
	for (uint32_t i = 0; i < N; i++)
		assert_int_equal(fake_emit(fx->fp, EA, 0, i), 0);
	assert_true(fake_sink_wait(&fx->sink, 1, WAIT_MS));

	/* destroy while the worker is dispatching */
	scmi_notify_destroy(fx->ni);
	fx->ni = NULL;
	assert_int_equal(atomic_load(&sc.in_cb), 0);
	calls = atomic_load(&sc.calls);
	assert_true(calls >= 1 && calls <= N);
	sleep_ms(50);
	assert_int_equal(atomic_load(&sc.calls), calls);
	assert_int_equal(atomic_load(&sc.in_cb), 0);

	/* the platform saw the source turned off; deliveries in order */
	fake_expect_calls(fx->fp, FAKE_OFF(EA, 0));
	assert_int_equal(fake_sink_count(&fx->sink), (size_t)calls);
	for (int i = 0; i < calls; i++)
		assert_int_equal(fake_sink_get(&fx->sink, (size_t)i).r.value, i);
}

static void hook_destroy(struct fake_nb *f, uint8_t evt_id,
			 const struct fake_report *r)
{
	struct hook_ctx *c = f->arg;

	c->calls++;
	c->ret = scmi_notify_destroy(c->ni);
	f->hook = NULL;
}

static void test_destroy_from_callback_is_edeadlk(void **state)
{
	struct fx *fx = *state;
	struct hook_ctx c = { .ni = fx->ni, .fp = fx->fp };
	struct fake_nb a;

	fake_nb_init(&a, &fx->sink, 1, 0);
	a.hook = hook_destroy;
	a.arg = &c;
	assert_int_equal(nreg(fx->ni, P, EA, 0, &a), 0);
	fake_expect_calls(fx->fp, FAKE_ON(EA, 0));
	assert_int_equal(fake_emit(fx->fp, EA, 0, 1), 0);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 1);
	assert_int_equal(c.calls, 1);
	assert_int_equal(c.ret, -EDEADLK);
	fake_expect_no_calls(fx->fp);

	/* the instance still works */
	assert_int_equal(fake_emit(fx->fp, EA, 0, 2), 0);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 1);
	fake_expect_deliveries(&fx->sink, { 1, EA, 0, 1 }, { 1, EA, 0, 2 });
}

/* ---------------------------------------------------------------- */
/* is_notify_supported, stats, run_pending, worker, fd              */

static void test_is_notify_supported(void **state)
{
	struct fx *fx = *state;
	struct fake_proto *fp2 = fake_proto_new(fx->ni, P2, 2);
	struct fake_nb a, b, c;

	fake_nb_init(&a, &fx->sink, 1, 0);
	fake_nb_init(&b, &fx->sink, 2, 0);
	fake_nb_init(&c, &fx->sink, 3, 0);
	/* EA: source 1 cannot emit it; EB: no source can */
	fake_set_unsupported(fx->fp, EA, 1);
	for (uint32_t s = 0; s < NSRC; s++)
		fake_set_unsupported(fx->fp, EB, s);
	assert_int_equal(fake_proto_register(fx->fp), 0);

	assert_int_equal(nreg(fx->ni, P, EA, 1, &a), -EOPNOTSUPP);
	assert_int_equal(nreg(fx->ni, P, EB, 1, &a), -EOPNOTSUPP);
	assert_int_equal(nreg(fx->ni, P, EB, ALL, &a), -EOPNOTSUPP);
	fake_expect_no_calls(fx->fp);
	assert_int_equal(nunreg(fx->ni, P, EA, 1, &a), -ENOENT);
	assert_int_equal(nunreg(fx->ni, P, EB, ALL, &a), -ENOENT);

	/* all sources skips the unsupported ones */
	assert_int_equal(nreg(fx->ni, P, EA, ALL, &b), 0);
	fake_expect_calls(fx->fp, FAKE_ON(EA, 0), FAKE_ON(EA, 2),
			  FAKE_ON(EA, 3));
	assert_int_equal(nreg(fx->ni, P, EA, 0, &a), 0);
	fake_expect_no_calls(fx->fp);
	assert_int_equal(nunreg(fx->ni, P, EA, ALL, &b), 0);
	fake_expect_calls(fx->fp, FAKE_OFF(EA, 2), FAKE_OFF(EA, 3));
	assert_int_equal(nunreg(fx->ni, P, EA, 0, &a), 0);
	fake_expect_calls(fx->fp, FAKE_OFF(EA, 0));

	/* a pending registration for an unsupported source sends nothing */
	fake_set_unsupported(fp2, EA, 1);
	assert_int_equal(nreg(fx->ni, P2, EA, 1, &c), 0);
	assert_int_equal(fake_proto_register(fp2), 0);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 0);
	fake_expect_no_calls(fp2);
	assert_int_equal(nunreg(fx->ni, P2, EA, 1, &c), 0);
	fake_expect_no_calls(fp2);

	scmi_notify_destroy(fx->ni);
	fx->ni = NULL;
	fake_proto_free(fp2);
}

static void assert_stats_add_up(const struct scmi_notify_stats *st,
				uint64_t still_queued)
{
	assert_int_equal(st->received,
			 st->queued + st->dropped_invalid + st->dropped_full);
	assert_int_equal(st->queued, st->delivered + st->dropped_report +
					     st->discarded + still_queued);
}

static void test_stats_add_up(void **state)
{
	struct fx *fx = *state;
	struct scmi_notify_stats st, zero;
	struct fake_nb a;
	uint8_t big[sizeof(struct fake_payld_a) + 1] = { 0 };

	memset(&zero, 0, sizeof(zero));
	fx->fp->ee.queue_sz = 64; /* two EA records */
	assert_int_equal(fake_proto_register(fx->fp), 0);
	fake_nb_init(&a, &fx->sink, 1, 0);
	assert_int_equal(nreg(fx->ni, P, EA, ALL, &a), 0);
	st = stats_of(fx->ni, P);
	assert_memory_equal(&st, &zero, sizeof(st));

	assert_int_equal(fake_emit(fx->fp, EA, 0, 1), 0);
	assert_int_equal(fake_emit(fx->fp, EA, 1, FAKE_VALUE_REFUSE), 0);
	assert_int_equal(fake_emit(fx->fp, EA, 2, 3), -ENOSPC);
	assert_int_equal(fake_emit(fx->fp, FAKE_EVT_MISSING, 0, 4), -EINVAL);
	assert_int_equal(scmi_notify(fx->ni, P, EA, big, sizeof(big), 5),
			 -EINVAL);
	assert_int_equal(scmi_notify(fx->ni, P, EA, NULL, 4, 6), -EINVAL);
	st = stats_of(fx->ni, P);
	assert_int_equal(st.received, 6);
	assert_int_equal(st.queued, 2);
	assert_int_equal(st.dropped_full, 1);
	assert_int_equal(st.dropped_invalid, 3);
	assert_int_equal(st.dropped_report, 0);
	assert_int_equal(st.delivered, 0);
	assert_int_equal(st.discarded, 0);
	assert_stats_add_up(&st, 2);

	assert_int_equal(scmi_notify_run_pending(fx->ni), 2);
	fake_expect_deliveries(&fx->sink, { 1, EA, 0, 1 });
	st = stats_of(fx->ni, P);
	assert_int_equal(st.dropped_report, 1);
	assert_int_equal(st.delivered, 1);
	assert_stats_add_up(&st, 0);

	assert_int_equal(fake_emit(fx->fp, EA, 0, 7), 0);
	fake_proto_deregister(fx->fp);
	assert_int_equal(fake_emit(fx->fp, EA, 0, 8), -EINVAL);
	st = stats_of(fx->ni, P);
	assert_int_equal(st.received, 8);
	assert_int_equal(st.queued, 3);
	assert_int_equal(st.dropped_full, 1);
	assert_int_equal(st.dropped_invalid, 4);
	assert_int_equal(st.dropped_report, 1);
	assert_int_equal(st.delivered, 1);
	assert_int_equal(st.discarded, 1);
	assert_stats_add_up(&st, 0);

	/* another protocol's counters are its own */
	st = stats_of(fx->ni, P2);
	assert_memory_equal(&st, &zero, sizeof(st));
}

static void hook_run_pending(struct fake_nb *f, uint8_t evt_id,
			     const struct fake_report *r)
{
	struct hook_ctx *c = f->arg;

	c->calls++;
	c->ret = scmi_notify_run_pending(c->ni);
}

static void test_run_pending_from_callback_is_edeadlk(void **state)
{
	struct fx *fx = *state;
	struct hook_ctx c = { .ni = fx->ni, .ret = 1 };
	struct fake_nb a;

	fake_nb_init(&a, &fx->sink, 1, 0);
	a.hook = hook_run_pending;
	a.arg = &c;
	assert_int_equal(nreg(fx->ni, P, EA, 0, &a), 0);
	assert_int_equal(fake_emit(fx->fp, EA, 0, 1), 0);
	assert_int_equal(fake_emit(fx->fp, EA, 0, 2), 0);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 2);
	assert_int_equal(c.calls, 2);
	assert_int_equal(c.ret, -EDEADLK);
	/* no nested dispatch: each event once, in order */
	fake_expect_deliveries(&fx->sink, { 1, EA, 0, 1 }, { 1, EA, 0, 2 });
	assert_int_equal(scmi_notify_run_pending(fx->ni), 0);
}

static void test_worker_mode_delivers(void **state)
{
	struct fake_sink sink;
	struct scmi_notify *ni;
	struct fake_proto *fp, *fp2;
	struct fake_nb a, b;

	(void)state;
	fake_sink_init(&sink);
	/* the default configuration: a worker thread */
	assert_int_equal(scmi_notify_create(&ni, NULL), 0);
	fp = fake_proto_new(ni, P, NSRC);
	fp2 = fake_proto_new(ni, P2, 2);
	assert_int_equal(fake_proto_register(fp), 0);
	fake_nb_init(&a, &sink, 1, 0);
	fake_nb_init(&b, &sink, 2, 0);
	assert_int_equal(nreg(ni, P, EA, ALL, &a), 0);
	fake_expect_calls(fp, FAKE_ON(EA, 0), FAKE_ON(EA, 1), FAKE_ON(EA, 2),
			  FAKE_ON(EA, 3));

	assert_int_equal(fake_emit(fp, EA, 3, 1), 0);
	assert_int_equal(fake_emit(fp, EA, 2, 2), 0);
	assert_int_equal(fake_emit(fp, EA, 1, 3), 0);
	assert_true(fake_sink_wait(&sink, 3, WAIT_MS));
	/* delivered on the worker thread */
	for (size_t i = 0; i < 3; i++)
		assert_false(pthread_equal(fake_sink_get(&sink, i).thread,
					   pthread_self()));
	fake_expect_deliveries(&sink, { 1, EA, 3, 1 }, { 1, EA, 2, 2 },
			       { 1, EA, 1, 3 });

	/* the worker binds pending handlers by itself */
	assert_int_equal(nreg(ni, P2, EB, 1, &b), 0);
	assert_int_equal(fake_proto_register(fp2), 0);
	assert_true(fake_wait_ncalls(fp2, 1, WAIT_MS));
	fake_expect_calls(fp2, FAKE_ON(EB, 1));
	assert_int_equal(fake_emit(fp2, EB, 1, 4), 0);
	assert_true(fake_sink_wait(&sink, 1, WAIT_MS));
	fake_expect_deliveries(&sink, { 2, EB, 1, 4 });

	scmi_notify_destroy(ni);
	fake_expect_calls(fp, FAKE_OFF(EA, 0), FAKE_OFF(EA, 1), FAKE_OFF(EA, 2),
			  FAKE_OFF(EA, 3));
	fake_expect_calls(fp2, FAKE_OFF(EB, 1));
	fake_expect_no_deliveries(&sink);
	fake_proto_free(fp);
	fake_proto_free(fp2);
	fake_sink_fini(&sink);
}

static int fd_readable(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int n = poll(&pfd, 1, 0);

	assert_true(n >= 0);
	return n ? pfd.revents : 0;
}

/*
 * The manual mode's wake-up is never lost: a producer thread queues one
 * event at a time, each once the previous one was delivered, and the
 * dispatching thread sleeps in poll() on the fd before each dispatch.
 * An fd left unreadable with an event queued (worker.c: the eventfd must
 * be read before the kick is cleared) shows as a poll that times out.
 */
struct pingpong {
	struct fx *fx;
	unsigned int rounds;
	atomic_uint delivered;
	atomic_bool stop;
	int err;
};

static void hook_pong(struct fake_nb *f, uint8_t evt_id,
		      const struct fake_report *r)
{
	struct pingpong *pp = f->arg;

	atomic_fetch_add(&pp->delivered, 1);
}

static void *ping_main(void *arg)
{
	struct pingpong *pp = arg;

	for (unsigned int i = 0; i < pp->rounds && !atomic_load(&pp->stop);
	     i++) {
		/* a yield in the spin: valgrind runs one thread at a time,
		 * and a spin alone held it for whole time slices a round
		 * (100000 rounds: over 600 s) */
		while (atomic_load(&pp->delivered) < i &&
		       !atomic_load(&pp->stop))
			sched_yield();
		if (atomic_load(&pp->stop))
			break;
		/* below FAKE_VALUE_REFUSE (0xBAD), which the fake refuses */
		pp->err = fake_emit(pp->fx->fp, EA, 0, i % 2000);
		if (pp->err)
			break;
	}
	return NULL;
}

static void test_manual_wakeup_never_lost(void **state)
{
	struct fx *fx = *state;
	struct pingpong pp = { .fx = fx, .rounds = 100000 };
	struct pollfd pfd = { .fd = scmi_notify_get_fd(fx->ni),
			      .events = POLLIN };
	unsigned int stuck = 0;
	struct fake_nb a;
	pthread_t th;

	/* the sink keeps the first deliveries and counts the rest */
	fake_nb_init(&a, &fx->sink, 1, 0);
	a.hook = hook_pong;
	a.arg = &pp;
	assert_int_equal(nreg(fx->ni, P, EA, 0, &a), 0);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 0);
	atomic_init(&pp.delivered, 0);
	atomic_init(&pp.stop, false);
	assert_int_equal(pthread_create(&th, NULL, ping_main, &pp), 0);
	while (atomic_load(&pp.delivered) < pp.rounds && !pp.err) {
		if (poll(&pfd, 1, 2000) == 0) {
			stuck++;
			break;
		}
		assert_true(scmi_notify_run_pending(fx->ni) >= 0);
	}
	atomic_store(&pp.stop, true);
	pthread_join(th, NULL);
	assert_int_equal(pp.err, 0);
	assert_int_equal(stuck, 0);
	assert_int_equal(atomic_load(&pp.delivered), pp.rounds);
	assert_int_equal(nunreg(fx->ni, P, EA, 0, &a), 0);
}

static void test_get_fd_readable_when_work(void **state)
{
	struct fx *fx = *state;
	struct fake_nb a;
	int fd = scmi_notify_get_fd(fx->ni);

	assert_true(fd >= 0);
	assert_int_equal(scmi_notify_get_fd(fx->ni), fd);
	/* a fresh instance has no work */
	assert_int_equal(fd_readable(fd), 0);

	/* a pending notifier of an absent protocol is no work yet */
	fake_nb_init(&a, &fx->sink, 1, 0);
	assert_int_equal(nreg(fx->ni, P, EA, 1, &a), 0);
	assert_int_equal(fd_readable(fd), 0);

	/* a handler to bind is */
	assert_int_equal(fake_proto_register(fx->fp), 0);
	assert_int_equal(fd_readable(fd), POLLIN);
	assert_int_equal(fd_readable(fd), POLLIN); /* level, not consumed */
	assert_int_equal(scmi_notify_run_pending(fx->ni), 0);
	fake_expect_calls(fx->fp, FAKE_ON(EA, 1));
	assert_int_equal(fd_readable(fd), 0);

	/* so are queued events, until they are dispatched */
	assert_int_equal(fake_emit(fx->fp, EA, 1, 1), 0);
	assert_int_equal(fd_readable(fd), POLLIN);
	assert_int_equal(fake_emit(fx->fp, EA, 1, 2), 0);
	assert_int_equal(fd_readable(fd), POLLIN);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 2);
	assert_int_equal(fd_readable(fd), 0);
	fake_expect_deliveries(&fx->sink, { 1, EA, 1, 1 }, { 1, EA, 1, 2 });
	assert_int_equal(scmi_notify_run_pending(fx->ni), 0);
	assert_int_equal(fd_readable(fd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name, setup) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_register_bound, setup_manual),
		T(test_register_pending, setup_manual_unregistered),
		T(test_register_pending_withdrawn_sends_nothing,
		  setup_manual_unregistered),
		T(test_register_before_pending_bound, setup_manual_unregistered),
		T(test_register_pending_enable_failure_retried,
		  setup_manual_unregistered),
		T(test_register_pending_all_sources_failure_retried,
		  setup_manual_unregistered),
		T(test_register_invalid, setup_manual),
		T(test_enable_refcounts_per_source, setup_manual),
		T(test_enable_all_sources_partial_failure, setup_manual),
		T(test_unregister, setup_manual),
		T(test_delivery_order_of_chains, setup_manual),
		T(test_delivery_priority_and_stop, setup_manual),
		T(test_order_within_protocol, setup_manual),
		T(test_bounded_queue, setup_manual_unregistered),
		T(test_dispatch_holds_handler_while_unregistered, setup_worker),
		T(test_unregister_waits_for_running_callback, setup_worker),
		T(test_callback_unregisters_itself, setup_manual),
		T(test_callback_unregisters_other_notifiers, setup_manual),
		T(test_callback_registers_new_notifier, setup_manual),
		T(test_deregister_protocol_back_to_pending, setup_manual),
		T(test_deregister_stops_callbacks, setup_worker),
		T(test_deregister_from_callback_is_edeadlk, setup_manual),
		T(test_destroy_stops_callbacks, setup_worker),
		T(test_destroy_from_callback_is_edeadlk, setup_manual),
		T(test_is_notify_supported, setup_manual_unregistered),
		T(test_stats_add_up, setup_manual_unregistered),
		T(test_run_pending_from_callback_is_edeadlk, setup_manual),
		cmocka_unit_test(test_worker_mode_delivers),
		T(test_get_fd_readable_when_work, setup_manual_unregistered),
		T(test_manual_wakeup_never_lost, setup_manual),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
