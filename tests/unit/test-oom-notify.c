/* SPDX-License-Identifier: MIT */
/*
 * The notification core under allocation failure (tests/oom/oom.h): every
 * public path is run with its k-th allocation failed, for every k. A
 * failed call returns -ENOMEM (or the error it documents) and leaves
 * everything as it was: the handlers, the stats, what the fake platform
 * saw (no enable sent and taken back), who receives an event; the same
 * call made again works; nothing leaks. Paths that must never allocate
 * (deregistration, unregistration, destroy, scmi_notify() and dispatch)
 * are asserted not to.
 *
 * Each step builds its own instance (manual dispatch, so that every
 * allocation happens on the test's thread, in order) and destroys it.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <scmi/notify.h>

#include "fake-proto.h"
#include "notify-priv.h"
#include "oom.h"

#define P 0x13        /* the fake protocol */
#define P2 0x80       /* a protocol never registered */
#define NSRC 4
#define EA FAKE_EVT_A
#define EB FAKE_EVT_B
#define ALL SCMI_ALL_SRC_IDS
#define WAIT_MS 5000

/* Roles of the fixture's notifiers. */
enum {
	NB_NEW,     /* the one the call registers */
	NB_SAME,    /* already on the call's tuple */
	NB_OTHER,   /* on another tuple */
	NB_CB,      /* registers NB_NEW from its callback */
	NB_MAX,
};

struct fx {
	struct fake_logcap log;
	struct scmi_notify_config cfg;
	struct scmi_notify *ni;
	struct fake_proto *fp;
	struct fake_sink sink;
	struct fake_nb nb[NB_MAX];

	/* the state after setup, that a failed call must leave */
	struct scmi_notify_stats st0;
	unsigned int bound0, pending0;

	/* what the path does (set by each test) */
	bool registered;      /* the protocol is registered before the call */
	bool late_init_done;  /* ... and its pending handlers bound */
	uint8_t proto;        /* the call's protocol (unregister) */
	uint8_t evt;          /* the call's event */
	uint32_t src;         /* the call's source, ALL for every source */
	int role;             /* the notifier it unregisters */
	bool same;            /* NB_SAME is on the call's tuple */
	bool other;           /* NB_OTHER is on (P, EB, 3) */
	bool threaded;        /* the instance runs its worker */
	int cb_ret;           /* what NB_CB's registration returned */
	bool cb_armed;        /* NB_CB registers on its next event */

	/* hash-table growth: many pending notifiers */
	struct fake_nb *many;
	unsigned int nmany;   /* registered by setup */
};

/* ---- fixture ----------------------------------------------------------- */

static void fx_instance(struct fx *fx)
{
	fx->cfg = (struct scmi_notify_config){
		.log_fn = fake_logcap_fn,
		.log_userdata = &fx->log,
		.manual_dispatch = !fx->threaded,
	};
	assert_int_equal(scmi_notify_create(&fx->ni, &fx->cfg), 0);
	fx->fp = fake_proto_new(fx->ni, P, NSRC);
	fake_sink_init(&fx->sink);
	for (int i = 0; i < NB_MAX; i++)
		fake_nb_init(&fx->nb[i], &fx->sink, i, 0);
}

static struct scmi_notifier *nb(struct fx *fx, int role)
{
	return &fx->nb[role].nb;
}

static const uint32_t *srcp(const uint32_t *src)
{
	return *src == ALL ? NULL : src;
}

/* Record the state a failed call must leave; forget calls and deliveries. */
static void fx_snapshot(struct fx *fx)
{
	assert_int_equal(scmi_notify_get_stats(fx->ni, P, &fx->st0), 0);
	notify_count_handlers(fx->ni, &fx->bound0, &fx->pending0);
	fake_reset_calls(fx->fp);
	fake_sink_reset(&fx->sink);
}

static void expect_handlers(struct fx *fx, unsigned int bound,
			    unsigned int pending)
{
	unsigned int b, p;

	notify_count_handlers(fx->ni, &b, &p);
	assert_int_equal(b, bound);
	assert_int_equal(p, pending);
}

