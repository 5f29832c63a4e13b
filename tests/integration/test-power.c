/* SPDX-License-Identifier: MIT */
/*
 * The power domain protocol (0x11) end to end: the agent's driver and
 * public calls against the real simulator (scmi-sim) and its default
 * topology: discovery, every command and its errors, POWER_STATE_CHANGED
 * caused by agents (sync and async) and by the control socket, the
 * subscription life cycle, and notifiers registered before connect.
 *
 * Default topology (sim-platform/topology.c):
 *   0 cpu-cluster0           notify, async, on
 *   1 cpu-cluster1           notify, on
 *   2 gpu                    notify, off
 *   3 always-on-peripherals  no notifications, on (a name for NAME_GET)
 *
 * Each test starts its own simulator in its setup and kills it in its
 * teardown (which runs even when the test fails).
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
#include <scmi/power.h>
#include <scmi/protocols.h>
#include <scmi/wire.h>

#include "sim-harness.h"

#define TIMEOUT_MS 1000       /* generous: valgrind runs these too */
#define WAIT_MS 2000          /* bound of every wait for an event */
#define QUIET_MS 100          /* how long "nothing arrives" is watched */
#define NUM_AGENTS 3

#define ON SCMI_POWER_STATE_ON
#define OFF SCMI_POWER_STATE_OFF

/* wire ids, for raw commands */
#define POWER_DOMAIN_ATTRIBUTES 0x3
#define POWER_STATE_SET 0x4
#define POWER_STATE_GET 0x5
#define POWER_STATE_NOTIFY 0x6
#define POWER_STATE_CHANGE_REQUESTED_NOTIFY 0x7
#define POWER_DOMAIN_NAME_GET 0x8

static const struct {
	const char *name;
	bool notify, async;
	uint32_t attributes, state;
} topo[] = {
	{ "cpu-cluster0", true, true, 0xE0000000u, ON },
	{ "cpu-cluster1", true, false, 0xA0000000u, ON },
	{ "gpu", true, false, 0xA0000000u, OFF },
	{ "always-on-peripherals", false, false, 0x28000000u, ON },
};
#define NUM_DOMAINS 4

struct fx {
	struct sim sim;
	struct scmi_agent *agents[NUM_AGENTS];
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

	/* the platform first: agents then see a hang-up, never a stall */
	sim_stop(&fx->sim);
	for (size_t i = 0; i < NUM_AGENTS; i++)
		scmi_agent_destroy(fx->agents[i]);
	free(fx);
	return 0;
}

static struct scmi_agent *agent_new(struct fx *fx, size_t slot)
{
	struct scmi_agent_config cfg = { .timeout_ms = TIMEOUT_MS };

