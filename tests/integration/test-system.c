/* SPDX-License-Identifier: MIT */
/*
 * The system power protocol (0x12) end to end: the agent's driver against
 * the real simulator. Discovery against the default topology, STATE_SET
 * and STATE_GET with their errors, SYSTEM_POWER_STATE_NOTIFIER caused by
 * another agent, by the requester itself and by the control socket,
 * unsubscribe, two agents, a notifier registered before connect, and a
 * platform without the notification.
 *
 * Default topology (sim-platform/topology.c): version 2.0, notification
 * supported, warm reset supported, suspend not, state POWER_UP, graceful
 * timeout 1000 ms.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include <scmi/agent.h>
#include <scmi/notify.h>
#include <scmi/protocols.h>
#include <scmi/system.h>
#include <scmi/wire.h>

#include "sim-harness.h"

#define TIMEOUT_MS 1000 /* generous: valgrind runs these too */
#define WAIT_MS 2000    /* bound of every wait for an event */
#define QUIET_MS 100    /* how long "nothing arrives" is watched */
#define SETTLE_MS 50    /* for a disable sent by the worker after unregister */

#define SYSTEM_POWER_STATE_SET 0x3
#define SYSTEM_POWER_STATE_GET 0x4
#define SYSTEM_POWER_STATE_NOTIFY 0x5
#define EVT SCMI_EVENT_SYSTEM_POWER_STATE_NOTIFIER
#define GRACEFUL SCMI_SYSTEM_GRACEFUL
#define FORCEFUL 0u
#define DEFAULT_TIMEOUT 1000u

struct fx {
	struct sim sim;
	struct scmi_agent *agents[4];
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	if (sim_start(&fx->sim, NULL)) {
		free(fx);
		return -1;
	}
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	sim_stop(&fx->sim);
	for (size_t i = 0; i < sizeof(fx->agents) / sizeof(fx->agents[0]); i++)
		scmi_agent_destroy(fx->agents[i]);
	free(fx);
	return 0;
}

static struct scmi_agent *agent_new(struct fx *fx, size_t slot)
{
	struct scmi_agent_config cfg = { .timeout_ms = TIMEOUT_MS };
	struct scmi_agent *a = NULL;

	assert_int_equal(scmi_agent_create(&a, &cfg), 0);
	fx->agents[slot] = a;
	return a;
}

static struct scmi_agent *agent_connected(struct fx *fx, size_t slot)
{
	struct scmi_agent *a = agent_new(fx, slot);

	assert_int_equal(scmi_agent_connect(a, fx->sim.sock), 0);
	return a;
}

static uint64_t commands_sent(struct scmi_agent *a)
{
	struct scmi_agent_stats st;

	assert_int_equal(scmi_agent_get_stats(a, &st), 0);
	return st.commands;
}

static uint64_t notifications_received(struct scmi_agent *a)
{
	struct scmi_agent_stats st;

	assert_int_equal(scmi_agent_get_stats(a, &st), 0);
	return st.notifications;
}

static int raw(struct scmi_agent *a, uint8_t msg_id, const void *tx,
	       size_t tx_sz, void *rx, size_t rx_cap, size_t *n)
{
	return scmi_agent_xfer(a, SCMI_PROTOCOL_SYSTEM, msg_id, tx, tx_sz, rx,
			       rx_cap, n);
}

static int raw_set(struct scmi_agent *a, uint32_t flags, uint32_t state)
{
	uint8_t tx[8];

	scmi_put_le32(tx, flags);
	scmi_put_le32(tx + 4, state);
	return raw(a, SYSTEM_POWER_STATE_SET, tx, sizeof(tx), NULL, 0, NULL);
}

static uint32_t msg_attributes(struct scmi_agent *a, uint32_t msg_id,
			       int *ret)
{
	uint8_t tx[4], rx[4] = { 0 };
	size_t n = 0;

	scmi_put_le32(tx, msg_id);
	*ret = raw(a, SCMI_PROTOCOL_MESSAGE_ATTRIBUTES, tx, 4, rx, sizeof(rx),
		   &n);
	if (!*ret)
		assert_int_equal(n, 4);
	return scmi_get_le32(rx);
}