static void expect_stats_unchanged(struct fx *fx)
{
	struct scmi_notify_stats st;

	assert_int_equal(scmi_notify_get_stats(fx->ni, P, &st), 0);
	assert_memory_equal(&st, &fx->st0, sizeof(st));
}

/* Nothing changed since fx_snapshot(). */
static void expect_unchanged(struct fx *fx)
{
	expect_stats_unchanged(fx);
	expect_handlers(fx, fx->bound0, fx->pending0);
	fake_expect_no_calls(fx->fp);
	fake_expect_no_deliveries(&fx->sink);
}

/* The enables (or disables) of @evt on @src, or on every source. */
static void expect_switch(struct fx *fx, uint8_t evt, uint32_t src, bool on,
			  const char *file, int line)
{
	struct fake_call c[NSRC];
	size_t n = 0;

	for (uint32_t s = 0; s < NSRC; s++)
		if (src == ALL || s == src)
			c[n++] = (struct fake_call){ evt, s, on };
	fake_expect_calls_at(fx->fp, c, n, true, file, line);
}
#define expect_on(fx, evt, src) expect_switch(fx, evt, src, true, __FILE__, __LINE__)
#define expect_off(fx, evt, src) expect_switch(fx, evt, src, false, __FILE__, __LINE__)

/* Emit one event and dispatch it. */
static void emit(struct fx *fx, uint8_t evt, uint32_t src, uint32_t value)
{
	assert_int_equal(fake_emit(fx->fp, evt, src, value), 0);
	assert_true(scmi_notify_run_pending(fx->ni) >= 0);
}

static void fx_teardown(void *ctx)
{
	struct fx *fx = ctx;

	assert_int_equal(scmi_notify_destroy(fx->ni), 0);
	fx->ni = NULL;
	fake_proto_free(fx->fp);
	fx->fp = NULL;
	fake_sink_fini(&fx->sink);
}

/*
 * Run @p on @fx: fx_teardown() unless it has its own teardown, -ENOMEM
 * its only error unless it says otherwise, the library's log captured
 * (failing paths warn).
 */
static void run_path(struct fx *fx, struct oom_path p)
{
	p.ctx = fx;
	if (!p.teardown)
		p.teardown = fx_teardown;
	fake_logcap_init(&fx->log);
	assert_oom_path(&p);
	fake_logcap_fini(&fx->log);
}

/* ---- scmi_notify_create ---------------------------------------------- */

static void create_setup(void *ctx)
{
	struct fx *fx = ctx;

	fx->ni = NULL;
	fx->cfg = (struct scmi_notify_config){
		.log_fn = fake_logcap_fn,
		.log_userdata = &fx->log,
		.manual_dispatch = !fx->threaded,
	};
}

static int create_call(void *ctx)
{
	struct fx *fx = ctx;

	return scmi_notify_create(&fx->ni, &fx->cfg);
}

static void create_failed(void *ctx, int err)
{
	struct fx *fx = ctx;

	assert_null(fx->ni);
}

/* The instance works: a protocol, a notifier, an event delivered. */
static void create_done(void *ctx)
{
	struct fx *fx = ctx;
	uint32_t src = 1;

	assert_non_null(fx->ni);
	fx->fp = fake_proto_new(fx->ni, P, NSRC);
	fake_sink_init(&fx->sink);
	fake_nb_init(&fx->nb[NB_NEW], &fx->sink, NB_NEW, 0);
	assert_int_equal(fake_proto_register(fx->fp), 0);
	assert_int_equal(scmi_event_notifier_register(fx->ni, P, EA, &src,
						      nb(fx, NB_NEW)), 0);
	assert_int_equal(fake_emit(fx->fp, EA, 1, 7), 0);
	if (fx->threaded)
		assert_true(fake_sink_wait(&fx->sink, 1, WAIT_MS));
	else
		assert_int_equal(scmi_notify_run_pending(fx->ni), 1);
	fake_expect_deliveries(&fx->sink, { NB_NEW, EA, 1, 7 });
}

static void create_teardown(void *ctx)
{
	struct fx *fx = ctx;

	if (fx->fp)
		fx_teardown(fx);
}

