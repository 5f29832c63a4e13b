/* SPDX-License-Identifier: MIT */
/*
 * Priority-ordered notifier chains (notifier.c): order, errors, the stop
 * mask, and what callbacks may do to the chains while they run.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "notifier.h"

#define EVT 5
#define KEY1 0x13000001u
#define KEY2 0x13000002u
#define KEY3 0x13010000u
#define STOP_RET (SCMI_NOTIFY_STOP_MASK | SCMI_NOTIFY_OK)

struct cfx;

/* A test notifier: records its tag, runs an optional hook, returns ret. */
struct tnb {
	struct scmi_notifier nb;
	int tag;
	int ret;
	void (*hook)(struct tnb *self);
	void *arg;
	struct cfx *fx;
};

struct cfx {
	struct scmi_chain_ctx ctx;
	struct scmi_log log;
	pthread_mutex_t mtx;      /* protects what callbacks record */
	unsigned int warnings;
	int order[64];
	size_t norder;
	bool bad_args;            /* a callback got the wrong evt or report */
	struct scmi_chain c1, c2;
};

static const int the_report = 42;

static void log_fn(void *userdata, enum scmi_log_level level, const char *msg)
{
	struct cfx *fx = userdata;

	(void)msg;
	pthread_mutex_lock(&fx->mtx);
	if (level == SCMI_LOG_WARNING)
		fx->warnings++;
	pthread_mutex_unlock(&fx->mtx);
}

static int setup(void **state)
{
	struct cfx *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	pthread_mutex_init(&fx->mtx, NULL);
	scmi_log_init(&fx->log, log_fn, fx, 0);
	if (chain_ctx_init(&fx->ctx, &fx->log))
		return -1;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct cfx *fx = *state;

	chain_ctx_fini(&fx->ctx);
	pthread_mutex_destroy(&fx->mtx);
	free(fx);
	return 0;
}

static int tnb_cb(struct scmi_notifier *nb, uint8_t evt_id, const void *report)
{
	struct tnb *t = (struct tnb *)((char *)nb - offsetof(struct tnb, nb));
	struct cfx *fx = t->fx;

	pthread_mutex_lock(&fx->mtx);
	if (fx->norder < 64)
		fx->order[fx->norder++] = t->tag;
	if (evt_id != EVT || report != &the_report)
		fx->bad_args = true;
	pthread_mutex_unlock(&fx->mtx);
	if (t->hook)
		t->hook(t);
	return t->ret;
}

static void tnb_init(struct tnb *t, struct cfx *fx, int tag, int priority)
{
	memset(t, 0, sizeof(*t));
	t->nb.cb = tnb_cb;
	t->nb.priority = priority;
	t->tag = tag;
	t->ret = SCMI_NOTIFY_OK;
	t->fx = fx;
}

/* One event: @a's callbacks, then @b's (if any). */
static void run_event(struct cfx *fx, struct scmi_chain *a,
		      struct scmi_chain *b)
{
	struct scmi_chain *chains[2] = { a, b };

	chain_dispatch(&fx->ctx, chains, 2, EVT, &the_report);
}

static void expect_order_at(struct cfx *fx, const int *exp, size_t n,
			    const char *file, int line)
{
	int got[64];
	size_t ngot;
	bool bad;

	pthread_mutex_lock(&fx->mtx);
	ngot = fx->norder;
	memcpy(got, fx->order, ngot * sizeof(int));
	bad = fx->bad_args;
	fx->norder = 0;
	pthread_mutex_unlock(&fx->mtx);

	if (!bad && ngot == n && (n == 0 || !memcmp(got, exp, n * sizeof(int))))
		return;
	print_error("callbacks differ%s:\n  expected:", bad ? " (bad args)" : "");
	for (size_t i = 0; i < n; i++)
		print_error(" %d", exp[i]);
	print_error("\n  got     :");
	for (size_t i = 0; i < ngot; i++)
		print_error(" %d", got[i]);
	print_error("\n");
	_fail(file, line);
}