static uint32_t state_of(struct scmi_agent *a)
{
	uint32_t st = 0xDEAD;

	assert_int_equal(scmi_system_power_state_get(a, &st), 0);
	return st;
}

/* ---- a listener that keeps every report ------------------------------ */

#define MAX_SEEN 32

struct listener {
	struct scmi_notifier nb;
	pthread_mutex_t mtx;
	pthread_cond_t cond;
	unsigned int count;
	uint8_t evt_id[MAX_SEEN];
	struct scmi_system_power_state_notifier_report r[MAX_SEEN];
};

static int on_system(struct scmi_notifier *nb, uint8_t evt_id,
		     const void *report)
{
	struct listener *l = (struct listener *)(void *)((char *)nb -
					  offsetof(struct listener, nb));

	pthread_mutex_lock(&l->mtx);
	if (l->count < MAX_SEEN) {
		l->evt_id[l->count] = evt_id;
		memcpy(&l->r[l->count], report, sizeof(l->r[0]));
	}
	l->count++;
	pthread_cond_broadcast(&l->cond);
	pthread_mutex_unlock(&l->mtx);
	return SCMI_NOTIFY_OK;
}

static void listener_init(struct listener *l)
{
	memset(l, 0, sizeof(*l));
	l->nb.cb = on_system;
	pthread_mutex_init(&l->mtx, NULL);
	pthread_cond_init(&l->cond, NULL);
}

static void listener_fini(struct listener *l)
{
	pthread_mutex_destroy(&l->mtx);
	pthread_cond_destroy(&l->cond);
}

/* Wait until @l has seen @n events or @ms passed; the count seen. */
static unsigned int listener_wait(struct listener *l, unsigned int n,
				  unsigned int ms)
{
	uint64_t deadline = sim_now_ns() + (uint64_t)ms * 1000000ull;
	unsigned int count;

	pthread_mutex_lock(&l->mtx);
	while (l->count < n && sim_now_ns() < deadline) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 10 * 1000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&l->cond, &l->mtx, &ts);
	}
	count = l->count;
	pthread_mutex_unlock(&l->mtx);
	return count;
}

/* Assert every field of the @i-th report @l received. */
static void check_seen(struct listener *l, unsigned int i, uint32_t agent_id,
		       uint32_t flags, uint32_t system_state, uint32_t timeout,
		       uint64_t t0, uint64_t t1)
{
	struct scmi_system_power_state_notifier_report r;
	uint8_t evt_id;

	pthread_mutex_lock(&l->mtx);
	assert_true(i < l->count);
	r = l->r[i];
	evt_id = l->evt_id[i];
	pthread_mutex_unlock(&l->mtx);
	assert_int_equal(evt_id, EVT);
	assert_int_equal(r.agent_id, agent_id);
	assert_int_equal(r.flags, flags);
	assert_int_equal(r.system_state, system_state);
	assert_int_equal(r.timeout, timeout);
	assert_true(r.timestamp >= t0);
	assert_true(r.timestamp <= t1);
}

static int reg(struct scmi_agent *a, const uint32_t *src, struct listener *l)
{
	return scmi_event_notifier_register(scmi_agent_notify(a),
					    SCMI_PROTOCOL_SYSTEM, EVT, src,
					    &l->nb);
}

static int unreg(struct scmi_agent *a, const uint32_t *src, struct listener *l)
{
	return scmi_event_notifier_unregister(scmi_agent_notify(a),
					      SCMI_PROTOCOL_SYSTEM, EVT, src,
					      &l->nb);
}

/* ---- discovery ------------------------------------------------------- */