	assert_int_equal(scmi_agent_create(&fx->agents[slot], &cfg), 0);
	return fx->agents[slot];
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

/* A raw power command with @n words of payload; its errno. */
static int raw(struct scmi_agent *a, uint8_t msg_id, unsigned int n,
	       const uint32_t *words, void *rx, size_t rx_cap, size_t *rx_sz)
{
	uint8_t tx[16];

	assert_true(n <= 4);
	for (unsigned int i = 0; i < n; i++)
		scmi_put_le32(tx + 4 * i, words[i]);
	return scmi_agent_xfer(a, SCMI_PROTOCOL_POWER, msg_id, tx, 4 * n, rx,
			       rx_cap, rx_sz);
}

/* ---- a listener: records the reports it receives -------------------- */

#define MAX_SEEN 32

struct listener {
	struct scmi_notifier nb;
	pthread_mutex_t mtx;
	pthread_cond_t cond;
	unsigned int count;
	uint8_t last_evt;
	struct scmi_power_state_changed_report seen[MAX_SEEN];
};

static int on_power(struct scmi_notifier *nb, uint8_t evt_id,
		    const void *report)
{
	struct listener *l = (struct listener *)(void *)((char *)nb -
					  offsetof(struct listener, nb));

	pthread_mutex_lock(&l->mtx);
	if (l->count < MAX_SEEN)
		memcpy(&l->seen[l->count], report, sizeof(l->seen[0]));
	l->last_evt = evt_id;
	l->count++;
	pthread_cond_broadcast(&l->cond);
	pthread_mutex_unlock(&l->mtx);
	return SCMI_NOTIFY_OK;
}

static void listener_init(struct listener *l)
{
	memset(l, 0, sizeof(*l));
	l->nb.cb = on_power;
	pthread_mutex_init(&l->mtx, NULL);
	pthread_cond_init(&l->cond, NULL);
}

static void listener_fini(struct listener *l)
{
	pthread_mutex_destroy(&l->mtx);
	pthread_cond_destroy(&l->cond);
}

/* Wait until the listener has seen @n events or @ms passed; the count. */
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

/* Report number @i (0-based) has every field as expected. */
static void check_report(struct listener *l, unsigned int i,
			 uint32_t agent_id, uint32_t domain_id, uint32_t state,
			 uint64_t t0, uint64_t t1)
{
	struct scmi_power_state_changed_report r;

	pthread_mutex_lock(&l->mtx);
	assert_true(i < l->count && i < MAX_SEEN);
	r = l->seen[i];
	assert_int_equal(l->last_evt, SCMI_EVENT_POWER_STATE_CHANGED);
	pthread_mutex_unlock(&l->mtx);
	assert_int_equal(r.agent_id, agent_id);
	assert_int_equal(r.domain_id, domain_id);
	assert_int_equal(r.power_state, state);
	if (r.timestamp < t0 || r.timestamp > t1)
		fail_msg("timestamp %llu not in [%llu, %llu]",
			 (unsigned long long)r.timestamp,
			 (unsigned long long)t0, (unsigned long long)t1);
}

static int reg(struct scmi_agent *a, const uint32_t *src, struct listener *l)
{
	return scmi_event_notifier_register(scmi_agent_notify(a),
					    SCMI_PROTOCOL_POWER,
					    SCMI_EVENT_POWER_STATE_CHANGED,
					    src, &l->nb);
}

static int unreg(struct scmi_agent *a, const uint32_t *src,
		 struct listener *l)
{
	return scmi_event_notifier_unregister(scmi_agent_notify(a),
					      SCMI_PROTOCOL_POWER,
					      SCMI_EVENT_POWER_STATE_CHANGED,
					      src, &l->nb);
}

/* ---- discovery -------------------------------------------------------- */

static void test_discovery(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *idle = agent_new(fx, 1);
	struct scmi_agent *a = agent_connected(fx, 0);
	struct scmi_power_protocol_info pi;
	struct scmi_power_domain_info di;
	struct scmi_base_info bi;
	bool listed = false;

	assert_int_equal(scmi_agent_base_info(a, &bi), 0);
	for (uint32_t i = 0; i < bi.num_protocols; i++)
		listed |= bi.protocols[i] == SCMI_PROTOCOL_POWER;
	assert_true(listed);

	assert_int_equal(scmi_power_domain_count(a), NUM_DOMAINS);
	memset(&pi, 0xAA, sizeof(pi));
	assert_int_equal(scmi_power_protocol_info(a, &pi), 0);
	assert_int_equal(pi.version, 0x30000);
	assert_int_equal(pi.num_domains, NUM_DOMAINS);
	assert_true(pi.stats_addr == 0);
	assert_int_equal(pi.stats_len, 0);

	for (uint32_t d = 0; d < NUM_DOMAINS; d++) {
		memset(&di, 0xAA, sizeof(di));
		assert_int_equal(scmi_power_domain_info(a, d, &di), 0);
		assert_string_equal(di.name, topo[d].name);
		assert_int_equal(di.notify, topo[d].notify);
		assert_int_equal(di.async, topo[d].async);
		assert_true(di.sync);
		assert_int_equal(di.extended_name, strlen(topo[d].name) > 15);
		assert_int_equal(di.attributes, topo[d].attributes);
		assert_int_equal(di.state, topo[d].state);
	}

	/* bad arguments: nothing sent */
	{
		uint64_t before = commands_sent(a);
		uint32_t st;

		assert_int_equal(scmi_power_domain_info(a, NUM_DOMAINS, &di),
				 -EINVAL);
		assert_int_equal(scmi_power_domain_info(a, 0xFFFFFFFFu, &di),
				 -EINVAL);
		assert_int_equal(scmi_power_domain_info(a, 0, NULL), -EINVAL);
		assert_int_equal(scmi_power_domain_info(NULL, 0, &di), -EINVAL);
		assert_int_equal(scmi_power_protocol_info(a, NULL), -EINVAL);
		assert_int_equal(scmi_power_protocol_info(NULL, &pi), -EINVAL);
		assert_int_equal(scmi_power_domain_count(NULL), -EINVAL);
		assert_int_equal(scmi_power_state_get(a, NUM_DOMAINS, &st),
				 -EINVAL);
		assert_int_equal(scmi_power_state_get(a, 0, NULL), -EINVAL);
		assert_int_equal(scmi_power_state_set(a, NUM_DOMAINS, ON),
				 -EINVAL);
		assert_int_equal(scmi_power_state_set(NULL, 0, ON), -EINVAL);
		assert_true(commands_sent(a) == before);
	}

	/* an agent that is not connected */
	assert_int_equal(scmi_power_domain_count(idle), -ENOTCONN);
	assert_int_equal(scmi_power_protocol_info(idle, &pi), -ENOTCONN);
	assert_int_equal(scmi_power_domain_info(idle, 0, &di), -ENOTCONN);
	assert_int_equal(scmi_power_state_set(idle, 0, ON), -ENOTCONN);
	scmi_agent_disconnect(a);
	assert_int_equal(scmi_power_domain_count(a), -ENOTCONN);
	assert_int_equal(scmi_power_state_get(a, 0, &pi.stats_len), -ENOTCONN);
	/* and again, after a reconnect */
	assert_int_equal(scmi_agent_connect(a, fx->sim.sock), 0);
	assert_int_equal(scmi_power_domain_count(a), NUM_DOMAINS);
	assert_int_equal(scmi_power_domain_info(a, 3, &di), 0);
	assert_string_equal(di.name, "always-on-peripherals");
}

/* The simulator's answers on the wire, raw. */
static void test_raw_discovery(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = agent_connected(fx, 0);
	uint8_t rx[128];
	uint32_t w[3] = { 0 };
	size_t n;

	/* PROTOCOL_VERSION, PROTOCOL_ATTRIBUTES: full size */
	assert_int_equal(raw(a, SCMI_PROTOCOL_VERSION, 0, NULL, rx, sizeof(rx),
			     &n), 0);
	assert_int_equal(n, 4);
	assert_int_equal(scmi_get_le32(rx), 0x30000);
	assert_int_equal(raw(a, SCMI_PROTOCOL_ATTRIBUTES, 0, NULL, rx,
			     sizeof(rx), &n), 0);
	assert_int_equal(n, 16);
	assert_int_equal(scmi_get_le32(rx), NUM_DOMAINS);
	assert_int_equal(scmi_get_le32(rx + 4), 0);
	assert_int_equal(scmi_get_le32(rx + 8), 0);
	assert_int_equal(scmi_get_le32(rx + 12), 0);

	/* PROTOCOL_MESSAGE_ATTRIBUTES: 0 for each implemented message */
	for (uint32_t id = 0; id <= 0x8; id++) {
		int want = id == POWER_STATE_CHANGE_REQUESTED_NOTIFY ? -ENOENT : 0;

		w[0] = id;
		n = 0;
		assert_int_equal(raw(a, SCMI_PROTOCOL_MESSAGE_ATTRIBUTES, 1, w,
				     rx, sizeof(rx), &n), want);
		if (!want) {
			assert_int_equal(n, 4);
			assert_int_equal(scmi_get_le32(rx), 0);
		}
	}
	w[0] = 0x55;
	assert_int_equal(raw(a, SCMI_PROTOCOL_MESSAGE_ATTRIBUTES, 1, w, rx,
			     sizeof(rx), &n), -ENOENT);

	/* unknown messages: NOT_SUPPORTED */
	assert_int_equal(raw(a, POWER_STATE_CHANGE_REQUESTED_NOTIFY, 2, w,
			     NULL, 0, NULL), -EOPNOTSUPP);
	assert_int_equal(raw(a, 0x55, 0, NULL, NULL, 0, NULL), -EOPNOTSUPP);

	/* wrong payload sizes: PROTOCOL_ERROR */
	w[0] = 0;
	w[1] = 0;
	w[2] = 0;
	assert_int_equal(raw(a, SCMI_PROTOCOL_VERSION, 1, w, NULL, 0, NULL),
			 -EPROTO);
	assert_int_equal(raw(a, SCMI_PROTOCOL_MESSAGE_ATTRIBUTES, 0, NULL,
			     NULL, 0, NULL), -EPROTO);
	assert_int_equal(raw(a, POWER_DOMAIN_ATTRIBUTES, 2, w, NULL, 0, NULL),
			 -EPROTO);
	assert_int_equal(raw(a, POWER_STATE_SET, 2, w, NULL, 0, NULL), -EPROTO);
	assert_int_equal(raw(a, POWER_STATE_GET, 0, NULL, NULL, 0, NULL),
			 -EPROTO);
	assert_int_equal(raw(a, POWER_STATE_NOTIFY, 1, w, NULL, 0, NULL),
			 -EPROTO);
	assert_int_equal(raw(a, POWER_DOMAIN_NAME_GET, 2, w, NULL, 0, NULL),
			 -EPROTO);

	/* POWER_DOMAIN_ATTRIBUTES: 20 bytes; the long name cut to 15 */
	w[0] = 3;
	assert_int_equal(raw(a, POWER_DOMAIN_ATTRIBUTES, 1, w, rx, sizeof(rx),
			     &n), 0);
	assert_int_equal(n, 20);
	assert_int_equal(scmi_get_le32(rx), 0x28000000u);
	assert_memory_equal(rx + 4, "always-on-perip", 16);
	w[0] = 0;
	assert_int_equal(raw(a, POWER_DOMAIN_ATTRIBUTES, 1, w, rx, sizeof(rx),
			     &n), 0);
	assert_int_equal(n, 20);
	assert_int_equal(scmi_get_le32(rx), 0xE0000000u);
	assert_string_equal((char *)rx + 4, "cpu-cluster0");
	for (size_t i = 4 + strlen("cpu-cluster0"); i < 20; i++)
		assert_int_equal(rx[i], 0);
	w[0] = NUM_DOMAINS;
	assert_int_equal(raw(a, POWER_DOMAIN_ATTRIBUTES, 1, w, rx, sizeof(rx),
			     &n), -ENOENT);

	/* POWER_DOMAIN_NAME_GET: 68 bytes, any domain */
	for (uint32_t d = 0; d < NUM_DOMAINS; d++) {
		w[0] = d;
		assert_int_equal(raw(a, POWER_DOMAIN_NAME_GET, 1, w, rx,
				     sizeof(rx), &n), 0);
		assert_int_equal(n, 68);
		assert_int_equal(scmi_get_le32(rx), 0);
		assert_string_equal((char *)rx + 4, topo[d].name);
	}
	w[0] = NUM_DOMAINS;
	assert_int_equal(raw(a, POWER_DOMAIN_NAME_GET, 1, w, rx, sizeof(rx),
			     &n), -ENOENT);
}

/* ---- commands ---------------------------------------------------------- */

/* Poll POWER_STATE_GET until @domain is in @want (bounded). */
static void wait_state(struct scmi_agent *a, uint32_t domain, uint32_t want)
{
	uint64_t deadline = sim_now_ns() + WAIT_MS * 1000000ull;
	uint32_t st = ~want;

	while (sim_now_ns() < deadline) {
		assert_int_equal(scmi_power_state_get(a, domain, &st), 0);
		if (st == want)
			return;
		sim_sleep_ms(2);
	}
	fail_msg("domain %u: state 0x%08x, expected 0x%08x", domain, st, want);
}

static void test_state_get_set(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = agent_connected(fx, 0);
	struct scmi_agent *b = agent_connected(fx, 1);
	uint64_t before;
	uint32_t st, w[3];
	uint8_t rx[8];
	size_t n;

	for (uint32_t d = 0; d < NUM_DOMAINS; d++) {
		assert_int_equal(scmi_power_state_get(a, d, &st), 0);
		assert_int_equal(st, topo[d].state);
	}

	/* synchronous: done on return, and seen by every agent */
	assert_int_equal(scmi_power_state_set(a, 2, ON), 0);
	assert_int_equal(scmi_power_state_get(a, 2, &st), 0);
	assert_int_equal(st, ON);
	assert_int_equal(scmi_power_state_get(b, 2, &st), 0);
	assert_int_equal(st, ON);
	assert_int_equal(scmi_power_state_set(b, 2, OFF), 0);
	assert_int_equal(scmi_power_state_get(a, 2, &st), 0);
	assert_int_equal(st, OFF);
	/* the same state again is fine */
	assert_int_equal(scmi_power_state_set(b, 2, OFF), 0);
	/* a domain with no notifications works all the same */
	assert_int_equal(scmi_power_state_set(a, 3, OFF), 0);
	assert_int_equal(scmi_power_state_get(a, 3, &st), 0);
	assert_int_equal(st, OFF);

	/* asynchronous: accepted, done right after the response */
	assert_int_equal(scmi_power_state_set_async(a, 0, OFF), 0);
	wait_state(a, 0, OFF);
	assert_int_equal(scmi_power_state_set_async(a, 0, ON), 0);
	wait_state(a, 0, ON);

	/* refused here, nothing sent */
	before = commands_sent(a);
	assert_int_equal(scmi_power_state_set_async(a, 1, OFF), -EOPNOTSUPP);
	assert_int_equal(scmi_power_state_set(a, 1, 0x80000000u), -EINVAL);
	assert_int_equal(scmi_power_state_set(a, 1, 0x10000000u), -EINVAL);
	assert_int_equal(scmi_power_state_set_async(a, 9, OFF), -EINVAL);
	assert_true(commands_sent(a) == before);

	/* refused by the platform: a state it does not have */
	assert_int_equal(scmi_power_state_set(a, 1, 0x40000001u), -EINVAL);
	assert_int_equal(scmi_power_state_set(a, 1, 0x00000005u), -EINVAL);
	assert_int_equal(scmi_power_state_get(a, 1, &st), 0);
	assert_int_equal(st, ON);

	/* raw: what the platform says to what this library never sends */
	w[0] = 0x2; /* a reserved flag */
	w[1] = 1;
	w[2] = OFF;
	assert_int_equal(raw(a, POWER_STATE_SET, 3, w, NULL, 0, NULL), -EINVAL);
	w[0] = 0x1; /* async on a domain without it */
	assert_int_equal(raw(a, POWER_STATE_SET, 3, w, NULL, 0, NULL),
			 -EOPNOTSUPP);
	w[0] = 0;
	w[1] = NUM_DOMAINS;
	assert_int_equal(raw(a, POWER_STATE_SET, 3, w, NULL, 0, NULL), -ENOENT);
	w[1] = 1;
	w[2] = 0x80000000u;
	assert_int_equal(raw(a, POWER_STATE_SET, 3, w, NULL, 0, NULL), -EINVAL);
	w[0] = NUM_DOMAINS;
	assert_int_equal(raw(a, POWER_STATE_GET, 1, w, rx, sizeof(rx), &n),
			 -ENOENT);
	w[0] = 1;
	assert_int_equal(raw(a, POWER_STATE_GET, 1, w, rx, sizeof(rx), &n), 0);
	assert_int_equal(n, 4);
	assert_int_equal(scmi_get_le32(rx), ON);
	/* POWER_STATE_NOTIFY: bad domain, reserved bit, no notifications */
	w[0] = NUM_DOMAINS;
	w[1] = 1;
	assert_int_equal(raw(a, POWER_STATE_NOTIFY, 2, w, NULL, 0, NULL),
			 -ENOENT);
	w[0] = 1;
	w[1] = 3;
	assert_int_equal(raw(a, POWER_STATE_NOTIFY, 2, w, NULL, 0, NULL),
			 -EINVAL);
	w[0] = 3;
	w[1] = 1;
	assert_int_equal(raw(a, POWER_STATE_NOTIFY, 2, w, NULL, 0, NULL),
			 -EOPNOTSUPP);
	w[1] = 0;
	assert_int_equal(raw(a, POWER_STATE_NOTIFY, 2, w, NULL, 0, NULL),
			 -EOPNOTSUPP);
}

/* ---- events ------------------------------------------------------------ */

/* Changes by agents: each one's id, each domain, sync and async. */
static void test_event_from_agents(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = agent_connected(fx, 0);
	struct scmi_agent *b = agent_connected(fx, 1);
	struct scmi_agent *c = agent_connected(fx, 2);
	struct listener l, lb;
	const uint32_t d1 = 1, d0 = 0, d2 = 2;
	uint64_t t0, t1;

	listener_init(&l);
	listener_init(&lb);
	assert_int_equal(reg(a, &d1, &l), 0);
	assert_int_equal(reg(b, &d2, &lb), 0); /* b: another domain only */

	/* b changes domain 1: a hears it, with b's id */
	t0 = sim_now_ns();
	assert_int_equal(scmi_power_state_set(b, 1, OFF), 0);
	assert_int_equal(listener_wait(&l, 1, WAIT_MS), 1);
	t1 = sim_now_ns();
	check_report(&l, 0, scmi_agent_id(b), 1, OFF, t0, t1);

	/* a changes it back: a hears its own change */
	t0 = sim_now_ns();
	assert_int_equal(scmi_power_state_set(a, 1, ON), 0);
	assert_int_equal(listener_wait(&l, 2, WAIT_MS), 2);
	check_report(&l, 1, scmi_agent_id(a), 1, ON, t0, sim_now_ns());

	/* setting the state it has is no change: no event */
	assert_int_equal(scmi_power_state_set(c, 1, ON), 0);
	/* a change of another domain is not domain 1's */
	assert_int_equal(scmi_power_state_set(c, 0, OFF), 0);
	sim_sleep_ms(QUIET_MS);
	assert_int_equal(listener_wait(&l, 3, 0), 2);

	/* an asynchronous change, on a second subscription of a */
	{
		struct listener l0;

		listener_init(&l0);
		assert_int_equal(reg(a, &d0, &l0), 0);
		t0 = sim_now_ns();
		assert_int_equal(scmi_power_state_set_async(c, 0, ON), 0);
		assert_int_equal(listener_wait(&l0, 1, WAIT_MS), 1);
		check_report(&l0, 0, scmi_agent_id(c), 0, ON, t0, sim_now_ns());
		assert_int_equal(unreg(a, &d0, &l0), 0);
		listener_fini(&l0);
	}

	/* b heard nothing of domain 1 or 0; c subscribed to nothing */
	assert_int_equal(listener_wait(&lb, 1, 0), 0);
	assert_true(notifications_received(b) == 0);
	assert_true(notifications_received(c) == 0);
	assert_int_equal(listener_wait(&l, 3, 0), 2);

	assert_int_equal(unreg(a, &d1, &l), 0);
	assert_int_equal(unreg(b, &d2, &lb), 0);
	listener_fini(&l);
	listener_fini(&lb);
}

/* Changes by the platform (control socket): agent_id 0. */
static void test_event_from_control(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = agent_connected(fx, 0);
	struct listener l;
	const uint32_t d2 = 2;
	char reply[128];
	uint64_t t0;
	uint32_t st;

	listener_init(&l);
	assert_int_equal(reg(a, &d2, &l), 0);

	t0 = sim_now_ns();
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "power set 2 %u", ON), 0);
	assert_int_equal(listener_wait(&l, 1, WAIT_MS), 1);
	check_report(&l, 0, 0, 2, ON, t0, sim_now_ns());
	assert_int_equal(scmi_power_state_get(a, 2, &st), 0);
	assert_int_equal(st, ON);
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "power get 2"), 0);
	assert_string_equal(reply, "ok 0x00000000");

	t0 = sim_now_ns();
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "power set 2 0x40000000"),
			 0);
	assert_int_equal(listener_wait(&l, 2, WAIT_MS), 2);
	check_report(&l, 1, 0, 2, OFF, t0, sim_now_ns());
	/* no change, no event */
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "power set 2 0x40000000"),
			 0);

	/* control errors */
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "power set 4 0"), -ENOENT);
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "power set x 0"), -EINVAL);
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "power set 2 -1"), -EINVAL);
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "power set 2 on"), -EINVAL);
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "power set 2 0x100000000"),
			 -EINVAL);
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "power set 2 5"), -ERANGE);
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "power set 2"), -EINVAL);
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "power set 2 0 0"),
			 -EINVAL);
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "power get"), -EINVAL);
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "power get 9"), -ENOENT);
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "power frob 2"),
			 -EOPNOTSUPP);
	sim_sleep_ms(QUIET_MS);
	assert_int_equal(listener_wait(&l, 3, 0), 2);

	assert_int_equal(unreg(a, &d2, &l), 0);
	listener_fini(&l);
}

