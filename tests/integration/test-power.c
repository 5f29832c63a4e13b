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
#include <string.h>

#include <scmi/power.h>
#include <scmi/wire.h>

#include "fixture.h"

#define WAIT_MS 2000          /* bound of every wait for an event */
#define QUIET_MS 100          /* how long "nothing arrives" is watched */

#define ON SCMI_POWER_STATE_ON
#define OFF SCMI_POWER_STATE_OFF
#define EVT SCMI_EVENT_POWER_STATE_CHANGED

/* wire ids, for raw commands */
#define POWER_DOMAIN_ATTRIBUTES 0x3
#define POWER_STATE_SET 0x4
#define POWER_STATE_GET 0x5
#define POWER_STATE_NOTIFY 0x6
#define POWER_STATE_CHANGE_REQUESTED_NOTIFY 0x7
#define POWER_DOMAIN_NAME_GET 0x8

/* A raw power command: (a, msg_id, words, n, rx, rx_cap, rx_sz); its errno. */
#define raw(a, ...) fx_raw(a, SCMI_PROTOCOL_POWER, __VA_ARGS__)

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

/* Report number @i (0-based) has every field as expected. */
static void check_report(struct fx_recorder *l, unsigned int i,
			 uint32_t agent_id, uint32_t domain_id, uint32_t state,
			 uint64_t t0, uint64_t t1)
{
	struct fx_event e = fx_rec_get(l, i);

	assert_int_equal(e.evt_id, EVT);
	assert_int_equal(e.r.power.agent_id, agent_id);
	assert_int_equal(e.r.power.domain_id, domain_id);
	assert_int_equal(e.r.power.power_state, state);
	fx_assert_time(e.r.power.timestamp, t0, t1);
}

/* ---- discovery -------------------------------------------------------- */

static void test_discovery(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *idle = fx_agent_new(fx, 1);
	struct scmi_agent *a = fx_agent_connected(fx, 0);
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
	assert_int_equal(scmi_power_protocol_info_get(a, &pi), 0);
	assert_int_equal(pi.version, 0x30000);
	assert_int_equal(pi.num_domains, NUM_DOMAINS);
	assert_true(pi.stats_addr == 0);
	assert_int_equal(pi.stats_len, 0);

	for (uint32_t d = 0; d < NUM_DOMAINS; d++) {
		memset(&di, 0xAA, sizeof(di));
		assert_int_equal(scmi_power_domain_info_get(a, d, &di), 0);
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
		uint64_t before = fx_commands(a);
		uint32_t st;

		assert_int_equal(scmi_power_domain_info_get(a, NUM_DOMAINS, &di),
				 -EINVAL);
		assert_int_equal(scmi_power_domain_info_get(a, 0xFFFFFFFFu, &di),
				 -EINVAL);
		assert_int_equal(scmi_power_domain_info_get(a, 0, NULL), -EINVAL);
		assert_int_equal(scmi_power_domain_info_get(NULL, 0, &di), -EINVAL);
		assert_int_equal(scmi_power_protocol_info_get(a, NULL), -EINVAL);
		assert_int_equal(scmi_power_protocol_info_get(NULL, &pi), -EINVAL);
		assert_int_equal(scmi_power_domain_count(NULL), -EINVAL);
		assert_int_equal(scmi_power_state_get(a, NUM_DOMAINS, &st),
				 -EINVAL);
		assert_int_equal(scmi_power_state_get(a, 0, NULL), -EINVAL);
		assert_int_equal(scmi_power_state_set(a, NUM_DOMAINS, ON),
				 -EINVAL);
		assert_int_equal(scmi_power_state_set(NULL, 0, ON), -EINVAL);
		assert_true(fx_commands(a) == before);
	}

	/* an agent that is not connected */
	assert_int_equal(scmi_power_domain_count(idle), -ENOTCONN);
	assert_int_equal(scmi_power_protocol_info_get(idle, &pi), -ENOTCONN);
	assert_int_equal(scmi_power_domain_info_get(idle, 0, &di), -ENOTCONN);
	assert_int_equal(scmi_power_state_set(idle, 0, ON), -ENOTCONN);
	scmi_agent_disconnect(a);
	assert_int_equal(scmi_power_domain_count(a), -ENOTCONN);
	assert_int_equal(scmi_power_state_get(a, 0, &pi.stats_len), -ENOTCONN);
	/* and again, after a reconnect */
	assert_int_equal(scmi_agent_connect(a, fx->sim.sock), 0);
	assert_int_equal(scmi_power_domain_count(a), NUM_DOMAINS);
	assert_int_equal(scmi_power_domain_info_get(a, 3, &di), 0);
	assert_string_equal(di.name, "always-on-peripherals");
}