static void test_discovery(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *idle = agent_new(fx, 1);
	struct scmi_system_power_info si;
	struct scmi_agent *a;
	uint8_t rx[8];
	uint32_t st;
	size_t n = 0;
	int ret;

	assert_int_equal(scmi_system_power_info(idle, &si), -ENOTCONN);
	assert_int_equal(scmi_system_power_state_get(idle, &st), -ENOTCONN);
	assert_int_equal(scmi_system_power_state_set(idle, 0, 0), -ENOTCONN);
	assert_int_equal(scmi_system_power_info(NULL, &si), -EINVAL);

	a = agent_connected(fx, 0);
	memset(&si, 0xAA, sizeof(si));
	assert_int_equal(scmi_system_power_info(a, &si), 0);
	assert_int_equal(si.version, 0x20000);
	assert_true(si.notify);
	assert_true(si.warm_reset);
	assert_false(si.suspend);
	assert_true(si.state_get);
	assert_int_equal(scmi_system_power_info(a, NULL), -EINVAL);

	/* the wire */
	assert_int_equal(raw(a, SCMI_PROTOCOL_VERSION, NULL, 0, rx, sizeof(rx),
			     &n), 0);
	assert_int_equal(n, 4);
	assert_int_equal(scmi_get_le32(rx), 0x20000);
	assert_int_equal(raw(a, SCMI_PROTOCOL_ATTRIBUTES, NULL, 0, rx,
			     sizeof(rx), &n), 0);
	assert_int_equal(n, 4);
	assert_int_equal(scmi_get_le32(rx), 0);
	assert_int_equal(msg_attributes(a, SCMI_PROTOCOL_VERSION, &ret), 0);
	assert_int_equal(ret, 0);
	assert_int_equal(msg_attributes(a, SCMI_PROTOCOL_MESSAGE_ATTRIBUTES,
					&ret), 0);
	assert_int_equal(ret, 0);
	/* STATE_SET: bit 31 warm reset, bit 30 suspend (not here) */
	assert_int_equal(msg_attributes(a, SYSTEM_POWER_STATE_SET, &ret),
			 0x80000000u);
	assert_int_equal(ret, 0);
	assert_int_equal(msg_attributes(a, SYSTEM_POWER_STATE_GET, &ret), 0);
	assert_int_equal(ret, 0);
	assert_int_equal(msg_attributes(a, SYSTEM_POWER_STATE_NOTIFY, &ret), 0);
	assert_int_equal(ret, 0);
	msg_attributes(a, 0x6, &ret);
	assert_int_equal(ret, -ENOENT);
	msg_attributes(a, 0x10, &ret);
	assert_int_equal(ret, -ENOENT);
	assert_int_equal(raw(a, 0x6, NULL, 0, NULL, 0, NULL), -EOPNOTSUPP);
	assert_int_equal(raw(a, 0x55, NULL, 0, NULL, 0, NULL), -EOPNOTSUPP);
	assert_int_equal(raw(a, SCMI_PROTOCOL_VERSION, "1234", 4, NULL, 0,
			     NULL), -EPROTO);
	assert_int_equal(raw(a, SCMI_PROTOCOL_MESSAGE_ATTRIBUTES, NULL, 0,
			     NULL, 0, NULL), -EPROTO);
}

/* ---- commands -------------------------------------------------------- */