/* Unsubscribed: the platform is told, and sends no more. */
static void test_unsubscribe(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = agent_connected(fx, 0);
	struct listener l;
	const uint32_t d1 = 1;
	uint64_t got;

	listener_init(&l);
	assert_int_equal(reg(a, &d1, &l), 0);
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "power set 1 %u", OFF), 0);
	assert_int_equal(listener_wait(&l, 1, WAIT_MS), 1);
	assert_int_equal(unreg(a, &d1, &l), 0);
	assert_int_equal(unreg(a, &d1, &l), -ENOENT);
	/* the disable may leave from the dispatcher a moment later */
	sim_sleep_ms(QUIET_MS);
	got = notifications_received(a);
	assert_true(got == 1);

	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "power set 1 %u", ON), 0);
	assert_int_equal(scmi_power_state_set(a, 1, OFF), 0);
	sim_sleep_ms(QUIET_MS);
	assert_int_equal(listener_wait(&l, 2, 0), 1);
	/* not even sent: the platform saw the disable */
	assert_true(notifications_received(a) == got);

	/* subscribed again: on again */
	assert_int_equal(reg(a, &d1, &l), 0);
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "power set 1 %u", ON), 0);
	assert_int_equal(listener_wait(&l, 2, WAIT_MS), 2);
	check_report(&l, 1, 0, 1, ON, 0, sim_now_ns());
	assert_int_equal(unreg(a, &d1, &l), 0);
	listener_fini(&l);
}