/* The simulator's answers on the wire, raw. */
static void test_raw_discovery(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	uint8_t rx[128];
	uint32_t w[3] = { 0 };
	size_t n;

	/* PROTOCOL_VERSION, PROTOCOL_ATTRIBUTES: full size */
	assert_int_equal(raw(a, SCMI_PROTOCOL_VERSION, NULL, 0, rx, sizeof(rx),
			     &n), 0);
	assert_int_equal(n, 4);
	assert_int_equal(scmi_get_le32(rx), 0x30000);
	assert_int_equal(raw(a, SCMI_PROTOCOL_ATTRIBUTES, NULL, 0, rx,
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
		assert_int_equal(raw(a, SCMI_PROTOCOL_MESSAGE_ATTRIBUTES, w, 1,
				     rx, sizeof(rx), &n), want);
		if (!want) {
			assert_int_equal(n, 4);
			assert_int_equal(scmi_get_le32(rx), 0);
		}
	}
	w[0] = 0x55;
	assert_int_equal(raw(a, SCMI_PROTOCOL_MESSAGE_ATTRIBUTES, w, 1, rx,
			     sizeof(rx), &n), -ENOENT);

	/* defined, not implemented: NOT_SUPPORTED; not defined: NOT_FOUND */
	assert_int_equal(raw(a, POWER_STATE_CHANGE_REQUESTED_NOTIFY, w, 2,
			     NULL, 0, NULL), -EOPNOTSUPP);
	assert_int_equal(raw(a, 0x55, NULL, 0, NULL, 0, NULL), -ENOENT);

	/* wrong payload sizes: PROTOCOL_ERROR */
	w[0] = 0;
	w[1] = 0;
	w[2] = 0;
	assert_int_equal(raw(a, SCMI_PROTOCOL_VERSION, w, 1, NULL, 0, NULL),
			 -EPROTO);
	assert_int_equal(raw(a, SCMI_PROTOCOL_MESSAGE_ATTRIBUTES, NULL, 0,
			     NULL, 0, NULL), -EPROTO);
	assert_int_equal(raw(a, POWER_DOMAIN_ATTRIBUTES, w, 2, NULL, 0, NULL),
			 -EPROTO);
	assert_int_equal(raw(a, POWER_STATE_SET, w, 2, NULL, 0, NULL), -EPROTO);
	assert_int_equal(raw(a, POWER_STATE_GET, NULL, 0, NULL, 0, NULL),
			 -EPROTO);
	assert_int_equal(raw(a, POWER_STATE_NOTIFY, w, 1, NULL, 0, NULL),
			 -EPROTO);
	assert_int_equal(raw(a, POWER_DOMAIN_NAME_GET, w, 2, NULL, 0, NULL),
			 -EPROTO);

	/* POWER_DOMAIN_ATTRIBUTES: 20 bytes; the long name cut to 15 */
	w[0] = 3;
	assert_int_equal(raw(a, POWER_DOMAIN_ATTRIBUTES, w, 1, rx, sizeof(rx),
			     &n), 0);
	assert_int_equal(n, 20);
	assert_int_equal(scmi_get_le32(rx), 0x28000000u);
	assert_memory_equal(rx + 4, "always-on-perip", 16);
	w[0] = 0;
	assert_int_equal(raw(a, POWER_DOMAIN_ATTRIBUTES, w, 1, rx, sizeof(rx),
			     &n), 0);
	assert_int_equal(n, 20);
	assert_int_equal(scmi_get_le32(rx), 0xE0000000u);
	assert_string_equal((char *)rx + 4, "cpu-cluster0");
	for (size_t i = 4 + strlen("cpu-cluster0"); i < 20; i++)
		assert_int_equal(rx[i], 0);
	w[0] = NUM_DOMAINS;
	assert_int_equal(raw(a, POWER_DOMAIN_ATTRIBUTES, w, 1, rx, sizeof(rx),
			     &n), -ENOENT);

	/* POWER_DOMAIN_NAME_GET: 68 bytes, any domain */
	for (uint32_t d = 0; d < NUM_DOMAINS; d++) {
		w[0] = d;
		assert_int_equal(raw(a, POWER_DOMAIN_NAME_GET, w, 1, rx,
				     sizeof(rx), &n), 0);
		assert_int_equal(n, 68);
		assert_int_equal(scmi_get_le32(rx), 0);
		assert_string_equal((char *)rx + 4, topo[d].name);
	}
	w[0] = NUM_DOMAINS;
	assert_int_equal(raw(a, POWER_DOMAIN_NAME_GET, w, 1, rx, sizeof(rx),
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
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	struct scmi_agent *b = fx_agent_connected(fx, 1);
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
	before = fx_commands(a);
	assert_int_equal(scmi_power_state_set_async(a, 1, OFF), -EOPNOTSUPP);
	assert_int_equal(scmi_power_state_set(a, 1, 0x80000000u), -EINVAL);
	assert_int_equal(scmi_power_state_set(a, 1, 0x10000000u), -EINVAL);
	assert_int_equal(scmi_power_state_set_async(a, 9, OFF), -EINVAL);
	assert_true(fx_commands(a) == before);

	/* refused by the platform: a state it does not have */
	assert_int_equal(scmi_power_state_set(a, 1, 0x40000001u), -EINVAL);
	assert_int_equal(scmi_power_state_set(a, 1, 0x00000005u), -EINVAL);
	assert_int_equal(scmi_power_state_get(a, 1, &st), 0);
	assert_int_equal(st, ON);

	/* raw: what the platform says to what this library never sends */
	w[0] = 0x2; /* a reserved flag */
	w[1] = 1;
	w[2] = OFF;
	assert_int_equal(raw(a, POWER_STATE_SET, w, 3, NULL, 0, NULL), -EINVAL);
	w[0] = 0x1; /* async on a domain without it */
	assert_int_equal(raw(a, POWER_STATE_SET, w, 3, NULL, 0, NULL),
			 -EOPNOTSUPP);
	w[0] = 0;
	w[1] = NUM_DOMAINS;
	assert_int_equal(raw(a, POWER_STATE_SET, w, 3, NULL, 0, NULL), -ENOENT);
	w[1] = 1;
	w[2] = 0x80000000u;
	assert_int_equal(raw(a, POWER_STATE_SET, w, 3, NULL, 0, NULL), -EINVAL);
	w[0] = NUM_DOMAINS;
	assert_int_equal(raw(a, POWER_STATE_GET, w, 1, rx, sizeof(rx), &n),
			 -ENOENT);
	w[0] = 1;
	assert_int_equal(raw(a, POWER_STATE_GET, w, 1, rx, sizeof(rx), &n), 0);
	assert_int_equal(n, 4);
	assert_int_equal(scmi_get_le32(rx), ON);
	/* POWER_STATE_NOTIFY: bad domain, reserved bit, no notifications */
	w[0] = NUM_DOMAINS;
	w[1] = 1;
	assert_int_equal(raw(a, POWER_STATE_NOTIFY, w, 2, NULL, 0, NULL),
			 -ENOENT);
	w[0] = 1;
	w[1] = 3;
	assert_int_equal(raw(a, POWER_STATE_NOTIFY, w, 2, NULL, 0, NULL),
			 -EINVAL);
	w[0] = 3;
	w[1] = 1;
	assert_int_equal(raw(a, POWER_STATE_NOTIFY, w, 2, NULL, 0, NULL),
			 -EOPNOTSUPP);
	w[1] = 0;
	assert_int_equal(raw(a, POWER_STATE_NOTIFY, w, 2, NULL, 0, NULL),
			 -EOPNOTSUPP);
}

/* ---- events ------------------------------------------------------------ */

/* Changes by agents: each one's id, each domain, sync and async. */
static void test_event_from_agents(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	struct scmi_agent *b = fx_agent_connected(fx, 1);
	struct scmi_agent *c = fx_agent_connected(fx, 2);
	struct fx_recorder l, lb;
	const uint32_t d1 = 1, d0 = 0, d2 = 2;
	uint64_t t0, t1;

	fx_rec_init(&l, SCMI_PROTOCOL_POWER);
	fx_rec_init(&lb, SCMI_PROTOCOL_POWER);
	assert_int_equal(fx_rec_register(&l, a, EVT, &d1), 0);
	/* b: another domain only */
	assert_int_equal(fx_rec_register(&lb, b, EVT, &d2), 0);

	/* b changes domain 1: a hears it, with b's id */
	t0 = sim_now_ns();
	assert_int_equal(scmi_power_state_set(b, 1, OFF), 0);
	assert_int_equal(fx_rec_wait(&l, 1, WAIT_MS), 1);
	t1 = sim_now_ns();
	check_report(&l, 0, scmi_agent_id(b), 1, OFF, t0, t1);

	/* a changes it back: a hears its own change */
	t0 = sim_now_ns();
	assert_int_equal(scmi_power_state_set(a, 1, ON), 0);
	assert_int_equal(fx_rec_wait(&l, 2, WAIT_MS), 2);
	check_report(&l, 1, scmi_agent_id(a), 1, ON, t0, sim_now_ns());

	/* setting the state it has is no change: no event */
	assert_int_equal(scmi_power_state_set(c, 1, ON), 0);
	/* a change of another domain is not domain 1's */
	assert_int_equal(scmi_power_state_set(c, 0, OFF), 0);
	assert_int_equal(fx_rec_count_after(&l, QUIET_MS), 2);

	/* an asynchronous change, on a second subscription of a */
	{
		struct fx_recorder l0;

		fx_rec_init(&l0, SCMI_PROTOCOL_POWER);
		assert_int_equal(fx_rec_register(&l0, a, EVT, &d0), 0);
		t0 = sim_now_ns();
		assert_int_equal(scmi_power_state_set_async(c, 0, ON), 0);
		assert_int_equal(fx_rec_wait(&l0, 1, WAIT_MS), 1);
		check_report(&l0, 0, scmi_agent_id(c), 0, ON, t0, sim_now_ns());
		assert_int_equal(fx_rec_unregister(&l0, a, EVT, &d0), 0);
		fx_rec_fini(&l0);
	}

	/* b heard nothing of domain 1 or 0; c subscribed to nothing */
	assert_int_equal(fx_rec_count(&lb), 0);
	assert_true(fx_notifications(b) == 0);
	assert_true(fx_notifications(c) == 0);
	assert_int_equal(fx_rec_count(&l), 2);

	assert_int_equal(fx_rec_unregister(&l, a, EVT, &d1), 0);
	assert_int_equal(fx_rec_unregister(&lb, b, EVT, &d2), 0);
	fx_rec_fini(&l);
	fx_rec_fini(&lb);
}

/* Changes by the platform (control socket): agent_id 0. */
static void test_event_from_control(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	struct fx_recorder l;
	const uint32_t d2 = 2;
	char reply[128];
	uint64_t t0;
	uint32_t st;

	fx_rec_init(&l, SCMI_PROTOCOL_POWER);
	assert_int_equal(fx_rec_register(&l, a, EVT, &d2), 0);

	t0 = sim_now_ns();
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "power set 2 %u", ON), 0);
	assert_int_equal(fx_rec_wait(&l, 1, WAIT_MS), 1);
	check_report(&l, 0, 0, 2, ON, t0, sim_now_ns());
	assert_int_equal(scmi_power_state_get(a, 2, &st), 0);
	assert_int_equal(st, ON);
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "power get 2"), 0);
	assert_string_equal(reply, "ok 0x00000000");

	t0 = sim_now_ns();
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "power set 2 0x40000000"),
			 0);
	assert_int_equal(fx_rec_wait(&l, 2, WAIT_MS), 2);
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
	assert_int_equal(fx_rec_count_after(&l, QUIET_MS), 2);

	assert_int_equal(fx_rec_unregister(&l, a, EVT, &d2), 0);
	fx_rec_fini(&l);
}

