/* SPDX-License-Identifier: MIT */
/*
 * Event-loop mode (agent.h, scmi_agent_config.event_loop), against the
 * real simulator:
 *  - the agent starts no thread of its own: /proc/self/task counts the
 *    same before create, after connect, during traffic, after a reconnect;
 *  - its fd is readable when there is work, dispatch runs every callback
 *    on the calling thread, and threaded agents refuse the loop calls;
 *  - commands sent from inside notifier callbacks (synchronous ones, and
 *    asynchronous ones that wait for their delayed response) while the
 *    platform floods notifications: the waits take the P2A messages into
 *    the protocol's queue (sized for the burst: queue_sz), so neither the
 *    platform nor the core drops one and every one arrives, in order;
 *  - scmi_agent_xfer_async_cb(): it returns at once, the completion runs
 *    in a later dispatch; without a delayed response it runs with
 *    -ETIMEDOUT once scmi_agent_get_timeout()'s deadline passed;
 *  - a platform that goes away and comes back: reported, and reconnected,
 *    by dispatch, on the loop's thread, at the times get_timeout() gives;
 *  - scmi_agent_dispatch() from a callback is -EDEADLK.
 *
 * Default topology: sensor 0 notifies SENSOR_UPDATE (continuous update),
 * reset domain 0 resets asynchronously (--async-delay below), power
 * domain 2 notifies POWER_STATE_CHANGED.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <scmi/power.h>
#include <scmi/reset.h>
#include <scmi/sensor.h>
#include <scmi/wire.h>

#include "fixture.h"

#define WAIT_MS 5000
#define SENSOR 0u
#define BASE_VALUE 100000
#define ASYNC_DELAY_MS "50"

static const char *const async_args[] = { "--async-delay", ASYNC_DELAY_MS,
					   NULL };

static int setup_async(void **state)
{
	return fx_start(state, async_args);
}

static bool under_valgrind(void)
{
	const char *w = getenv("SCMI_SIM_WRAPPER");

	return w && strstr(w, "valgrind");
}

static struct scmi_agent *loop_agent(struct fx *fx, size_t slot,
				     const struct scmi_agent_config *base)
{
	struct scmi_agent_config cfg = { 0 };
	struct scmi_agent *a = NULL;

	if (base)
		cfg = *base;
	cfg.event_loop = true;
	if (!cfg.timeout_ms)
		cfg.timeout_ms = FX_TIMEOUT_MS;
	assert_int_equal(scmi_agent_create(&a, &cfg), 0);
	fx->agents[slot] = a;
	return a;
}

static unsigned int threads(void)
{
	return fx_count_dir("/proc/self/task");
}

/* ---- no thread of ours ------------------------------------------------- */

struct recon {
	atomic_uint connected;
	atomic_uint disconnected;
	atomic_bool other_thread;  /* a report came on another thread */
	pthread_t loop_thread;
};

static void recon_fn(void *ud, enum scmi_agent_state st, int err)
{
	struct recon *r = ud;

	if (!pthread_equal(pthread_self(), r->loop_thread))
		atomic_store(&r->other_thread, true);
	if (st == SCMI_AGENT_CONNECTED)
		atomic_fetch_add(&r->connected, 1);
	if (st == SCMI_AGENT_DISCONNECTED)
		atomic_fetch_add(&r->disconnected, 1);
}