static void run_create(bool threaded, const char *name)
{
	static const int errs[] = { -ENOMEM, -EAGAIN, 0 };
	struct fx fx = { .threaded = threaded };

	run_path(&fx, (struct oom_path){
		.name = name, .setup = create_setup, .call = create_call,
		.check_failed = create_failed, .check_done = create_done,
		.teardown = create_teardown,
		/* pthread_create() fails with EAGAIN when it cannot allocate */
		.errors = errs,
		/* the worker's own start-up is not the call */
		.this_thread_only = threaded,
	});
}

static void test_create(void **state)
{
	run_create(false, "scmi_notify_create, manual dispatch");
}

static void test_create_threaded(void **state)
{
	run_create(true, "scmi_notify_create, worker thread");
}

/* ---- scmi_register_protocol_events, pending handlers waiting ---------- */

static void regproto_setup(void *ctx)
{
	struct fx *fx = ctx;
	uint32_t one = 1, two = 2;

	fx_instance(fx);
	assert_int_equal(scmi_event_notifier_register(fx->ni, P, EA, &one,
						      nb(fx, NB_NEW)), 0);
	assert_int_equal(scmi_event_notifier_register(fx->ni, P, EA, NULL,
						      nb(fx, NB_SAME)), 0);
	assert_int_equal(scmi_event_notifier_register(fx->ni, P, EB, &two,
						      nb(fx, NB_OTHER)), 0);
	fx_snapshot(fx);
}

static int regproto_call(void *ctx)
{
	struct fx *fx = ctx;

	return fake_proto_register(fx->fp);
}

static void regproto_failed(void *ctx, int err)
{
	struct fx *fx = ctx;

	expect_unchanged(fx);
	/* not registered: a dispatch pass has nothing to bind */
	assert_int_equal(scmi_notify_run_pending(fx->ni), 0);
	expect_unchanged(fx);
	/* and the protocol is not half there */
	assert_int_equal(fake_emit(fx->fp, EA, 1, 1), -EINVAL);
	assert_int_equal(scmi_notify_get_stats(fx->ni, P, &fx->st0), 0);
}

static void regproto_done(void *ctx)
{
	struct fx *fx = ctx;

	/* the late init binds all three and enables their sources */
	assert_int_equal(scmi_notify_run_pending(fx->ni), 0);
	fake_expect_calls_any_order(fx->fp, FAKE_ON(EA, 0), FAKE_ON(EA, 1),
				    FAKE_ON(EA, 2), FAKE_ON(EA, 3),
				    FAKE_ON(EB, 2));
	expect_handlers(fx, 3, 0);
	emit(fx, EA, 1, 5);
	emit(fx, EB, 2, 6);
	fake_expect_deliveries(&fx->sink, { NB_SAME, EA, 1, 5 },
			       { NB_NEW, EA, 1, 5 }, { NB_OTHER, EB, 2, 6 });
}

static void test_register_protocol(void **state)
{
	struct fx fx = { 0 };

	run_path(&fx, (struct oom_path){
		.name = "scmi_register_protocol_events, 3 pending handlers",
		.setup = regproto_setup, .call = regproto_call,
		.check_failed = regproto_failed, .check_done = regproto_done,
	});
}

/* ---- the late init: binding pending handlers --------------------------- */

static void late_setup(void *ctx)
{
	struct fx *fx = ctx;

	fx_instance(fx);
	assert_int_equal(scmi_event_notifier_register(fx->ni, P, fx->evt,
						      srcp(&fx->src),
						      nb(fx, NB_NEW)), 0);
	/* a handler that can never bind: no such event */
	assert_int_equal(scmi_event_notifier_register(fx->ni, P,
						      FAKE_EVT_MISSING, NULL,
						      nb(fx, NB_OTHER)), 0);
	assert_int_equal(fake_proto_register(fx->fp), 0);
	fx_snapshot(fx);
}

static int late_run_pending(void *ctx)
{
	struct fx *fx = ctx;
	int ret = scmi_notify_run_pending(fx->ni);

	return ret < 0 ? ret : 0;
}

static int late_bind_pending(void *ctx)
{
	struct fx *fx = ctx;

	return notify_bind_pending(fx->ni);
}

static void late_failed(void *ctx, int err)
{
	struct fx *fx = ctx;

	/* still pending (the next pass retries), nothing sent */
	expect_unchanged(fx);
}