/* Unsubscribed: the platform is told, and sends no more. */
static void test_unsubscribe(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	struct fx_recorder l;
	const uint32_t d1 = 1;
	uint64_t got;

	fx_rec_init(&l, SCMI_PROTOCOL_POWER);
	assert_int_equal(fx_rec_register(&l, a, EVT, &d1), 0);
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "power set 1 %u", OFF), 0);
	assert_int_equal(fx_rec_wait(&l, 1, WAIT_MS), 1);
	assert_int_equal(fx_rec_unregister(&l, a, EVT, &d1), 0);
	assert_int_equal(fx_rec_unregister(&l, a, EVT, &d1), -ENOENT);
	/* the disable may leave from the dispatcher a moment later */
	sim_sleep_ms(QUIET_MS);
	got = fx_notifications(a);
	assert_true(got == 1);

	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "power set 1 %u", ON), 0);
	assert_int_equal(scmi_power_state_set(a, 1, OFF), 0);
	assert_int_equal(fx_rec_count_after(&l, QUIET_MS), 1);
	/* not even sent: the platform saw the disable */
	assert_true(fx_notifications(a) == got);

	/* subscribed again: on again */
	assert_int_equal(fx_rec_register(&l, a, EVT, &d1), 0);
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "power set 1 %u", ON), 0);
	assert_int_equal(fx_rec_wait(&l, 2, WAIT_MS), 2);
	check_report(&l, 1, 0, 1, ON, 0, sim_now_ns());
	assert_int_equal(fx_rec_unregister(&l, a, EVT, &d1), 0);
	fx_rec_fini(&l);
}