/* Of two agents, only the one subscribed is sent the event. */
static void test_two_agents_one_subscribed(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = agent_connected(fx, 0);
	struct scmi_agent *b = agent_connected(fx, 1);
	struct listener l;
	const uint32_t d0 = 0;

	listener_init(&l);
	assert_int_equal(reg(b, &d0, &l), 0);
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "power set 0 %u", OFF), 0);
	assert_int_equal(listener_wait(&l, 1, WAIT_MS), 1);
	check_report(&l, 0, 0, 0, OFF, 0, sim_now_ns());
	assert_int_equal(scmi_power_state_set(a, 0, ON), 0);
	assert_int_equal(listener_wait(&l, 2, WAIT_MS), 2);
	check_report(&l, 1, scmi_agent_id(a), 0, ON, 0, sim_now_ns());
	sim_sleep_ms(QUIET_MS);
	assert_true(notifications_received(a) == 0);
	assert_true(notifications_received(b) == 2);
	assert_int_equal(unreg(b, &d0, &l), 0);
	listener_fini(&l);
}

/* Every source at once: the domains that can notify, and no other. */
static void test_all_sources(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = agent_connected(fx, 0);
	struct listener l;

	listener_init(&l);
	assert_int_equal(reg(a, NULL, &l), 0);
	/* domain 3 cannot notify: its change is not sent */
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "power set 3 %u", OFF), 0);
	for (uint32_t d = 0; d < 3; d++) {
		uint32_t to = topo[d].state == ON ? OFF : ON;

		assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "power set %u %u",
					 d, to), 0);
		assert_int_equal(listener_wait(&l, d + 1, WAIT_MS), d + 1);
		check_report(&l, d, 0, d, to, 0, sim_now_ns());
	}
	sim_sleep_ms(QUIET_MS);
	assert_int_equal(listener_wait(&l, 4, 0), 3);
	assert_true(notifications_received(a) == 3);
	assert_int_equal(unreg(a, NULL, &l), 0);
	listener_fini(&l);
}