static void test_no_thread_of_ours(void **state)
{
	struct fx *fx = *state;
	struct recon r = { .loop_thread = pthread_self() };
	struct scmi_agent_config cfg = {
		.reconnect = true,
		.reconnect_interval_ms = 20,
		.state_fn = recon_fn,
		.state_userdata = &r,
	};
	unsigned int base = threads();
	struct fx_recorder rec;
	uint32_t dom = 2;
	struct scmi_agent *a = loop_agent(fx, 0, &cfg);
	uint64_t t0;

	assert_int_equal(threads(), base);
	fx_rec_init(&rec, SCMI_PROTOCOL_POWER);
	assert_int_equal(fx_rec_register(&rec, a,
					 SCMI_EVENT_POWER_STATE_CHANGED, &dom),
			 0);
	assert_int_equal(scmi_agent_connect(a, fx->sim.sock), 0);
	assert_int_equal(threads(), base);

	/* traffic: events and commands */
	for (unsigned int i = 1; i <= 10; i++) {
		uint32_t st;

		fx_ctl(fx, "power set 2 %u",
		       i % 2 ? SCMI_POWER_STATE_ON : SCMI_POWER_STATE_OFF);
		t0 = sim_now_ns();
		while (fx_rec_count(&rec) < i && fx_ms_since(t0) < WAIT_MS)
			assert_true(fx_loop_turn(a, 10) >= 0);
		assert_int_equal(fx_rec_count(&rec), i);
		assert_int_equal(scmi_power_state_get(a, 2, &st), 0);
		assert_int_equal(threads(), base);
	}

	/* the platform goes and comes back: all on this thread */
	sim_crash(&fx->sim);
	t0 = sim_now_ns();
	while (atomic_load(&r.disconnected) < 1 && fx_ms_since(t0) < WAIT_MS)
		assert_true(fx_loop_turn(a, 10) >= 0);
	assert_int_equal(atomic_load(&r.disconnected), 1);
	assert_int_equal(scmi_agent_get_state(a), SCMI_AGENT_RECONNECTING);
	assert_int_equal(sim_restart(&fx->sim, NULL), 0);
	t0 = sim_now_ns();
	while (atomic_load(&r.connected) < 2 && fx_ms_since(t0) < WAIT_MS)
		assert_true(fx_loop_turn(a, 10) >= 0);
	assert_int_equal(atomic_load(&r.connected), 2);
	assert_int_equal(threads(), base);
	fx_rec_reset(&rec);
	fx_ctl(fx, "power set 2 %u", SCMI_POWER_STATE_ON);
	t0 = sim_now_ns();
	while (fx_rec_count(&rec) < 1 && fx_ms_since(t0) < WAIT_MS)
		assert_true(fx_loop_turn(a, 10) >= 0);
	assert_int_equal(fx_rec_count(&rec), 1);
	assert_int_equal(threads(), base);
	assert_false(atomic_load(&r.other_thread));
	assert_int_equal(fx_rec_unregister(&rec, a,
					   SCMI_EVENT_POWER_STATE_CHANGED,
					   &dom), 0);
	fx_agent_destroy(fx, 0);
	fx_rec_fini(&rec);
}

/* ---- the fd, the timeout, the modes --------------------------------- */

static void test_loop_calls_by_mode(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *t = fx_agent_new(fx, 0);
	struct scmi_agent *a = loop_agent(fx, 1, NULL);
	uint64_t usec = 0;
	int fd = scmi_agent_get_fd(a);

	/* a threaded agent has no loop */
	assert_int_equal(scmi_agent_get_fd(t), -EOPNOTSUPP);
	assert_int_equal(scmi_agent_get_timeout(t, &usec), -EOPNOTSUPP);
	assert_int_equal(scmi_agent_dispatch(t), -EOPNOTSUPP);
	assert_int_equal(scmi_agent_get_fd(NULL), -EINVAL);
	assert_int_equal(scmi_agent_get_timeout(a, NULL), -EINVAL);
	assert_int_equal(scmi_agent_dispatch(NULL), -EINVAL);

	/* one fd for the agent's life; idle: no deadline, nothing to do */
	assert_true(fd >= 0);
	assert_int_equal(scmi_agent_get_timeout(a, &usec), 0);
	assert_true(usec == UINT64_MAX);
	assert_int_equal(scmi_agent_dispatch(a), 0);
	fx_connect(fx, a);
	assert_int_equal(scmi_agent_get_fd(a), fd);
	assert_int_equal(scmi_agent_dispatch(a), 0);
	{
		struct pollfd p = { .fd = fd, .events = POLLIN };

		/* quiet after a dispatch: the fd is not readable */
		assert_int_equal(poll(&p, 1, 50), 0);
	}
	scmi_agent_disconnect(a);
	fx_connect(fx, a);
	assert_int_equal(scmi_agent_get_fd(a), fd);
}