/* Of two agents, only the one subscribed is sent the event. */
static void test_two_agents_one_subscribed(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	struct scmi_agent *b = fx_agent_connected(fx, 1);
	struct fx_recorder l;
	const uint32_t d0 = 0;

	fx_rec_init(&l, SCMI_PROTOCOL_POWER);
	assert_int_equal(fx_rec_register(&l, b, EVT, &d0), 0);
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "power set 0 %u", OFF), 0);
	assert_int_equal(fx_rec_wait(&l, 1, WAIT_MS), 1);
	check_report(&l, 0, 0, 0, OFF, 0, sim_now_ns());
	assert_int_equal(scmi_power_state_set(a, 0, ON), 0);
	assert_int_equal(fx_rec_wait(&l, 2, WAIT_MS), 2);
	check_report(&l, 1, scmi_agent_id(a), 0, ON, 0, sim_now_ns());
	sim_sleep_ms(QUIET_MS);
	assert_true(fx_notifications(a) == 0);
	assert_true(fx_notifications(b) == 2);
	assert_int_equal(fx_rec_unregister(&l, b, EVT, &d0), 0);
	fx_rec_fini(&l);
}

/* Every source at once: the domains that can notify, and no other. */
static void test_all_sources(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	struct fx_recorder l;

	fx_rec_init(&l, SCMI_PROTOCOL_POWER);
	assert_int_equal(fx_rec_register(&l, a, EVT, NULL), 0);
	/* domain 3 cannot notify: its change is not sent */
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "power set 3 %u", OFF), 0);
	for (uint32_t d = 0; d < 3; d++) {
		uint32_t to = topo[d].state == ON ? OFF : ON;

		assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "power set %u %u",
					 d, to), 0);
		assert_int_equal(fx_rec_wait(&l, d + 1, WAIT_MS), d + 1);
		check_report(&l, d, 0, d, to, 0, sim_now_ns());
	}
	assert_int_equal(fx_rec_count_after(&l, QUIET_MS), 3);
	assert_true(fx_notifications(a) == 3);
	assert_int_equal(fx_rec_unregister(&l, a, EVT, NULL), 0);
	fx_rec_fini(&l);
}