static void late_done(void *ctx)
{
	struct fx *fx = ctx;

	expect_on(fx, fx->evt, fx->src);
	expect_handlers(fx, 1, 1);
	emit(fx, fx->evt, 2, 9);
	fake_expect_deliveries(&fx->sink, { NB_NEW, fx->evt, 2, 9 });
}

static void run_late(int (*call)(void *), uint32_t src, const char *name)
{
	struct fx fx = { .evt = EA, .src = src };

	run_path(&fx, (struct oom_path){
		.name = name, .setup = late_setup, .call = call,
		.check_failed = late_failed, .check_done = late_done,
	});
}

static void test_late_init_all_sources(void **state)
{
	run_late(late_run_pending, ALL,
		 "late init (scmi_notify_run_pending), all sources");
}

static void test_late_init_one_source(void **state)
{
	run_late(late_run_pending, 2,
		 "late init (scmi_notify_run_pending), one source");
}

static void test_bind_pending_all_sources(void **state)
{
	run_late(late_bind_pending, ALL,
		 "late init (notify_bind_pending), all sources");
}

/* ---- scmi_event_notifier_register ------------------------------------- */

/*
 * fx->registered: the protocol is registered (and, with late_init_done,
 * its pending handlers bound) before the call; fx->same: NB_SAME is on
 * the call's tuple already; fx->other: NB_OTHER is on (P, EB, 3).
 */
static void reg_setup(void *ctx)
{
	struct fx *fx = ctx;
	uint32_t three = 3;

	fx_instance(fx);
	if (fx->same)
		assert_int_equal(scmi_event_notifier_register(
					 fx->ni, P, fx->evt, srcp(&fx->src),
					 nb(fx, NB_SAME)), 0);
	if (fx->other)
		assert_int_equal(scmi_event_notifier_register(
					 fx->ni, P, EB, &three,
					 nb(fx, NB_OTHER)), 0);
	if (fx->registered)
		assert_int_equal(fake_proto_register(fx->fp), 0);
	if (fx->late_init_done)
		assert_true(scmi_notify_run_pending(fx->ni) >= 0);
	fx_snapshot(fx);
}

static int reg_call(void *ctx)
{
	struct fx *fx = ctx;

	return scmi_event_notifier_register(fx->ni, P, fx->evt,
					    srcp(&fx->src), nb(fx, NB_NEW));
}

/* The source an event is emitted on to see who receives. */
static uint32_t probe_src(const struct fx *fx)
{
	return fx->src == ALL ? 2 : fx->src;
}

static void reg_failed(void *ctx, int err)
{
	struct fx *fx = ctx;

	expect_unchanged(fx);
	/* with a pending handler still to bind, a dispatch would bind it */
	if (!fx->registered || !fx->late_init_done)
		return;
	emit(fx, fx->evt, probe_src(fx), 3);
	if (fx->same)
		fake_expect_deliveries(&fx->sink,
				       { NB_SAME, fx->evt, probe_src(fx), 3 });
	else
		fake_expect_no_deliveries(&fx->sink);
	assert_int_equal(scmi_notify_get_stats(fx->ni, P, &fx->st0), 0);
}

static void reg_done(void *ctx)
{
	struct fx *fx = ctx;
	bool handler_new = !fx->same;
	bool bound = fx->registered;

	if (bound && !(fx->same && fx->late_init_done)) {
		/* the first bound user of the tuple turns it on */
		expect_on(fx, fx->evt, fx->src);
	} else {
		fake_expect_no_calls(fx->fp);
	}
	if (!bound)
		expect_handlers(fx, fx->bound0, fx->pending0 + handler_new);
	else if (fx->same && !fx->late_init_done)
		/* the call bound the pending handler of its tuple */
		expect_handlers(fx, fx->bound0 + 1, fx->pending0 - 1);
	else
		expect_handlers(fx, fx->bound0 + handler_new, fx->pending0);
	if (!bound)
		return;
	emit(fx, fx->evt, probe_src(fx), 4);
	if (fx->same)
		fake_expect_deliveries(&fx->sink,
				       { NB_SAME, fx->evt, probe_src(fx), 4 },
				       { NB_NEW, fx->evt, probe_src(fx), 4 });
	else
		fake_expect_deliveries(&fx->sink,
				       { NB_NEW, fx->evt, probe_src(fx), 4 });
}