#define expect_order(fx, ...)                                             \
	expect_order_at((fx), (const int[]){ __VA_ARGS__ },              \
			sizeof((const int[]){ __VA_ARGS__ }) / sizeof(int), \
			__FILE__, __LINE__)
#define expect_none(fx) expect_order_at((fx), NULL, 0, __FILE__, __LINE__)

static unsigned int warnings(struct cfx *fx)
{
	unsigned int n;

	pthread_mutex_lock(&fx->mtx);
	n = fx->warnings;
	pthread_mutex_unlock(&fx->mtx);
	return n;
}

/* ---------------------------------------------------------------- */

static void test_chain_priority_order_with_fifo_ties(void **state)
{
	struct cfx *fx = *state;
	struct tnb n[6];
	static const int prio[6] = { 0, 10, 0, 10, -1, INT32_MIN };

	for (int i = 0; i < 6; i++) {
		tnb_init(&n[i], fx, i + 1, prio[i]);
		assert_int_equal(chain_register(&fx->ctx, &fx->c1, &n[i].nb,
						KEY1), 0);
	}
	run_event(fx, &fx->c1, NULL);
	expect_order(fx, 2, 4, 1, 3, 5, 6);

	/* a re-registered notifier goes after its equals */
	assert_int_equal(chain_unregister(&fx->ctx, &fx->c1, &n[1].nb), 0);
	assert_int_equal(chain_register(&fx->ctx, &fx->c1, &n[1].nb, KEY1), 0);
	run_event(fx, &fx->c1, NULL);
	expect_order(fx, 4, 2, 1, 3, 5, 6);
}

static void test_chain_empty(void **state)
{
	struct cfx *fx = *state;
	struct tnb a;

	tnb_init(&a, fx, 1, 0);
	assert_true(chain_empty(&fx->ctx, &fx->c1));
	run_event(fx, &fx->c1, NULL);
	expect_none(fx);
	assert_int_equal(chain_register(&fx->ctx, &fx->c1, &a.nb, KEY1), 0);
	assert_false(chain_empty(&fx->ctx, &fx->c1));
	assert_true(chain_empty(&fx->ctx, &fx->c2));
	assert_int_equal(chain_unregister(&fx->ctx, &fx->c1, &a.nb), 0);
	assert_true(chain_empty(&fx->ctx, &fx->c1));
	assert_null(a.nb.next);
}

static void test_chain_register_twice_same_key_is_eexist(void **state)
{
	struct cfx *fx = *state;
	struct tnb a, b;

	tnb_init(&a, fx, 1, 0);
	tnb_init(&b, fx, 2, 0);
	assert_int_equal(chain_register(&fx->ctx, &fx->c1, &a.nb, KEY1), 0);
	assert_int_equal(chain_register(&fx->ctx, &fx->c1, &b.nb, KEY1), 0);
	assert_int_equal(chain_register(&fx->ctx, &fx->c1, &a.nb, KEY1), -EEXIST);
	assert_int_equal(chain_register(&fx->ctx, &fx->c1, &b.nb, KEY1), -EEXIST);
	/* still on the chain once each, order unchanged */
	run_event(fx, &fx->c1, NULL);
	expect_order(fx, 1, 2);
}

static void test_chain_register_on_other_key_is_ebusy(void **state)
{
	struct cfx *fx = *state;
	struct tnb a;

	tnb_init(&a, fx, 1, 0);
	assert_int_equal(chain_register(&fx->ctx, &fx->c1, &a.nb, KEY1), 0);
	assert_int_equal(chain_register(&fx->ctx, &fx->c2, &a.nb, KEY2), -EBUSY);
	assert_int_equal(chain_register(&fx->ctx, &fx->c1, &a.nb, KEY3), -EBUSY);
	assert_true(chain_empty(&fx->ctx, &fx->c2));
	run_event(fx, &fx->c1, &fx->c2);
	expect_order(fx, 1);

	/* once unregistered it may go anywhere */
	assert_int_equal(chain_unregister(&fx->ctx, &fx->c1, &a.nb), 0);
	assert_int_equal(chain_register(&fx->ctx, &fx->c2, &a.nb, KEY2), 0);
	run_event(fx, &fx->c1, &fx->c2);
	expect_order(fx, 1);
	assert_true(chain_empty(&fx->ctx, &fx->c1));
	assert_int_equal(chain_unregister(&fx->ctx, &fx->c2, &a.nb), 0);
}