/* ---- commands from callbacks under a flood ------------------------------ */

/* Updates the platform may hold for the agent (its queue is 64). */
#define FLOOD_WINDOW 32

struct flood {
	struct fx *fx;
	struct scmi_agent *a;
	unsigned int n;
	atomic_uint sent;
	atomic_bool stop;
	pthread_t th;
};

static uint64_t taken(struct scmi_agent *a)
{
	struct scmi_agent_stats st;

	return scmi_agent_get_stats(a, &st) ? 0 : st.notifications;
}

/*
 * Another thread changes the sensor's value as fast as control allows,
 * but never more than FLOOD_WINDOW ahead of what the agent has taken out
 * of its P2A area: the platform's queue cannot overflow while the agent
 * takes its messages, whatever else the machine does.
 */
static void *flood_main(void *arg)
{
	struct flood *f = arg;

	for (unsigned int i = 1; i <= f->n && !atomic_load(&f->stop); i++) {
		while (i - 1 - taken(f->a) >= FLOOD_WINDOW &&
		       !atomic_load(&f->stop))
			usleep(50);
		if (sim_ctl(&f->fx->sim, NULL, 0, "sensor set %u %u", SENSOR,
			    BASE_VALUE + i))
			break;
		atomic_fetch_add(&f->sent, 1);
	}
	return NULL;
}

/*
 * A notifier of sensor 0's updates that counts them, checks their order,
 * and sends commands: it runs in the test's own dispatch (one thread).
 */
struct busy {
	struct scmi_notifier nb;       /* first: the callback's cast */
	struct scmi_agent *a;
	unsigned int calls, out_of_order;
	int64_t last;
	int sync_err, async_err;       /* the first error of each kind */
	unsigned int syncs, asyncs;
	uint64_t taken_in_waits;       /* P2A messages taken during them */
};

static int busy_cb(struct scmi_notifier *nb, uint8_t evt_id,
		   const void *report)
{
	const struct scmi_sensor_update_report *r = report;
	struct busy *b = (struct busy *)nb;
	int64_t v = r->readings[0].value;
	uint8_t rx[4];
	int ret;

	if (evt_id != SCMI_EVENT_SENSOR_UPDATE || r->sensor_id != SENSOR ||
	    v <= b->last)
		b->out_of_order++;
	b->last = v;
	b->calls++;
	if (b->calls % 5 == 0) {
		ret = scmi_agent_xfer(b->a, SCMI_PROTOCOL_BASE, 0, NULL, 0, rx,
				      sizeof(rx), NULL);
		if (ret && !b->sync_err)
			b->sync_err = ret;
		b->syncs++;
	}
	if (b->calls % 50 == 0) {
		uint64_t before = taken(b->a);

		/* waits ASYNC_DELAY_MS for its delayed response */
		ret = scmi_reset_domain_reset(b->a, 0);
		b->taken_in_waits += taken(b->a) - before;
		if (ret && !b->async_err)
			b->async_err = ret;
		b->asyncs++;
	}
	return SCMI_NOTIFY_OK;
}