static void run_reg(struct fx *fx, const char *name)
{
	run_path(fx, (struct oom_path){
		.name = name, .setup = reg_setup, .call = reg_call,
		.check_failed = reg_failed, .check_done = reg_done,
	});
}

static void test_register_bound_first(void **state)
{
	struct fx fx = { .registered = true, .late_init_done = true,
			 .evt = EA, .src = 1 };

	run_reg(&fx, "register, bound protocol, first notifier (tables created)");
}

static void test_register_bound(void **state)
{
	struct fx fx = { .registered = true, .late_init_done = true,
			 .evt = EA, .src = 1, .other = true };

	run_reg(&fx, "register, bound protocol, new tuple");
}

static void test_register_bound_all_sources(void **state)
{
	struct fx fx = { .registered = true, .late_init_done = true,
			 .evt = EA, .src = ALL, .other = true };

	run_reg(&fx, "register, bound protocol, all sources");
}

static void test_register_pending(void **state)
{
	struct fx fx = { .evt = EA, .src = 1, .other = true };

	run_reg(&fx, "register, pending protocol, new tuple");
}

static void test_register_pending_first(void **state)
{
	struct fx fx = { .evt = EA, .src = ALL };

	run_reg(&fx, "register, pending protocol, first notifier");
}

static void test_register_second_on_tuple(void **state)
{
	struct fx fx = { .registered = true, .late_init_done = true,
			 .evt = EA, .src = 1, .same = true, .other = true };

	run_reg(&fx, "register, a second notifier on a bound tuple");
}

static void test_register_second_on_pending_tuple(void **state)
{
	struct fx fx = { .evt = EA, .src = 1, .same = true, .other = true };

	run_reg(&fx, "register, a second notifier on a pending tuple");
}

static void test_register_binds_pending_tuple(void **state)
{
	struct fx fx = { .registered = true, .evt = EA, .src = ALL,
			 .same = true };

	run_reg(&fx, "register on a pending all-sources tuple whose protocol just came up");
}

/* ---- registering from a callback -------------------------------------- */

/* NB_CB's hook: register NB_NEW on the call's tuple, once per arming. */
static void hook_register(struct fake_nb *f, uint8_t evt_id,
			  const struct fake_report *r)
{
	struct fx *fx = f->arg;

	if (!fx->cb_armed)
		return;
	fx->cb_armed = false;
	fx->cb_ret = scmi_event_notifier_register(fx->ni, P, fx->evt,
						  srcp(&fx->src),
						  nb(fx, NB_NEW));
}

static void cb_setup(void *ctx)
{
	struct fx *fx = ctx;
	uint32_t zero = 0;

	fx_instance(fx);
	fx->nb[NB_CB].hook = hook_register;
	fx->nb[NB_CB].arg = fx;
	assert_int_equal(fake_proto_register(fx->fp), 0);
	assert_int_equal(scmi_event_notifier_register(fx->ni, P, EB, &zero,
						      nb(fx, NB_CB)), 0);
	assert_true(scmi_notify_run_pending(fx->ni) >= 0);
	fx_snapshot(fx);
}

/* An event whose callback registers: what the registration returned. */
static int cb_call(void *ctx)
{
	struct fx *fx = ctx;
	int ret;

	fx->cb_armed = true;
	fx->cb_ret = 1;
	ret = fake_emit(fx->fp, EB, 0, 8);
	if (ret)
		return ret;
	ret = scmi_notify_run_pending(fx->ni);
	if (ret != 1)
		return ret < 0 ? ret : -EPROTO;
	return fx->cb_ret;
}

static void cb_expect_event_counted(struct fx *fx)
{
	struct scmi_notify_stats st;

	assert_int_equal(scmi_notify_get_stats(fx->ni, P, &st), 0);
	assert_int_equal(st.received, fx->st0.received + 1);
	assert_int_equal(st.queued, fx->st0.queued + 1);
	assert_int_equal(st.delivered, fx->st0.delivered + 1);
	fx->st0 = st;
}