static void test_chain_unregister_unknown_is_enoent(void **state)
{
	struct cfx *fx = *state;
	struct tnb a, b;

	tnb_init(&a, fx, 1, 0);
	tnb_init(&b, fx, 2, 0);
	assert_int_equal(chain_unregister(&fx->ctx, &fx->c1, &a.nb), -ENOENT);
	assert_int_equal(chain_register(&fx->ctx, &fx->c1, &a.nb, KEY1), 0);
	assert_int_equal(chain_register(&fx->ctx, &fx->c2, &b.nb, KEY2), 0);
	/* on another chain than the one named */
	assert_int_equal(chain_unregister(&fx->ctx, &fx->c1, &b.nb), -ENOENT);
	assert_int_equal(chain_unregister(&fx->ctx, &fx->c2, &a.nb), -ENOENT);
	run_event(fx, &fx->c1, &fx->c2);
	expect_order(fx, 1, 2);
	/* twice */
	assert_int_equal(chain_unregister(&fx->ctx, &fx->c1, &a.nb), 0);
	assert_int_equal(chain_unregister(&fx->ctx, &fx->c1, &a.nb), -ENOENT);
	run_event(fx, &fx->c1, &fx->c2);
	expect_order(fx, 2);
	assert_int_equal(chain_unregister(&fx->ctx, &fx->c2, &b.nb), 0);
}

static void test_chain_stop_mask_stops_only_this_chain(void **state)
{
	struct cfx *fx = *state;
	struct tnb a, b, c, x, y;

	tnb_init(&a, fx, 1, 10);
	tnb_init(&b, fx, 2, 5);
	tnb_init(&c, fx, 3, 0);
	tnb_init(&x, fx, 4, 0);
	tnb_init(&y, fx, 5, 0);
	assert_int_equal(chain_register(&fx->ctx, &fx->c1, &a.nb, KEY1), 0);
	assert_int_equal(chain_register(&fx->ctx, &fx->c1, &b.nb, KEY1), 0);
	assert_int_equal(chain_register(&fx->ctx, &fx->c1, &c.nb, KEY1), 0);
	assert_int_equal(chain_register(&fx->ctx, &fx->c2, &x.nb, KEY2), 0);
	assert_int_equal(chain_register(&fx->ctx, &fx->c2, &y.nb, KEY2), 0);

	/* values without the mask do not stop */
	a.ret = SCMI_NOTIFY_DONE;
	b.ret = 0x7fff;
	run_event(fx, &fx->c1, &fx->c2);
	expect_order(fx, 1, 2, 3, 4, 5);
	assert_int_equal(warnings(fx), 0);

	b.ret = STOP_RET;
	run_event(fx, &fx->c1, &fx->c2);
	expect_order(fx, 1, 2, 4, 5);
	assert_int_equal(warnings(fx), 1);

	/* the mask alone stops; warned once per instance */
	a.ret = SCMI_NOTIFY_STOP_MASK;
	x.ret = STOP_RET;
	run_event(fx, &fx->c1, &fx->c2);
	expect_order(fx, 1, 4);
	assert_int_equal(warnings(fx), 1);

	/* the chain is intact for the next event */
	a.ret = b.ret = x.ret = SCMI_NOTIFY_OK;
	run_event(fx, &fx->c1, &fx->c2);
	expect_order(fx, 1, 2, 3, 4, 5);
}