static void test_state_set_get(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = agent_connected(fx, 0);
	uint8_t rx[8];
	uint64_t before;
	uint32_t st;
	size_t n = 0;

	assert_int_equal(state_of(a), SCMI_SYSTEM_POWERUP);
	assert_int_equal(raw(a, SYSTEM_POWER_STATE_GET, NULL, 0, rx, sizeof(rx),
			     &n), 0);
	assert_int_equal(n, 4);
	assert_int_equal(scmi_get_le32(rx), SCMI_SYSTEM_POWERUP);
	assert_int_equal(raw(a, SYSTEM_POWER_STATE_GET, "1234", 4, rx,
			     sizeof(rx), &n), -EPROTO);

	/* powering up a system that is up: DENIED */
	assert_int_equal(scmi_system_power_state_set(a, FORCEFUL,
						     SCMI_SYSTEM_POWERUP),
			 -EACCES);
	assert_int_equal(scmi_system_power_state_set(a, GRACEFUL,
						     SCMI_SYSTEM_POWERUP),
			 -EACCES);

	/* refused before anything is sent */
	before = commands_sent(a);
	assert_int_equal(scmi_system_power_state_set(a, GRACEFUL,
						     SCMI_SYSTEM_SUSPEND),
			 -EOPNOTSUPP);
	assert_int_equal(scmi_system_power_state_set(a, 2, SCMI_SYSTEM_SHUTDOWN),
			 -EINVAL);
	assert_int_equal(scmi_system_power_state_set(a, 0x80000001u,
						     SCMI_SYSTEM_SHUTDOWN),
			 -EINVAL);
	assert_int_equal(scmi_system_power_state_set(NULL, 0, 0), -EINVAL);
	assert_int_equal(scmi_system_power_state_get(a, NULL), -EINVAL);
	assert_int_equal(scmi_system_power_state_get(NULL, &st), -EINVAL);
	assert_int_equal(commands_sent(a), before);

	/* the platform's answers */
	assert_int_equal(raw_set(a, FORCEFUL, SCMI_SYSTEM_SUSPEND), -EOPNOTSUPP);
	assert_int_equal(raw_set(a, 2, SCMI_SYSTEM_SHUTDOWN), -EINVAL);
	assert_int_equal(raw_set(a, FORCEFUL, 5), -EINVAL);
	assert_int_equal(raw_set(a, FORCEFUL, 0x80000000u), -EINVAL);
	assert_int_equal(scmi_system_power_state_set(a, FORCEFUL, 5), -EINVAL);
	assert_int_equal(raw(a, SYSTEM_POWER_STATE_SET, "1234", 4, NULL, 0,
			     NULL), -EPROTO);
	assert_int_equal(state_of(a), SCMI_SYSTEM_POWERUP);

	/* shut down, and up again; resets come back up */
	assert_int_equal(scmi_system_power_state_set(a, FORCEFUL,
						     SCMI_SYSTEM_SHUTDOWN), 0);
	assert_int_equal(state_of(a), SCMI_SYSTEM_SHUTDOWN);
	assert_int_equal(scmi_system_power_state_set(a, GRACEFUL,
						     SCMI_SYSTEM_SHUTDOWN), 0);
	assert_int_equal(state_of(a), SCMI_SYSTEM_SHUTDOWN);
	assert_int_equal(scmi_system_power_state_set(a, FORCEFUL,
						     SCMI_SYSTEM_POWERUP), 0);
	assert_int_equal(state_of(a), SCMI_SYSTEM_POWERUP);
	assert_int_equal(scmi_system_power_state_set(a, GRACEFUL,
						     SCMI_SYSTEM_COLDRESET), 0);
	assert_int_equal(state_of(a), SCMI_SYSTEM_POWERUP);
	assert_int_equal(scmi_system_power_state_set(a, FORCEFUL,
						     SCMI_SYSTEM_WARMRESET), 0);
	assert_int_equal(state_of(a), SCMI_SYSTEM_POWERUP);

	/* SYSTEM_POWER_STATE_NOTIFY: reserved bits, short payload */
	{
		uint8_t tx[4];

		scmi_put_le32(tx, 2);
		assert_int_equal(raw(a, SYSTEM_POWER_STATE_NOTIFY, tx, 4, NULL,
				     0, NULL), -EINVAL);
		assert_int_equal(raw(a, SYSTEM_POWER_STATE_NOTIFY, tx, 2, NULL,
				     0, NULL), -EPROTO);
		/* a disable with nothing enabled is fine */
		scmi_put_le32(tx, 0);
		assert_int_equal(raw(a, SYSTEM_POWER_STATE_NOTIFY, tx, 4, NULL,
				     0, NULL), 0);
	}
}

/* ---- events ---------------------------------------------------------- */