static void test_commands_from_callbacks_under_flood(void **state)
{
	struct fx *fx = *state;
	/*
	 * room for the whole flood (2000 records of 144 bytes): what a wait
	 * takes in is kept until the callback returns, never dropped
	 */
	struct scmi_agent_config cfg = { .queue_sz = 1024 * 1024 };
	struct scmi_agent *a = loop_agent(fx, 0, &cfg);
	struct scmi_notify_stats ns;
	struct flood f = { .fx = fx, .a = a,
			   .n = under_valgrind() ? 300 : 2000 };
	static struct fx_ctlc ctl;
	struct fx_sim_counts sc;
	struct busy b = { .nb.cb = busy_cb, .a = a };
	uint32_t src = SENSOR;
	uint64_t t0;

	/* SENSOR_CONTINUOUS_UPDATE_NOTIFY goes on with the notifier */
	assert_int_equal(scmi_event_notifier_register(scmi_agent_notify(a),
						      SCMI_PROTOCOL_SENSOR,
						      SCMI_EVENT_SENSOR_UPDATE,
						      &src, &b.nb), 0);
	fx_connect(fx, a);

	atomic_init(&f.sent, 0);
	atomic_init(&f.stop, false);
	assert_int_equal(pthread_create(&f.th, NULL, flood_main, &f), 0);
	t0 = sim_now_ns();
	while ((b.calls < f.n || atomic_load(&f.sent) < f.n) &&
	       fx_ms_since(t0) < 60000) {
		if (fx_loop_turn(a, 10) < 0)
			break;
	}
	atomic_store(&f.stop, true);
	pthread_join(f.th, NULL);
	/* what may still be on its way */
	t0 = sim_now_ns();
	while (b.calls < atomic_load(&f.sent) && fx_ms_since(t0) < WAIT_MS)
		assert_true(fx_loop_turn(a, 10) >= 0);

	fx_ctlc_open(fx, &ctl);
	sc = fx_sim_agent_counts(&ctl, scmi_agent_id(a));
	fx_ctlc_close(&ctl);
	assert_int_equal(scmi_notify_get_stats(scmi_agent_notify(a),
					       SCMI_PROTOCOL_SENSOR, &ns), 0);
	print_message("flood: %u values set, %u events received, %" PRId64
		      " sent, %" PRId64 " dropped by the platform, %" PRIu64
		      " by the core; %u commands and %u async ones from callbacks, %" PRIu64
		      " updates taken while those waited\n",
		      atomic_load(&f.sent), b.calls, sc.sent, sc.dropped,
		      ns.dropped_full, b.syncs, b.asyncs, b.taken_in_waits);
	assert_int_equal(atomic_load(&f.sent), f.n);
	assert_int_equal(sc.dropped, 0);
	assert_int_equal(ns.dropped_full, 0);
	assert_int_equal(b.calls, f.n);
	assert_int_equal(sc.sent, f.n);
	assert_int_equal(b.out_of_order, 0);
	assert_int_equal(b.last, BASE_VALUE + f.n);
	assert_int_equal(b.sync_err, 0);
	assert_int_equal(b.async_err, 0);
	assert_true(b.asyncs >= f.n / 50);
	/* the waits took what the platform posted meanwhile */
	assert_true(b.taken_in_waits >= b.asyncs);
	assert_int_equal(scmi_event_notifier_unregister(scmi_agent_notify(a),
							SCMI_PROTOCOL_SENSOR,
							SCMI_EVENT_SENSOR_UPDATE,
							&src, &b.nb), 0);
}

/*
 * A synchronous command that waits long (its response held back 300 ms by
 * the platform's "fault delay"), sent from a notifier callback: the
 * notifications posted meanwhile are taken during the wait, and
 * delivered after, in order.
 */
struct late {
	struct scmi_notifier nb;       /* first: the callback's cast */
	struct fx *fx;
	struct scmi_agent *a;
	int ret;
	uint64_t taken_during;
	bool done;
};

struct poster {
	struct fx *fx;
	pthread_t th;
	int err;
};

/* 20 ms into the wait, the platform posts five sensor updates. */
static void *poster_main(void *arg)
{
	struct poster *p = arg;

	sim_sleep_ms(20);
	for (unsigned int i = 1; i <= 5 && !p->err; i++)
		p->err = sim_ctl(&p->fx->sim, NULL, 0, "sensor set %u %u",
				 SENSOR, BASE_VALUE + i);
	return NULL;
}

static int late_cb(struct scmi_notifier *nb, uint8_t evt_id,
		   const void *report)
{
	struct late *l = (struct late *)nb;
	struct poster p = { .fx = l->fx };
	uint64_t before;
	uint8_t rx[4];

	if (l->done)
		return SCMI_NOTIFY_OK;
	l->done = true;
	l->ret = sim_ctl(&l->fx->sim, NULL, 0, "fault delay %u 300",
			 scmi_agent_id(l->a));
	if (l->ret || pthread_create(&p.th, NULL, poster_main, &p))
		return SCMI_NOTIFY_OK;
	before = taken(l->a);
	l->ret = scmi_agent_xfer(l->a, SCMI_PROTOCOL_BASE, 0, NULL, 0, rx,
				 sizeof(rx), NULL);
	l->taken_during = taken(l->a) - before;
	pthread_join(p.th, NULL);
	if (!l->ret)
		l->ret = p.err;
	return SCMI_NOTIFY_OK;
}