/* A domain that cannot notify, a domain that does not exist. */
static void test_register_refused(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	struct fx_recorder l;
	const uint32_t d3 = 3, d4 = NUM_DOMAINS, d1 = 1;
	struct scmi_notify *ni = scmi_agent_notify(a);
	uint64_t before = fx_commands(a);

	fx_rec_init(&l, SCMI_PROTOCOL_POWER);
	assert_int_equal(fx_rec_register(&l, a, EVT, &d3), -EOPNOTSUPP);
	assert_int_equal(fx_rec_register(&l, a, EVT, &d4), -EINVAL);
	assert_int_equal(scmi_event_notifier_register(ni, SCMI_PROTOCOL_POWER,
						      1, &d1, &l.nb), -EINVAL);
	assert_true(fx_commands(a) == before);
	/* nothing was left behind: the notifier is free for a good one */
	assert_int_equal(fx_rec_unregister(&l, a, EVT, &d3), -ENOENT);
	assert_int_equal(fx_rec_register(&l, a, EVT, &d1), 0);
	assert_true(fx_commands(a) == before + 1);
	assert_int_equal(fx_rec_unregister(&l, a, EVT, &d1), 0);
	fx_rec_fini(&l);
}

/* Registered before connect: pending, bound and enabled at connect. */
static void test_registered_before_connect(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_new(fx, 0);
	struct fx_recorder l;
	const uint32_t d2 = 2;
	uint32_t to = ON;
	unsigned int seen;
	uint64_t t0;

	fx_rec_init(&l, SCMI_PROTOCOL_POWER);
	assert_int_equal(fx_rec_register(&l, a, EVT, &d2), 0);
	assert_int_equal(scmi_agent_connect(a, fx->sim.sock), 0);
	/*
	 * The worker binds the pending handler and enables the event on
	 * its own time: change the state until one event comes back.
	 */
	for (int i = 0; i < 200 && !fx_rec_count(&l); i++) {
		assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "power set 2 %u",
					 to), 0);
		to = to == ON ? OFF : ON;
		fx_rec_wait(&l, 1, 10);
	}
	seen = fx_rec_wait(&l, 1, WAIT_MS);
	assert_true(seen >= 1);
	seen = fx_rec_count_after(&l, QUIET_MS);
	t0 = sim_now_ns();
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "power set 2 %u", to), 0);
	assert_int_equal(fx_rec_wait(&l, seen + 1, WAIT_MS), seen + 1);
	check_report(&l, seen, 0, 2, to, t0, sim_now_ns());
	assert_int_equal(fx_rec_unregister(&l, a, EVT, &d2), 0);
	fx_rec_fini(&l);
}