static void cb_failed(void *ctx, int err)
{
	struct fx *fx = ctx;

	cb_expect_event_counted(fx);
	expect_handlers(fx, fx->bound0, fx->pending0);
	fake_expect_no_calls(fx->fp);
	fake_expect_deliveries(&fx->sink, { NB_CB, EB, 0, 8 });
}

static void cb_done(void *ctx)
{
	struct fx *fx = ctx;
	bool same = fx->evt == EB && fx->src == 0;

	cb_expect_event_counted(fx);
	if (same) {
		fake_expect_no_calls(fx->fp);
		expect_handlers(fx, fx->bound0, fx->pending0);
	} else {
		expect_on(fx, fx->evt, fx->src);
		expect_handlers(fx, fx->bound0 + 1, fx->pending0);
	}
	/* registered during that event: it did not receive it */
	fake_expect_deliveries(&fx->sink, { NB_CB, EB, 0, 8 });
	emit(fx, fx->evt, probe_src(fx), 10);
	if (same)
		fake_expect_deliveries(&fx->sink, { NB_CB, EB, 0, 10 },
				       { NB_NEW, EB, 0, 10 });
	else
		fake_expect_deliveries(&fx->sink,
				       { NB_NEW, fx->evt, probe_src(fx), 10 });
}

static void run_cb(uint8_t evt, uint32_t src, const char *name)
{
	struct fx fx = { .evt = evt, .src = src };

	run_path(&fx, (struct oom_path){
		.name = name, .setup = cb_setup, .call = cb_call,
		.check_failed = cb_failed, .check_done = cb_done,
	});
}

static void test_register_from_callback(void **state)
{
	run_cb(EA, ALL, "register from a callback, new all-sources tuple");
}

static void test_register_from_callback_same_tuple(void **state)
{
	run_cb(EB, 0, "register from a callback, on the running chain");
}

/* ---- the handler tables growing ------------------------------------------ */

#define MANY 2000

static void many_register(void *ctx, unsigned int i)
{
	struct fx *fx = ctx;
	uint32_t src = i;

	assert_int_equal(scmi_event_notifier_register(fx->ni, P2, EA, &src,
						      &fx->many[i].nb), 0);
}

static void many_setup(void *ctx)
{
	struct fx *fx = ctx;

	fx_instance(fx);
	for (unsigned int i = 0; i < fx->nmany; i++)
		many_register(fx, i);
	fx_snapshot(fx);
}

static int many_call(void *ctx)
{
	struct fx *fx = ctx;
	uint32_t src = fx->nmany;

	return scmi_event_notifier_register(fx->ni, P2, EA, &src,
					    &fx->many[fx->nmany].nb);
}

static void many_failed(void *ctx, int err)
{
	struct fx *fx = ctx;

	expect_handlers(fx, 0, fx->pending0);
	/* every notifier is still where it was: each one registers nowhere else */
	for (unsigned int i = 0; i < fx->nmany; i++) {
		uint32_t src = i;

		assert_int_equal(scmi_event_notifier_register(
					 fx->ni, P2, EA, &src,
					 &fx->many[i].nb), -EEXIST);
	}
}

static void many_done(void *ctx)
{
	struct fx *fx = ctx;

	expect_handlers(fx, 0, fx->pending0 + 1);
}

static void test_register_grows_tables(void **state)
{
	struct fx fx = { 0 };
	unsigned int at[2], n;
	char name[96];

	oom_require();
	fx.many = calloc(MANY, sizeof(*fx.many));
	assert_non_null(fx.many);
	for (unsigned int i = 0; i < MANY; i++)
		fake_nb_init(&fx.many[i], &fx.sink, 100, 0);
	/* the registrations that grow a table (handlers', notifiers') */
	fx_instance(&fx);
	n = oom_find_growth(many_register, &fx, MANY, at, 2);
	fx_teardown(&fx);
	assert_int_equal(n, 2);
	for (unsigned int i = 0; i < n; i++) {
		fx.nmany = at[i];
		snprintf(name, sizeof(name),
			 "register, the %u-th handler grows a table", at[i] + 1);
		run_path(&fx, (struct oom_path){
			.name = name, .setup = many_setup, .call = many_call,
			.check_failed = many_failed, .check_done = many_done,
		});
	}
	free(fx.many);
}