static void test_sync_wait_takes_p2a(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = loop_agent(fx, 0, NULL);
	struct late l = { .nb.cb = late_cb, .fx = fx, .a = a };
	struct busy b = { .nb.cb = busy_cb, .a = a };
	uint32_t dom = 2, src = SENSOR;
	uint64_t t0;

	assert_int_equal(scmi_event_notifier_register(scmi_agent_notify(a),
						      SCMI_PROTOCOL_POWER,
						      SCMI_EVENT_POWER_STATE_CHANGED,
						      &dom, &l.nb), 0);
	assert_int_equal(scmi_event_notifier_register(scmi_agent_notify(a),
						      SCMI_PROTOCOL_SENSOR,
						      SCMI_EVENT_SENSOR_UPDATE,
						      &src, &b.nb), 0);
	fx_connect(fx, a);
	fx_ctl(fx, "power set 2 %u", SCMI_POWER_STATE_ON);
	t0 = sim_now_ns();
	while (b.calls < 5 && fx_ms_since(t0) < WAIT_MS)
		assert_true(fx_loop_turn(a, 10) >= 0);
	print_message("a 300 ms wait took %" PRIu64 " notifications\n",
		      l.taken_during);
	assert_true(l.done);
	assert_int_equal(l.ret, 0);
	assert_true(l.taken_during >= 1);
	assert_int_equal(b.calls, 5);
	assert_int_equal(b.out_of_order, 0);
	assert_int_equal(b.last, BASE_VALUE + 5);
	assert_int_equal(scmi_event_notifier_unregister(scmi_agent_notify(a),
							SCMI_PROTOCOL_POWER,
							SCMI_EVENT_POWER_STATE_CHANGED,
							&dom, &l.nb), 0);
	assert_int_equal(scmi_event_notifier_unregister(scmi_agent_notify(a),
							SCMI_PROTOCOL_SENSOR,
							SCMI_EVENT_SENSOR_UPDATE,
							&src, &b.nb), 0);
}

/*
 * A long dispatch pass (slow callbacks, a steady stream) takes the P2A
 * messages posted meanwhile between its rounds: one dispatch call then
 * delivers more than could be taken at its start (at most the window
 * the flood keeps ahead, and the area). Without it, the platform would
 * wait with its queue filling until the pass ended.
 */
struct slow {
	struct scmi_notifier nb;       /* first: the callback's cast */
	unsigned int calls;
};

static int slow_cb(struct scmi_notifier *nb, uint8_t evt_id,
		   const void *report)
{
	((struct slow *)nb)->calls++;
	usleep(200);
	return SCMI_NOTIFY_OK;
}

static void test_dispatch_takes_p2a_between_rounds(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent_config cfg = { .queue_sz = 1024 * 1024 };
	struct scmi_agent *a = loop_agent(fx, 0, &cfg);
	struct flood f = { .fx = fx, .a = a,
			   .n = under_valgrind() ? 300 : 1000 };
	struct slow w = { .nb.cb = slow_cb };
	unsigned int most = 0;
	uint32_t src = SENSOR;
	uint64_t t0;

	assert_int_equal(scmi_event_notifier_register(scmi_agent_notify(a),
						      SCMI_PROTOCOL_SENSOR,
						      SCMI_EVENT_SENSOR_UPDATE,
						      &src, &w.nb), 0);
	fx_connect(fx, a);
	atomic_init(&f.sent, 0);
	atomic_init(&f.stop, false);
	assert_int_equal(pthread_create(&f.th, NULL, flood_main, &f), 0);
	t0 = sim_now_ns();
	while (w.calls < f.n && fx_ms_since(t0) < 60000) {
		unsigned int before = w.calls;

		if (fx_loop_turn(a, 10) < 0)
			break;
		if (w.calls - before > most)
			most = w.calls - before;
	}
	atomic_store(&f.stop, true);
	pthread_join(f.th, NULL);
	print_message("slow callbacks: %u events, at most %u in one dispatch\n",
		      w.calls, most);
	assert_int_equal(w.calls, f.n);
	/* under valgrind the simulator posts too slowly to outrun 200 us
	 * callbacks: one dispatch then never sees the window's worth */
	if (!under_valgrind())
		assert_true(most > 2 * FLOOD_WINDOW);
	assert_int_equal(scmi_event_notifier_unregister(scmi_agent_notify(a),
							SCMI_PROTOCOL_SENSOR,
							SCMI_EVENT_SENSOR_UPDATE,
							&src, &w.nb), 0);
}