static void test_notifier(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = agent_connected(fx, 0);
	struct scmi_agent *b = agent_connected(fx, 1);
	const uint32_t src0 = 0;
	struct listener la, lb;
	uint32_t ida = scmi_agent_id(a), idb = scmi_agent_id(b);
	uint64_t t0, t1;

	listener_init(&la);
	listener_init(&lb);
	assert_int_equal(reg(a, &src0, &la), 0);

	/* another agent's graceful shutdown: a hears it with the timeout */
	t0 = sim_now_ns();
	assert_int_equal(scmi_system_power_state_set(b, GRACEFUL,
						     SCMI_SYSTEM_SHUTDOWN), 0);
	assert_int_equal(listener_wait(&la, 1, WAIT_MS), 1);
	t1 = sim_now_ns();
	check_seen(&la, 0, idb, GRACEFUL, SCMI_SYSTEM_SHUTDOWN,
		   DEFAULT_TIMEOUT, t0, t1);
	/* b did not subscribe: it heard nothing */
	sim_sleep_ms(QUIET_MS);
	assert_int_equal(notifications_received(b), 0);

	/* b subscribes too; a's own request reaches both (the requester too) */
	assert_int_equal(reg(b, NULL, &lb), 0);
	t0 = sim_now_ns();
	assert_int_equal(scmi_system_power_state_set(a, GRACEFUL,
						     SCMI_SYSTEM_COLDRESET), 0);
	assert_int_equal(listener_wait(&la, 2, WAIT_MS), 2);
	assert_int_equal(listener_wait(&lb, 1, WAIT_MS), 1);
	t1 = sim_now_ns();
	/* the timeout is reported for a graceful shutdown only (Linux) */
	check_seen(&la, 1, ida, GRACEFUL, SCMI_SYSTEM_COLDRESET, 0, t0, t1);
	check_seen(&lb, 0, ida, GRACEFUL, SCMI_SYSTEM_COLDRESET, 0, t0, t1);

	/* forceful: flags 0, no timeout */
	t0 = sim_now_ns();
	assert_int_equal(scmi_system_power_state_set(a, FORCEFUL,
						     SCMI_SYSTEM_SHUTDOWN), 0);
	assert_int_equal(listener_wait(&la, 3, WAIT_MS), 3);
	assert_int_equal(listener_wait(&lb, 2, WAIT_MS), 2);
	t1 = sim_now_ns();
	check_seen(&la, 2, ida, FORCEFUL, SCMI_SYSTEM_SHUTDOWN, 0, t0, t1);
	check_seen(&lb, 1, ida, FORCEFUL, SCMI_SYSTEM_SHUTDOWN, 0, t0, t1);

	/* the platform asks: agent_id 0, the given timeout */
	t0 = sim_now_ns();
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0,
				 "system request shutdown graceful 5000"), 0);
	assert_int_equal(listener_wait(&la, 4, WAIT_MS), 4);
	assert_int_equal(listener_wait(&lb, 3, WAIT_MS), 3);
	t1 = sim_now_ns();
	check_seen(&la, 3, 0, GRACEFUL, SCMI_SYSTEM_SHUTDOWN, 5000, t0, t1);
	check_seen(&lb, 2, 0, GRACEFUL, SCMI_SYSTEM_SHUTDOWN, 5000, t0, t1);

	t0 = sim_now_ns();
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0,
				 "system request shutdown graceful"), 0);
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0,
				 "system request warm-reset forceful"), 0);
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0,
				 "system request 3 graceful 700"), 0);
	assert_int_equal(listener_wait(&la, 7, WAIT_MS), 7);
	t1 = sim_now_ns();
	check_seen(&la, 4, 0, GRACEFUL, SCMI_SYSTEM_SHUTDOWN, DEFAULT_TIMEOUT,
		   t0, t1);
	check_seen(&la, 5, 0, FORCEFUL, SCMI_SYSTEM_WARMRESET, 0, t0, t1);
	check_seen(&la, 6, 0, GRACEFUL, SCMI_SYSTEM_POWERUP, 0, t0, t1);
	assert_int_equal(state_of(b), SCMI_SYSTEM_POWERUP);

	/* a refused request tells nobody */
	assert_int_equal(scmi_system_power_state_set(b, FORCEFUL,
						     SCMI_SYSTEM_POWERUP),
			 -EACCES);
	assert_int_equal(listener_wait(&lb, 6, WAIT_MS), 6);
	sim_sleep_ms(QUIET_MS);
	assert_int_equal(listener_wait(&la, 8, 0), 7);
	assert_int_equal(listener_wait(&lb, 7, 0), 6);
	assert_int_equal(notifications_received(a), 7);
	assert_int_equal(notifications_received(b), 6);

	/* a unsubscribes (NOTIFY(0)): b still hears, a nothing more */
	assert_int_equal(unreg(a, &src0, &la), 0);
	assert_int_equal(unreg(a, &src0, &la), -ENOENT);
	sim_sleep_ms(SETTLE_MS);
	t0 = sim_now_ns();
	assert_int_equal(scmi_system_power_state_set(a, GRACEFUL,
						     SCMI_SYSTEM_SHUTDOWN), 0);
	assert_int_equal(listener_wait(&lb, 7, WAIT_MS), 7);
	t1 = sim_now_ns();
	check_seen(&lb, 6, ida, GRACEFUL, SCMI_SYSTEM_SHUTDOWN,
		   DEFAULT_TIMEOUT, t0, t1);
	sim_sleep_ms(QUIET_MS);
	assert_int_equal(listener_wait(&la, 8, 0), 7);
	assert_int_equal(notifications_received(a), 7);

	assert_int_equal(unreg(b, NULL, &lb), 0);
	sim_sleep_ms(SETTLE_MS);
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0,
				 "system request shutdown forceful"), 0);
	sim_sleep_ms(QUIET_MS);
	assert_int_equal(notifications_received(a), 7);
	assert_int_equal(notifications_received(b), 7);
	listener_fini(&la);
	listener_fini(&lb);
}