/* A domain that cannot notify, a domain that does not exist. */
static void test_register_refused(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = agent_connected(fx, 0);
	struct listener l;
	const uint32_t d3 = 3, d4 = NUM_DOMAINS, d1 = 1;
	struct scmi_notify *ni = scmi_agent_notify(a);
	uint64_t before = commands_sent(a);

	listener_init(&l);
	assert_int_equal(reg(a, &d3, &l), -EOPNOTSUPP);
	assert_int_equal(reg(a, &d4, &l), -EINVAL);
	assert_int_equal(scmi_event_notifier_register(ni, SCMI_PROTOCOL_POWER,
						      1, &d1, &l.nb), -EINVAL);
	assert_true(commands_sent(a) == before);
	/* nothing was left behind: the notifier is free for a good one */
	assert_int_equal(unreg(a, &d3, &l), -ENOENT);
	assert_int_equal(reg(a, &d1, &l), 0);
	assert_true(commands_sent(a) == before + 1);
	assert_int_equal(unreg(a, &d1, &l), 0);
	listener_fini(&l);
}

/* Registered before connect: pending, bound and enabled at connect. */
static void test_registered_before_connect(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = agent_new(fx, 0);
	struct listener l;
	const uint32_t d2 = 2;
	uint32_t to = ON;
	unsigned int seen;
	uint64_t t0;

	listener_init(&l);
	assert_int_equal(reg(a, &d2, &l), 0);
	assert_int_equal(scmi_agent_connect(a, fx->sim.sock), 0);
	/*
	 * The worker binds the pending handler and enables the event on
	 * its own time: change the state until one event comes back.
	 */
	for (int i = 0; i < 200 && !listener_wait(&l, 1, 0); i++) {
		assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "power set 2 %u",
					 to), 0);
		to = to == ON ? OFF : ON;
		listener_wait(&l, 1, 10);
	}
	seen = listener_wait(&l, 1, WAIT_MS);
	assert_true(seen >= 1);
	sim_sleep_ms(QUIET_MS);
	seen = listener_wait(&l, 1, 0);
	t0 = sim_now_ns();
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "power set 2 %u", to), 0);
	assert_int_equal(listener_wait(&l, seen + 1, WAIT_MS), seen + 1);
	check_report(&l, seen, 0, 2, to, t0, sim_now_ns());
	assert_int_equal(unreg(a, &d2, &l), 0);
	listener_fini(&l);
}