/* ---- completion callbacks ------------------------------------------ */

struct done {
	atomic_uint calls;
	atomic_int result;
	pthread_t thread;
	bool inside_dispatch;
};

static atomic_bool in_dispatch;

static void done_fn(void *ud, int result, const void *ret, size_t ret_sz)
{
	struct done *d = ud;

	d->thread = pthread_self();
	d->inside_dispatch = atomic_load(&in_dispatch);
	atomic_store(&d->result, result);
	atomic_fetch_add(&d->calls, 1);
}

/* RESET of domain 0, asynchronous and autonomous. */
static int async_reset(struct scmi_agent *a, struct done *d)
{
	uint8_t tx[12];

	scmi_put_le32(tx, 0);
	scmi_put_le32(tx + 4, 0x5);
	scmi_put_le32(tx + 8, 0);
	return scmi_agent_xfer_async_cb(a, SCMI_PROTOCOL_RESET, 0x4, tx,
					sizeof(tx), done_fn, d);
}

static void test_async_cb_completes_in_dispatch(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent_config cfg = { .delayed_timeout_ms = 2000 };
	struct scmi_agent *a = loop_agent(fx, 0, &cfg);
	struct done d = { 0 };
	uint64_t t0, usec;

	fx_connect(fx, a);
	t0 = sim_now_ns();
	assert_int_equal(async_reset(a, &d), 0);
	/* it returned with the immediate response, long before the delayed */
	assert_true(fx_ms_since(t0) < (uint64_t)atoi(ASYNC_DELAY_MS));
	assert_int_equal(atomic_load(&d.calls), 0);
	/* its deadline is the loop's to keep */
	assert_int_equal(scmi_agent_get_timeout(a, &usec), 0);
	assert_true(usec != UINT64_MAX);
	assert_true(usec <= sim_now_ns() / 1000 + 2000 * 1000);
	while (!atomic_load(&d.calls) && fx_ms_since(t0) < WAIT_MS) {
		struct pollfd p = { .fd = scmi_agent_get_fd(a),
				    .events = POLLIN };

		poll(&p, 1, 10);
		atomic_store(&in_dispatch, true);
		assert_true(scmi_agent_dispatch(a) >= 0);
		atomic_store(&in_dispatch, false);
	}
	assert_int_equal(atomic_load(&d.calls), 1);
	assert_int_equal(atomic_load(&d.result), 0);
	assert_true(d.inside_dispatch);
	assert_true(pthread_equal(d.thread, pthread_self()));
	assert_true(fx_ms_since(t0) >= (uint64_t)atoi(ASYNC_DELAY_MS) - 5);
	/* nothing more due */
	assert_int_equal(scmi_agent_get_timeout(a, &usec), 0);
	assert_true(usec == UINT64_MAX);
}