/* Hook: unregister the struct tnb in arg (maybe itself) from c1, once. */
static void hook_unregister(struct tnb *self)
{
	struct tnb *victim = self->arg;

	assert_int_equal(chain_unregister(&self->fx->ctx, &self->fx->c1,
					  &victim->nb), 0);
	/* a callback never waits, even for itself */
	chain_wait_unused(&self->fx->ctx, &victim->nb);
	self->hook = NULL;
}

static void test_chain_callback_removes_itself(void **state)
{
	struct cfx *fx = *state;
	struct tnb a, b, c;

	tnb_init(&a, fx, 1, 10);
	tnb_init(&b, fx, 2, 5);
	tnb_init(&c, fx, 3, 0);
	b.hook = hook_unregister;
	b.arg = &b;
	assert_int_equal(chain_register(&fx->ctx, &fx->c1, &a.nb, KEY1), 0);
	assert_int_equal(chain_register(&fx->ctx, &fx->c1, &b.nb, KEY1), 0);
	assert_int_equal(chain_register(&fx->ctx, &fx->c1, &c.nb, KEY1), 0);
	run_event(fx, &fx->c1, NULL);
	expect_order(fx, 1, 2, 3);
	assert_null(b.nb.next);
	run_event(fx, &fx->c1, NULL);
	expect_order(fx, 1, 3);

	/* the head and the tail, too */
	a.hook = hook_unregister;
	a.arg = &a;
	c.hook = hook_unregister;
	c.arg = &c;
	run_event(fx, &fx->c1, NULL);
	expect_order(fx, 1, 3);
	assert_true(chain_empty(&fx->ctx, &fx->c1));
	run_event(fx, &fx->c1, NULL);
	expect_none(fx);
	/* their table entries went too */
	assert_int_equal(chain_register(&fx->ctx, &fx->c2, &a.nb, KEY2), 0);
	assert_int_equal(chain_unregister(&fx->ctx, &fx->c2, &a.nb), 0);
}

static void test_chain_callback_removes_next(void **state)
{
	struct cfx *fx = *state;
	struct tnb a, b, c, d;

	tnb_init(&a, fx, 1, 10);
	tnb_init(&b, fx, 2, 5);
	tnb_init(&c, fx, 3, 0);
	tnb_init(&d, fx, 4, -5);
	a.hook = hook_unregister;
	a.arg = &b;
	assert_int_equal(chain_register(&fx->ctx, &fx->c1, &a.nb, KEY1), 0);
	assert_int_equal(chain_register(&fx->ctx, &fx->c1, &b.nb, KEY1), 0);
	assert_int_equal(chain_register(&fx->ctx, &fx->c1, &c.nb, KEY1), 0);
	assert_int_equal(chain_register(&fx->ctx, &fx->c1, &d.nb, KEY1), 0);
	run_event(fx, &fx->c1, NULL);
	expect_order(fx, 1, 3, 4);

	/* the next one when it is the last; and one that already ran */
	c.hook = hook_unregister;
	c.arg = &d;
	run_event(fx, &fx->c1, NULL);
	expect_order(fx, 1, 3);
	c.hook = hook_unregister;
	c.arg = &a;
	run_event(fx, &fx->c1, NULL);
	expect_order(fx, 1, 3);
	run_event(fx, &fx->c1, NULL);
	expect_order(fx, 3);
}

/* Hook: register the notifiers in struct reg_arg, once. */
struct reg_arg {
	struct tnb *same_after;   /* on c1, lower priority: would be reached */
	struct tnb *same_before;  /* on c1, higher priority */
	struct tnb *other;        /* on c2, called later in this event */
	struct tnb *gone;         /* registered and unregistered right away */
};

static void hook_register(struct tnb *self)
{
	struct reg_arg *r = self->arg;
	struct cfx *fx = self->fx;

	assert_int_equal(chain_register(&fx->ctx, &fx->c1, &r->same_after->nb,
					KEY1), 0);
	assert_int_equal(chain_register(&fx->ctx, &fx->c1, &r->same_before->nb,
					KEY1), 0);
	assert_int_equal(chain_register(&fx->ctx, &fx->c2, &r->other->nb,
					KEY2), 0);
	assert_int_equal(chain_register(&fx->ctx, &fx->c1, &r->gone->nb,
					KEY1), 0);
	assert_int_equal(chain_unregister(&fx->ctx, &fx->c1, &r->gone->nb), 0);
	self->hook = NULL;
}