/* Registered before connect: pending, bound and enabled at connect. */
static void test_pending(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = agent_new(fx, 0);
	struct listener l;
	unsigned int seen;
	uint64_t t0, t1;

	listener_init(&l);
	assert_int_equal(reg(a, NULL, &l), 0);
	for (int round = 0; round < 2; round++) {
		assert_int_equal(scmi_agent_connect(a, fx->sim.sock), 0);
		/*
		 * The worker binds the pending handler and enables the event
		 * on its own time: ask until a request comes back.
		 */
		for (int i = 0; i < 200 && !listener_wait(&l, 1, 0); i++) {
			assert_int_equal(sim_ctl(&fx->sim, NULL, 0,
						 "system request cold-reset forceful"),
					 0);
			listener_wait(&l, 1, 20);
		}
		assert_true(listener_wait(&l, 1, WAIT_MS) >= 1);
		sim_sleep_ms(QUIET_MS);
		seen = listener_wait(&l, 0, 0);
		t0 = sim_now_ns();
		assert_int_equal(sim_ctl(&fx->sim, NULL, 0,
					 "system request shutdown graceful 42"),
				 0);
		assert_int_equal(listener_wait(&l, seen + 1, WAIT_MS), seen + 1);
		t1 = sim_now_ns();
		check_seen(&l, seen, 0, GRACEFUL, SCMI_SYSTEM_SHUTDOWN, 42, t0,
			   t1);
		/* back to pending: the platform is told to stop */
		scmi_agent_disconnect(a);
		pthread_mutex_lock(&l.mtx);
		l.count = 0;
		pthread_mutex_unlock(&l.mtx);
	}
	assert_int_equal(unreg(a, NULL, &l), 0);
	listener_fini(&l);
}