static void test_async_cb_times_out_at_its_deadline(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent_config cfg = { .delayed_timeout_ms = 300 };
	struct scmi_agent *a = loop_agent(fx, 0, &cfg);
	struct done d = { 0 };
	uint64_t t0, usec;

	fx_connect(fx, a);
	fx_ctl(fx, "fault drop-delayed %u", scmi_agent_id(a));
	t0 = sim_now_ns();
	assert_int_equal(async_reset(a, &d), 0);
	assert_int_equal(scmi_agent_get_timeout(a, &usec), 0);
	assert_true(usec != UINT64_MAX);
	/* the user's loop waits as told, and dispatches */
	while (!atomic_load(&d.calls) && fx_ms_since(t0) < WAIT_MS)
		assert_true(fx_loop_turn(a, 1000) >= 0);
	assert_int_equal(atomic_load(&d.calls), 1);
	assert_int_equal(atomic_load(&d.result), -ETIMEDOUT);
	assert_true(fx_ms_since(t0) >= 300);
	assert_true(fx_ms_since(t0) < 300 + 500);
	/* the next one completes */
	assert_int_equal(async_reset(a, &d), 0);
	t0 = sim_now_ns();
	while (atomic_load(&d.calls) < 2 && fx_ms_since(t0) < WAIT_MS)
		assert_true(fx_loop_turn(a, 10) >= 0);
	assert_int_equal(atomic_load(&d.result), 0);
}

static void test_async_cb_threaded_on_supervisor(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	struct done d = { 0 };
	uint64_t t0 = sim_now_ns();

	assert_int_equal(async_reset(a, &d), 0);
	while (!atomic_load(&d.calls) && fx_ms_since(t0) < WAIT_MS)
		sim_sleep_ms(2);
	assert_int_equal(atomic_load(&d.calls), 1);
	assert_int_equal(atomic_load(&d.result), 0);
	assert_false(pthread_equal(d.thread, pthread_self()));
	/* a disconnect cuts one short: its callback runs, -ECONNRESET */
	fx_ctl(fx, "fault drop-delayed %u", scmi_agent_id(a));
	assert_int_equal(async_reset(a, &d), 0);
	scmi_agent_disconnect(a);
	assert_int_equal(atomic_load(&d.calls), 2);
	assert_int_equal(atomic_load(&d.result), -ECONNRESET);
}

/* ---- dispatch from a callback ------------------------------------------- */

struct nested {
	struct scmi_notifier nb;
	struct scmi_agent *a;
	int ret;
	unsigned int calls;
};

static int nested_cb(struct scmi_notifier *nb, uint8_t evt_id,
		     const void *report)
{
	struct nested *n = (struct nested *)nb;

	n->calls++;
	n->ret = scmi_agent_dispatch(n->a);
	return SCMI_NOTIFY_OK;
}

static void test_dispatch_from_callback_is_edeadlk(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = loop_agent(fx, 0, NULL);
	struct nested n = { .nb.cb = nested_cb, .a = a, .ret = 1 };
	uint32_t dom = 2;
	uint64_t t0;

	assert_int_equal(scmi_event_notifier_register(scmi_agent_notify(a),
						      SCMI_PROTOCOL_POWER,
						      SCMI_EVENT_POWER_STATE_CHANGED,
						      &dom, &n.nb), 0);
	fx_connect(fx, a);
	fx_ctl(fx, "power set 2 %u", SCMI_POWER_STATE_ON);
	t0 = sim_now_ns();
	while (!n.calls && fx_ms_since(t0) < WAIT_MS)
		assert_true(fx_loop_turn(a, 10) >= 0);
	assert_int_equal(n.calls, 1);
	assert_int_equal(n.ret, -EDEADLK);
	assert_int_equal(scmi_event_notifier_unregister(scmi_agent_notify(a),
							SCMI_PROTOCOL_POWER,
							SCMI_EVENT_POWER_STATE_CHANGED,
							&dom, &n.nb), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_no_thread_of_ours),
		FX_TEST(test_loop_calls_by_mode),
		FX_TEST_SETUP(test_commands_from_callbacks_under_flood,
			      setup_async),
		FX_TEST(test_sync_wait_takes_p2a),
		FX_TEST(test_dispatch_takes_p2a_between_rounds),
		FX_TEST_SETUP(test_async_cb_completes_in_dispatch, setup_async),
		FX_TEST_SETUP(test_async_cb_times_out_at_its_deadline,
			      setup_async),
		FX_TEST_SETUP(test_async_cb_threaded_on_supervisor,
			      setup_async),
		FX_TEST(test_dispatch_from_callback_is_edeadlk),
	};

	return fx_run_tests(tests);
}