/* ---- paths that never allocate ------------------------------------------- */

/* A protocol bound with a single-source and an all-sources handler,
 * a second notifier on the first, a pending handler, events queued. */
static void full_setup(void *ctx)
{
	struct fx *fx = ctx;
	uint32_t one = 1, two = 2;

	fx_instance(fx);
	assert_int_equal(fake_proto_register(fx->fp), 0);
	assert_int_equal(scmi_event_notifier_register(fx->ni, P, EA, &one,
						      nb(fx, NB_NEW)), 0);
	assert_int_equal(scmi_event_notifier_register(fx->ni, P, EA, &one,
						      nb(fx, NB_SAME)), 0);
	assert_int_equal(scmi_event_notifier_register(fx->ni, P, EB, NULL,
						      nb(fx, NB_OTHER)), 0);
	assert_int_equal(scmi_event_notifier_register(fx->ni, P2, EA, &two,
						      nb(fx, NB_CB)), 0);
	assert_true(scmi_notify_run_pending(fx->ni) >= 0);
	for (uint32_t v = 0; v < 3; v++)
		assert_int_equal(fake_emit(fx->fp, EA, 1, v), 0);
	/* the worker delivers them (to two notifiers) at once */
	if (fx->threaded)
		assert_true(fake_sink_wait(&fx->sink, 6, WAIT_MS));
	fx_snapshot(fx);
}

static int dereg_call(void *ctx)
{
	struct fx *fx = ctx;

	return fake_proto_deregister(fx->fp);
}

static void dereg_done(void *ctx)
{
	struct fx *fx = ctx;
	struct scmi_notify_stats st;

	fake_expect_calls_any_order(fx->fp, FAKE_OFF(EA, 1), FAKE_OFF(EB, 0),
				    FAKE_OFF(EB, 1), FAKE_OFF(EB, 2),
				    FAKE_OFF(EB, 3));
	expect_handlers(fx, 0, 3);
	assert_int_equal(scmi_notify_get_stats(fx->ni, P, &st), 0);
	assert_int_equal(st.discarded, fx->st0.discarded + 3);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 0);
	fake_expect_no_deliveries(&fx->sink);
}

static void test_deregister_protocol(void **state)
{
	struct fx fx = { 0 };

	run_path(&fx, (struct oom_path){
		.name = "scmi_deregister_protocol_events",
		.setup = full_setup, .call = dereg_call,
		.check_done = dereg_done, .never_allocates = true,
	});
}

/* Unregister fx->role from (fx->proto, fx->evt, fx->src). */
static int unreg_call(void *ctx)
{
	struct fx *fx = ctx;

	return scmi_event_notifier_unregister(fx->ni, fx->proto, fx->evt,
					      srcp(&fx->src),
					      nb(fx, fx->role));
}

static void unreg_what(struct fx *fx, uint8_t proto, uint8_t evt,
		       uint32_t src, int role)
{
	fx->proto = proto;
	fx->evt = evt;
	fx->src = src;
	fx->role = role;
}

static void unreg_last_done(void *ctx)
{
	struct fx *fx = ctx;

	expect_off(fx, EB, ALL);
	expect_handlers(fx, 1, 1);
}

static void unreg_one_done(void *ctx)
{
	struct fx *fx = ctx;

	fake_expect_no_calls(fx->fp);
	expect_handlers(fx, 2, 1);
	assert_true(scmi_notify_run_pending(fx->ni) >= 0);
	fake_expect_deliveries(&fx->sink, { NB_SAME, EA, 1, 0 },
			       { NB_SAME, EA, 1, 1 }, { NB_SAME, EA, 1, 2 });
}

static void unreg_pending_done(void *ctx)
{
	struct fx *fx = ctx;

	fake_expect_no_calls(fx->fp);
	expect_handlers(fx, 2, 0);
}