/* The report filler refuses a payload of the wrong size or domain. */
static void test_bad_payloads_refused(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = agent_connected(fx, 0);
	struct scmi_notify *ni = scmi_agent_notify(a);
	struct scmi_notify_stats ns;
	struct listener l;
	uint8_t p[16] = { 0 };

	listener_init(&l);
	assert_int_equal(reg(a, NULL, &l), 0);
	/*
	 * Fed straight to the core (no power event is on the wire: the
	 * simulator changes nothing while this runs, so the rx thread
	 * stays the only producer in practice).
	 */
	scmi_put_le32(p + 4, 1);
	/* too large for the event: refused at the door */
	assert_int_equal(scmi_notify(ni, SCMI_PROTOCOL_POWER, 0, p, 16, 1),
			 -EINVAL);
	/* too small, and an unknown domain: refused by the filler */
	assert_int_equal(scmi_notify(ni, SCMI_PROTOCOL_POWER, 0, p, 8, 1), 0);
	scmi_put_le32(p + 4, NUM_DOMAINS);
	assert_int_equal(scmi_notify(ni, SCMI_PROTOCOL_POWER, 0, p, 12, 1), 0);
	/* a good one still flows */
	scmi_put_le32(p, 7);
	scmi_put_le32(p + 4, 2);
	scmi_put_le32(p + 8, OFF);
	assert_int_equal(scmi_notify(ni, SCMI_PROTOCOL_POWER, 0, p, 12, 42), 0);
	assert_int_equal(listener_wait(&l, 1, WAIT_MS), 1);
	check_report(&l, 0, 7, 2, OFF, 42, 42);
	sim_sleep_ms(QUIET_MS);
	assert_int_equal(listener_wait(&l, 2, 0), 1);
	assert_int_equal(scmi_notify_get_stats(ni, SCMI_PROTOCOL_POWER, &ns), 0);
	assert_true(ns.dropped_report == 2);
	assert_true(ns.dropped_invalid == 1);
	assert_true(ns.delivered == 1);
	assert_int_equal(unreg(a, NULL, &l), 0);
	listener_fini(&l);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_discovery),
		T(test_raw_discovery),
		T(test_state_get_set),
		T(test_event_from_agents),
		T(test_event_from_control),
		T(test_unsubscribe),
		T(test_two_agents_one_subscribed),
		T(test_all_sources),
		T(test_register_refused),
		T(test_registered_before_connect),
		T(test_bad_payloads_refused),
	};
#undef T

	if (!sim_exe()) {
		fprintf(stderr, "no simulator: set SCMI_SIM\n");
		return 77; /* skipped */
	}
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