static void test_chain_fresh_notifier_skipped_for_current_event(void **state)
{
	struct cfx *fx = *state;
	struct tnb a, b, after, before, other, gone;
	struct reg_arg r = { &after, &before, &other, &gone };

	tnb_init(&a, fx, 1, 10);
	tnb_init(&b, fx, 2, 0);
	/* after b, where the walk in progress would reach it */
	tnb_init(&after, fx, 3, -5);
	tnb_init(&before, fx, 4, 20);
	tnb_init(&other, fx, 5, 0);
	tnb_init(&gone, fx, 6, -10);
	a.hook = hook_register;
	a.arg = &r;
	assert_int_equal(chain_register(&fx->ctx, &fx->c1, &a.nb, KEY1), 0);
	assert_int_equal(chain_register(&fx->ctx, &fx->c1, &b.nb, KEY1), 0);

	run_event(fx, &fx->c1, &fx->c2);
	expect_order(fx, 1, 2);
	run_event(fx, &fx->c1, &fx->c2);
	expect_order(fx, 4, 1, 2, 3, 5);
}

static void test_chain_registered_outside_event_runs(void **state)
{
	struct cfx *fx = *state;
	struct tnb a;

	/* between events nothing is fresh */
	tnb_init(&a, fx, 1, 0);
	chain_dispatch(&fx->ctx, NULL, 0, EVT, &the_report);
	assert_int_equal(chain_register(&fx->ctx, &fx->c1, &a.nb, KEY1), 0);
	run_event(fx, &fx->c1, NULL);
	expect_order(fx, 1);
}

/* ---------------------------------------------------------------- */
/* chain_in_dispatch and chain_wait_unused                          */

struct probe {
	struct scmi_chain_ctx *ctx;
	bool inside;            /* chain_in_dispatch() in the callback */
	bool other_thread;      /* ... and on another thread meanwhile */
};

static void *probe_thread(void *arg)
{
	struct probe *p = arg;

	p->other_thread = chain_in_dispatch(p->ctx);
	return NULL;
}

static void hook_probe(struct tnb *self)
{
	struct probe *p = self->arg;
	pthread_t t;

	p->inside = chain_in_dispatch(p->ctx);
	if (pthread_create(&t, NULL, probe_thread, p) == 0)
		pthread_join(t, NULL);
}

static void test_chain_in_dispatch_only_on_dispatching_thread(void **state)
{
	struct cfx *fx = *state;
	struct probe p = { .ctx = &fx->ctx, .inside = false,
			   .other_thread = true };
	struct tnb a;

	tnb_init(&a, fx, 1, 0);
	a.hook = hook_probe;
	a.arg = &p;
	assert_false(chain_in_dispatch(&fx->ctx));
	assert_int_equal(chain_register(&fx->ctx, &fx->c1, &a.nb, KEY1), 0);
	run_event(fx, &fx->c1, NULL);
	expect_order(fx, 1);
	assert_true(p.inside);
	assert_false(p.other_thread);
	assert_false(chain_in_dispatch(&fx->ctx));
}

struct gate {
	pthread_mutex_t mtx;
	pthread_cond_t cond;
	bool entered, released;
};

static void hook_block(struct tnb *self)
{
	struct gate *g = self->arg;
	struct timespec dl;

	clock_gettime(CLOCK_REALTIME, &dl);
	dl.tv_sec += 5;
	pthread_mutex_lock(&g->mtx);
	g->entered = true;
	pthread_cond_broadcast(&g->cond);
	while (!g->released &&
	       pthread_cond_timedwait(&g->cond, &g->mtx, &dl) != ETIMEDOUT)
		;
	pthread_mutex_unlock(&g->mtx);
	self->hook = NULL;
}