/* The report filler refuses a payload of the wrong size or domain. */
static void test_bad_payloads_refused(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	struct scmi_notify *ni = scmi_agent_notify(a);
	struct scmi_notify_stats ns;
	struct fx_recorder l;
	uint8_t p[16] = { 0 };

	fx_rec_init(&l, SCMI_PROTOCOL_POWER);
	assert_int_equal(fx_rec_register(&l, a, EVT, NULL), 0);
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
	assert_int_equal(fx_rec_wait(&l, 1, WAIT_MS), 1);
	check_report(&l, 0, 7, 2, OFF, 42, 42);
	assert_int_equal(fx_rec_count_after(&l, QUIET_MS), 1);
	assert_int_equal(scmi_notify_get_stats(ni, SCMI_PROTOCOL_POWER, &ns), 0);
	assert_true(ns.dropped_report == 2);
	assert_true(ns.dropped_invalid == 1);
	assert_true(ns.delivered == 1);
	assert_int_equal(fx_rec_unregister(&l, a, EVT, NULL), 0);
	fx_rec_fini(&l);
}

/*
 * Every message id, as the reference platform answers: those Power 3.0
 * defines are implemented but POWER_STATE_CHANGE_REQUESTED_NOTIFY (0x7),
 * which are NOT_SUPPORTED; from 0x9 on, NOT_FOUND.
 */
static void test_message_ids(void **state)
{
	static const uint8_t unimpl[] = { 0x7 };
	static const struct fx_msg_ids ids = {
		SCMI_PROTOCOL_POWER, 0x8, unimpl, sizeof(unimpl),
	};
	struct scmi_agent *a = fx_agent_connected(*state, 0);

	assert_int_equal(fx_msg_ids_mismatches(a, &ids), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_discovery),
		FX_TEST(test_message_ids),
		FX_TEST(test_raw_discovery),
		FX_TEST(test_state_get_set),
		FX_TEST(test_event_from_agents),
		FX_TEST(test_event_from_control),
		FX_TEST(test_unsubscribe),
		FX_TEST(test_two_agents_one_subscribed),
		FX_TEST(test_all_sources),
		FX_TEST(test_register_refused),
		FX_TEST(test_registered_before_connect),
		FX_TEST(test_bad_payloads_refused),
	};

	return fx_run_tests(tests);
}