static void test_unregister(void **state)
{
	struct fx fx = { 0 };
	struct oom_path p = {
		.setup = full_setup, .call = unreg_call,
		.never_allocates = true,
	};

	unreg_what(&fx, P, EB, ALL, NB_OTHER);
	p.name = "unregister, the last notifier of an all-sources tuple";
	p.check_done = unreg_last_done;
	run_path(&fx, p);
	unreg_what(&fx, P, EA, 1, NB_NEW);
	p.name = "unregister, one of two notifiers of a tuple";
	p.check_done = unreg_one_done;
	run_path(&fx, p);
	unreg_what(&fx, P2, EA, 2, NB_CB);
	p.name = "unregister, a pending notifier";
	p.check_done = unreg_pending_done;
	run_path(&fx, p);
}

static int notify_call(void *ctx)
{
	struct fx *fx = ctx;

	return fake_emit(fx->fp, EA, 1, 7);
}

static void notify_done(void *ctx)
{
	struct fx *fx = ctx;
	struct scmi_notify_stats st;

	assert_int_equal(scmi_notify_get_stats(fx->ni, P, &st), 0);
	assert_int_equal(st.queued, fx->st0.queued + 1);
}

static int dispatch_call(void *ctx)
{
	struct fx *fx = ctx;
	int ret = scmi_notify_run_pending(fx->ni);

	return ret == 3 ? 0 : ret < 0 ? ret : -EPROTO;
}

static void dispatch_done(void *ctx)
{
	struct fx *fx = ctx;

	fake_expect_deliveries(&fx->sink, { NB_NEW, EA, 1, 0 },
			       { NB_SAME, EA, 1, 0 }, { NB_NEW, EA, 1, 1 },
			       { NB_SAME, EA, 1, 1 }, { NB_NEW, EA, 1, 2 },
			       { NB_SAME, EA, 1, 2 });
}

/* The event path (DESIGN 3.3 point 8): queueing and delivering. */
static void test_event_path(void **state)
{
	struct fx fx = { 0 };

	run_path(&fx, (struct oom_path){
		.name = "scmi_notify", .setup = full_setup,
		.call = notify_call, .check_done = notify_done,
		.never_allocates = true,
	});
	run_path(&fx, (struct oom_path){
		.name = "dispatch (scmi_notify_run_pending, 3 events queued)",
		.setup = full_setup, .call = dispatch_call,
		.check_done = dispatch_done, .never_allocates = true,
	});
}

static int destroy_call(void *ctx)
{
	struct fx *fx = ctx;
	int ret = scmi_notify_destroy(fx->ni);

	if (!ret)
		fx->ni = NULL;
	return ret;
}

static void destroy_done(void *ctx)
{
	struct fx *fx = ctx;

	fake_expect_calls_any_order(fx->fp, FAKE_OFF(EA, 1), FAKE_OFF(EB, 0),
				    FAKE_OFF(EB, 1), FAKE_OFF(EB, 2),
				    FAKE_OFF(EB, 3));
	fake_expect_no_deliveries(&fx->sink);
}

static void test_destroy(void **state)
{
	struct fx fx = { 0 };
	struct oom_path p = {
		.setup = full_setup, .call = destroy_call,
		.check_done = destroy_done, .never_allocates = true,
	};

	p.name = "scmi_notify_destroy, manual dispatch";
	run_path(&fx, p);
	fx.threaded = true;
	p.name = "scmi_notify_destroy, worker thread";
	run_path(&fx, p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create),
		cmocka_unit_test(test_create_threaded),
		cmocka_unit_test(test_register_protocol),
		cmocka_unit_test(test_late_init_all_sources),
		cmocka_unit_test(test_late_init_one_source),
		cmocka_unit_test(test_bind_pending_all_sources),
		cmocka_unit_test(test_register_bound_first),
		cmocka_unit_test(test_register_bound),
		cmocka_unit_test(test_register_bound_all_sources),
		cmocka_unit_test(test_register_pending),
		cmocka_unit_test(test_register_pending_first),
		cmocka_unit_test(test_register_second_on_tuple),
		cmocka_unit_test(test_register_second_on_pending_tuple),
		cmocka_unit_test(test_register_binds_pending_tuple),
		cmocka_unit_test(test_register_from_callback),
		cmocka_unit_test(test_register_from_callback_same_tuple),
		cmocka_unit_test(test_register_grows_tables),
		cmocka_unit_test(test_deregister_protocol),
		cmocka_unit_test(test_unregister),
		cmocka_unit_test(test_event_path),
		cmocka_unit_test(test_destroy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