static void *dispatch_thread(void *arg)
{
	struct cfx *fx = arg;

	run_event(fx, &fx->c1, NULL);
	return NULL;
}

struct waiter {
	struct cfx *fx;
	struct tnb *nb;
	int ret;
	atomic_bool done;
};

static void *wait_thread(void *arg)
{
	struct waiter *w = arg;

	w->ret = chain_unregister(&w->fx->ctx, &w->fx->c1, &w->nb->nb);
	chain_wait_unused(&w->fx->ctx, &w->nb->nb);
	atomic_store(&w->done, true);
	return NULL;
}

static void test_chain_wait_unused_waits_for_running_callback(void **state)
{
	struct cfx *fx = *state;
	struct gate g = { .entered = false, .released = false };
	struct waiter w = { .fx = fx, .ret = 1 };
	struct tnb a, b;
	pthread_t td, tw;
	bool td_ok, tw_ok = false, entered, early = true;

	pthread_mutex_init(&g.mtx, NULL);
	pthread_cond_init(&g.cond, NULL);
	atomic_init(&w.done, false);
	tnb_init(&a, fx, 1, 10);
	tnb_init(&b, fx, 2, 0);
	a.hook = hook_block;
	a.arg = &g;
	w.nb = &a;
	assert_int_equal(chain_register(&fx->ctx, &fx->c1, &a.nb, KEY1), 0);
	assert_int_equal(chain_register(&fx->ctx, &fx->c1, &b.nb, KEY1), 0);

	/* a notifier that is not running: no wait */
	chain_wait_unused(&fx->ctx, &b.nb);

	/*
	 * Other threads use this frame until they are joined: record the
	 * facts, and assert them once both are joined.
	 */
	td_ok = !pthread_create(&td, NULL, dispatch_thread, fx);
	pthread_mutex_lock(&g.mtx);
	for (int i = 0; td_ok && i < 5000 && !g.entered; i++) {
		pthread_mutex_unlock(&g.mtx);
		nanosleep(&(struct timespec){ .tv_nsec = 1000000 }, NULL);
		pthread_mutex_lock(&g.mtx);
	}
	entered = g.entered;
	pthread_mutex_unlock(&g.mtx);
	if (entered) {
		/* b is not running: waiting for it returns at once */
		chain_wait_unused(&fx->ctx, &b.nb);
		tw_ok = !pthread_create(&tw, NULL, wait_thread, &w);
		for (int i = 0; tw_ok && i < 200 && !atomic_load(&w.done); i++)
			nanosleep(&(struct timespec){ .tv_nsec = 1000000 },
				  NULL);
		early = atomic_load(&w.done);
	}
	pthread_mutex_lock(&g.mtx);
	g.released = true;
	pthread_cond_broadcast(&g.cond);
	pthread_mutex_unlock(&g.mtx);
	if (tw_ok)
		pthread_join(tw, NULL);
	if (td_ok)
		pthread_join(td, NULL);

	assert_true(td_ok);
	assert_true(entered);
	assert_true(tw_ok);
	/* a's callback was running: the waiter did not return before */
	assert_false(early);
	assert_int_equal(w.ret, 0);
	assert_true(atomic_load(&w.done));
	/* removing the running one did not cut the walk */
	expect_order(fx, 1, 2);
	pthread_cond_destroy(&g.cond);
	pthread_mutex_destroy(&g.mtx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_chain_priority_order_with_fifo_ties),
		T(test_chain_empty),
		T(test_chain_register_twice_same_key_is_eexist),
		T(test_chain_register_on_other_key_is_ebusy),
		T(test_chain_unregister_unknown_is_enoent),
		T(test_chain_stop_mask_stops_only_this_chain),
		T(test_chain_callback_removes_itself),
		T(test_chain_callback_removes_next),
		T(test_chain_fresh_notifier_skipped_for_current_event),
		T(test_chain_registered_outside_event_runs),
		T(test_chain_in_dispatch_only_on_dispatching_thread),
		T(test_chain_wait_unused_waits_for_running_callback),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