/* A platform without the notification, then with suspend. */
static void test_not_supported(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *old = agent_connected(fx, 0);
	struct scmi_system_power_info si;
	struct listener lo, l;
	const uint32_t src1 = 1;
	struct scmi_agent *a;
	uint64_t before;
	uint8_t tx[4];
	int ret;

	listener_init(&lo);
	listener_init(&l);
	/* one source only */
	assert_int_equal(reg(old, &src1, &lo), -EINVAL);
	assert_int_equal(scmi_event_notifier_register(scmi_agent_notify(old),
						      SCMI_PROTOCOL_SYSTEM, 1,
						      NULL, &lo.nb), -EINVAL);
	assert_int_equal(reg(old, NULL, &lo), 0);

	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "system support notify off"),
			 0);
	a = agent_connected(fx, 1);
	assert_int_equal(scmi_system_power_info(a, &si), 0);
	assert_false(si.notify);
	before = commands_sent(a);
	assert_int_equal(reg(a, NULL, &l), -EOPNOTSUPP);
	assert_int_equal(reg(a, (const uint32_t[]){ 0 }, &l), -EOPNOTSUPP);
	assert_int_equal(commands_sent(a), before);
	/* the platform says so too */
	scmi_put_le32(tx, 1);
	assert_int_equal(raw(a, SYSTEM_POWER_STATE_NOTIFY, tx, 4, NULL, 0,
			     NULL), -EOPNOTSUPP);
	msg_attributes(a, SYSTEM_POWER_STATE_NOTIFY, &ret);
	assert_int_equal(ret, -ENOENT);
	/* and the agent subscribed before hears nothing now */
	assert_int_equal(scmi_system_power_state_set(a, GRACEFUL,
						     SCMI_SYSTEM_SHUTDOWN), 0);
	sim_sleep_ms(QUIET_MS);
	assert_int_equal(listener_wait(&lo, 1, 0), 0);
	assert_int_equal(notifications_received(old), 0);

	/* suspend, once the platform has it */
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0,
				 "system support suspend on"), 0);
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0,
				 "system support warm-reset off"), 0);
	scmi_agent_disconnect(a);
	assert_int_equal(scmi_agent_connect(a, fx->sim.sock), 0);
	assert_int_equal(scmi_system_power_info(a, &si), 0);
	assert_false(si.notify);
	assert_true(si.suspend);
	assert_false(si.warm_reset);
	assert_int_equal(msg_attributes(a, SYSTEM_POWER_STATE_SET, &ret),
			 0x40000000u);
	assert_int_equal(scmi_system_power_state_set(a, FORCEFUL,
						     SCMI_SYSTEM_POWERUP), 0);
	assert_int_equal(scmi_system_power_state_set(a, GRACEFUL,
						     SCMI_SYSTEM_SUSPEND), 0);
	assert_int_equal(state_of(a), SCMI_SYSTEM_SUSPEND);
	assert_int_equal(scmi_system_power_state_set(a, FORCEFUL,
						     SCMI_SYSTEM_POWERUP), 0);
	assert_int_equal(state_of(a), SCMI_SYSTEM_POWERUP);
	assert_int_equal(scmi_system_power_state_set(a, FORCEFUL,
						     SCMI_SYSTEM_WARMRESET),
			 -EOPNOTSUPP);
	assert_int_equal(raw_set(a, FORCEFUL, SCMI_SYSTEM_WARMRESET),
			 -EOPNOTSUPP);

	/* notifications back on: the old subscription is heard again */
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "system support notify on"),
			 0);
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0,
				 "system request shutdown graceful 9"), 0);
	assert_int_equal(listener_wait(&lo, 1, WAIT_MS), 1);
	check_seen(&lo, 0, 0, GRACEFUL, SCMI_SYSTEM_SHUTDOWN, 9, 0,
		   sim_now_ns());
	assert_int_equal(unreg(old, NULL, &lo), 0);
	listener_fini(&lo);
	listener_fini(&l);
}

static void test_control(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = agent_connected(fx, 0);
	char reply[256];

	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "system request suspend graceful"), -EINVAL);
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "system request 5 graceful"), -ERANGE);
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "system request sleep graceful"), -EINVAL);
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "system request shutdown gently"), -EINVAL);
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "system request shutdown graceful -1"), -EINVAL);
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "system request shutdown"), -EINVAL);
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "system request shutdown graceful 1 2"),
			 -EINVAL);
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "system support teleport on"), -EINVAL);
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "system support notify maybe"), -EINVAL);
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "system reboot"), -EOPNOTSUPP);
	assert_int_equal(state_of(a), SCMI_SYSTEM_POWERUP);
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "system request SHUTDOWN forceful"), 0);
	assert_int_equal(state_of(a), SCMI_SYSTEM_SHUTDOWN);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_discovery),
		T(test_state_set_get),
		T(test_notifier),
		T(test_pending),
		T(test_not_supported),
		T(test_control),
	};
#undef T

	if (!sim_exe()) {
		fprintf(stderr, "no simulator: set SCMI_SIM\n");
		return 77; /* skipped */
	}
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
