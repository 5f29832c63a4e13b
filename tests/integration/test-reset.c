/* SPDX-License-Identifier: MIT */
/*
 * The reset domain protocol (0x16) end to end: the agent's driver and
 * public calls against the real simulator (scmi-sim) and its default
 * topology: discovery, every command and its errors, RESET_ISSUED caused
 * by agents and by the control socket, the subscription life cycle, and
 * notifiers registered before connect.
 *
 * Default topology (sim-platform/topology.c):
 *   0 gpu-reset  notify, async, latency 100 us
 *   1 usb-reset  no notifications, sync only, latency 50 us
 *
 * Each test starts its own simulator in its setup and kills it in its
 * teardown (which runs even when the test fails).
 */
#include <errno.h>
#include <string.h>

#include <scmi/reset.h>
#include <scmi/wire.h>

#include "fixture.h"

#define WAIT_MS 2000          /* bound of every wait for an event */
#define QUIET_MS 100          /* how long "nothing arrives" is watched */

#define EVT SCMI_EVENT_RESET_ISSUED

/* wire ids and flags, for raw commands */
#define RESET_DOMAIN_ATTRIBUTES 0x3
#define RESET 0x4
#define RESET_NOTIFY 0x5
#define RESET_DOMAIN_NAME_GET 0x6
#define F_AUTONOMOUS 0x1
#define F_ASSERT 0x2
#define F_ASYNC 0x4

/* A raw reset command: (a, msg_id, words, n, rx, rx_cap, rx_sz); its errno. */
#define raw(a, ...) fx_raw(a, SCMI_PROTOCOL_RESET, __VA_ARGS__)

static const struct {
	const char *name;
	bool notify, async;
	uint32_t attributes, latency_us;
} topo[] = {
	{ "gpu-reset", true, true, 0xC0000000u, 100 },
	{ "usb-reset", false, false, 0x00000000u, 50 },
};
#define NUM_DOMAINS 2

/* RESET, raw: domain, flags, reset_state. */
static int raw_reset(struct scmi_agent *a, uint32_t domain, uint32_t flags,
		     uint32_t reset_state)
{
	const uint32_t w[3] = { domain, flags, reset_state };

	return raw(a, RESET, w, 3, NULL, 0, NULL);
}

/* The simulator's view of a domain: "asserted" or "deasserted". */
static void check_asserted(struct fx *fx, uint32_t domain, bool asserted)
{
	char reply[64];

	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "reset get %u", domain), 0);
	assert_string_equal(reply, asserted ? "ok asserted" : "ok deasserted");
}

/* Report number @i (0-based) has every field as expected. */
static void check_report(struct fx_recorder *l, unsigned int i,
			 uint32_t agent_id, uint32_t domain_id,
			 uint32_t reset_state, uint64_t t0, uint64_t t1)
{
	struct fx_event e = fx_rec_get(l, i);

	assert_int_equal(e.evt_id, EVT);
	assert_int_equal(e.r.reset.agent_id, agent_id);
	assert_int_equal(e.r.reset.domain_id, domain_id);
	assert_int_equal(e.r.reset.reset_state, reset_state);
	fx_assert_time(e.r.reset.timestamp, t0, t1);
}

/* ---- discovery -------------------------------------------------------- */

static void test_discovery(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *idle = fx_agent_new(fx, 1);
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	struct scmi_reset_protocol_info pi;
	struct scmi_reset_domain_info di;
	struct scmi_base_info bi;
	bool listed = false;
	uint64_t before;

	assert_int_equal(scmi_agent_base_info(a, &bi), 0);
	for (uint32_t i = 0; i < bi.num_protocols; i++)
		listed |= bi.protocols[i] == SCMI_PROTOCOL_RESET;
	assert_true(listed);

	/* all of it from discovery: nothing sent */
	before = fx_commands(a);
	assert_int_equal(scmi_reset_domain_count(a), NUM_DOMAINS);
	memset(&pi, 0xAA, sizeof(pi));
	assert_int_equal(scmi_reset_protocol_info_get(a, &pi), 0);
	assert_int_equal(pi.version, 0x30000);
	assert_int_equal(pi.num_domains, NUM_DOMAINS);
	for (uint32_t d = 0; d < NUM_DOMAINS; d++) {
		memset(&di, 0xAA, sizeof(di));
		assert_int_equal(scmi_reset_domain_info_get(a, d, &di), 0);
		assert_string_equal(di.name, topo[d].name);
		assert_int_equal(di.notify, topo[d].notify);
		assert_int_equal(di.async, topo[d].async);
		assert_false(di.extended_name);
		assert_int_equal(di.attributes, topo[d].attributes);
		assert_int_equal(di.latency_us, topo[d].latency_us);
	}

	/* bad arguments */
	assert_int_equal(scmi_reset_domain_info_get(a, NUM_DOMAINS, &di), -EINVAL);
	assert_int_equal(scmi_reset_domain_info_get(a, 0xFFFFFFFFu, &di), -EINVAL);
	assert_int_equal(scmi_reset_domain_info_get(a, 0, NULL), -EINVAL);
	assert_int_equal(scmi_reset_domain_info_get(NULL, 0, &di), -EINVAL);
	assert_int_equal(scmi_reset_protocol_info_get(a, NULL), -EINVAL);
	assert_int_equal(scmi_reset_protocol_info_get(NULL, &pi), -EINVAL);
	assert_int_equal(scmi_reset_domain_count(NULL), -EINVAL);
	assert_int_equal(scmi_reset_domain_reset(a, NUM_DOMAINS), -EINVAL);
	assert_int_equal(scmi_reset_domain_assert(a, NUM_DOMAINS), -EINVAL);
	assert_int_equal(scmi_reset_domain_deassert(a, 0xFFFFFFFFu), -EINVAL);
	assert_int_equal(scmi_reset_domain_reset(NULL, 0), -EINVAL);
	assert_true(fx_commands(a) == before);

	/* an agent that is not connected */
	assert_int_equal(scmi_reset_domain_count(idle), -ENOTCONN);
	assert_int_equal(scmi_reset_protocol_info_get(idle, &pi), -ENOTCONN);
	assert_int_equal(scmi_reset_domain_info_get(idle, 0, &di), -ENOTCONN);
	assert_int_equal(scmi_reset_domain_reset(idle, 0), -ENOTCONN);
	scmi_agent_disconnect(a);
	assert_int_equal(scmi_reset_domain_count(a), -ENOTCONN);
	assert_int_equal(scmi_reset_domain_assert(a, 0), -ENOTCONN);
	/* and again, after a reconnect */
	assert_int_equal(scmi_agent_connect(a, fx->sim.sock), 0);
	assert_int_equal(scmi_reset_domain_count(a), NUM_DOMAINS);
	assert_int_equal(scmi_reset_domain_info_get(a, 1, &di), 0);
	assert_string_equal(di.name, "usb-reset");
}

/* The simulator's answers on the wire, raw. */
static void test_raw_discovery(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	uint32_t w[4] = { 0 };
	uint8_t rx[128];
	size_t n;

	assert_int_equal(raw(a, SCMI_PROTOCOL_VERSION, NULL, 0, rx, sizeof(rx),
			     &n), 0);
	assert_int_equal(n, 4);
	assert_int_equal(scmi_get_le32(rx), 0x30000);
	assert_int_equal(raw(a, SCMI_PROTOCOL_ATTRIBUTES, NULL, 0, rx,
			     sizeof(rx), &n), 0);
	assert_int_equal(n, 4);
	assert_int_equal(scmi_get_le32(rx), NUM_DOMAINS);

	/* PROTOCOL_MESSAGE_ATTRIBUTES: 0 for each implemented message */
	for (uint32_t id = 0; id <= RESET_DOMAIN_NAME_GET; id++) {
		w[0] = id;
		n = 0;
		assert_int_equal(raw(a, SCMI_PROTOCOL_MESSAGE_ATTRIBUTES, w, 1,
				     rx, sizeof(rx), &n), 0);
		assert_int_equal(n, 4);
		assert_int_equal(scmi_get_le32(rx), 0);
	}
	for (uint32_t id = RESET_DOMAIN_NAME_GET + 1; id < 0x20; id++) {
		w[0] = id;
		assert_int_equal(raw(a, SCMI_PROTOCOL_MESSAGE_ATTRIBUTES, w, 1,
				     rx, sizeof(rx), &n), -ENOENT);
	}

	/* messages the protocol does not define: NOT_FOUND */
	assert_int_equal(raw(a, 0x7, NULL, 0, NULL, 0, NULL), -ENOENT);
	assert_int_equal(raw(a, 0x10, w, 1, NULL, 0, NULL), -ENOENT);

	/* wrong payload sizes: PROTOCOL_ERROR */
	w[0] = 0;
	assert_int_equal(raw(a, SCMI_PROTOCOL_ATTRIBUTES, w, 1, NULL, 0, NULL),
			 -EPROTO);
	assert_int_equal(raw(a, SCMI_PROTOCOL_MESSAGE_ATTRIBUTES, w, 2, NULL,
			     0, NULL), -EPROTO);
	assert_int_equal(raw(a, RESET_DOMAIN_ATTRIBUTES, NULL, 0, NULL, 0,
			     NULL), -EPROTO);
	assert_int_equal(raw(a, RESET, w, 2, NULL, 0, NULL), -EPROTO);
	assert_int_equal(raw(a, RESET, w, 4, NULL, 0, NULL), -EPROTO);
	assert_int_equal(raw(a, RESET_NOTIFY, w, 3, NULL, 0, NULL), -EPROTO);
	assert_int_equal(raw(a, RESET_DOMAIN_NAME_GET, NULL, 0, NULL, 0, NULL),
			 -EPROTO);

	/* RESET_DOMAIN_ATTRIBUTES: 24 bytes, zero-padded name */
	for (uint32_t d = 0; d < NUM_DOMAINS; d++) {
		w[0] = d;
		assert_int_equal(raw(a, RESET_DOMAIN_ATTRIBUTES, w, 1, rx,
				     sizeof(rx), &n), 0);
		assert_int_equal(n, 24);
		assert_int_equal(scmi_get_le32(rx), topo[d].attributes);
		assert_int_equal(scmi_get_le32(rx + 4), topo[d].latency_us);
		assert_string_equal((char *)rx + 8, topo[d].name);
		for (size_t i = 8 + strlen(topo[d].name); i < 24; i++)
			assert_int_equal(rx[i], 0);
	}
	w[0] = NUM_DOMAINS;
	assert_int_equal(raw(a, RESET_DOMAIN_ATTRIBUTES, w, 1, rx, sizeof(rx),
			     &n), -ENOENT);

	/* RESET_DOMAIN_NAME_GET: 68 bytes */
	for (uint32_t d = 0; d < NUM_DOMAINS; d++) {
		w[0] = d;
		assert_int_equal(raw(a, RESET_DOMAIN_NAME_GET, w, 1, rx,
				     sizeof(rx), &n), 0);
		assert_int_equal(n, 68);
		assert_int_equal(scmi_get_le32(rx), 0);
		assert_string_equal((char *)rx + 4, topo[d].name);
	}
	w[0] = NUM_DOMAINS;
	assert_int_equal(raw(a, RESET_DOMAIN_NAME_GET, w, 1, rx, sizeof(rx),
			     &n), -ENOENT);
}

/* ---- commands ---------------------------------------------------------- */

static void test_reset_assert_deassert(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	uint32_t w[2];

	for (uint32_t d = 0; d < NUM_DOMAINS; d++) {
		check_asserted(fx, d, false);
		assert_int_equal(scmi_reset_domain_reset(a, d), 0);
		check_asserted(fx, d, false);
		assert_int_equal(scmi_reset_domain_assert(a, d), 0);
		check_asserted(fx, d, true);
		/* asserting twice, resetting while asserted: fine */
		assert_int_equal(scmi_reset_domain_assert(a, d), 0);
		check_asserted(fx, d, true);
		assert_int_equal(scmi_reset_domain_deassert(a, d), 0);
		check_asserted(fx, d, false);
		assert_int_equal(scmi_reset_domain_deassert(a, d), 0);
		check_asserted(fx, d, false);
		assert_int_equal(scmi_reset_domain_assert(a, d), 0);
		assert_int_equal(scmi_reset_domain_reset(a, d), 0);
		check_asserted(fx, d, false);
	}

	/* raw: what the platform says to what this library never sends */
	assert_int_equal(raw_reset(a, NUM_DOMAINS, F_AUTONOMOUS, 0), -ENOENT);
	assert_int_equal(raw_reset(a, 0, 0x8, 0), -EINVAL);
	assert_int_equal(raw_reset(a, 0, 0x80000001u, 0), -EINVAL);
	assert_int_equal(raw_reset(a, 0, F_ASYNC, 0), -EINVAL);
	assert_int_equal(raw_reset(a, 0, F_ASYNC | F_ASSERT, 0), -EINVAL);
	assert_int_equal(raw_reset(a, 0, F_AUTONOMOUS, 1), -EINVAL);
	assert_int_equal(raw_reset(a, 0, F_AUTONOMOUS, 0x80000000u), -EINVAL);
	assert_int_equal(raw_reset(a, 1, F_AUTONOMOUS | F_ASYNC, 0),
			 -EOPNOTSUPP);
	/* an asynchronous reset where it is supported: accepted */
	assert_int_equal(raw_reset(a, 0, F_ASSERT, 0), 0);
	check_asserted(fx, 0, true);
	assert_int_equal(raw_reset(a, 0, F_AUTONOMOUS | F_ASYNC, 0), 0);
	for (int i = 0; i < 100; i++) {
		char reply[64];

		assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
					 "reset get 0"), 0);
		if (!strcmp(reply, "ok deasserted"))
			break;
		sim_sleep_ms(5);
	}
	check_asserted(fx, 0, false);

	/* RESET_NOTIFY: bad domain, reserved bit, no notifications */
	w[0] = NUM_DOMAINS;
	w[1] = 1;
	assert_int_equal(raw(a, RESET_NOTIFY, w, 2, NULL, 0, NULL), -ENOENT);
	w[0] = 0;
	w[1] = 2;
	assert_int_equal(raw(a, RESET_NOTIFY, w, 2, NULL, 0, NULL), -EINVAL);
	w[0] = 1;
	w[1] = 1;
	assert_int_equal(raw(a, RESET_NOTIFY, w, 2, NULL, 0, NULL),
			 -EOPNOTSUPP);
	w[1] = 0;
	assert_int_equal(raw(a, RESET_NOTIFY, w, 2, NULL, 0, NULL),
			 -EOPNOTSUPP);
}

/* ---- events ------------------------------------------------------------ */

/* Resets by agents: each one's id; asserts too, de-asserts not. */
static void test_event_from_agents(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	struct scmi_agent *b = fx_agent_connected(fx, 1);
	struct scmi_agent *c = fx_agent_connected(fx, 2);
	struct fx_recorder l;
	const uint32_t d0 = 0;
	uint64_t t0, t1;

	fx_rec_init(&l, SCMI_PROTOCOL_RESET);
	assert_int_equal(fx_rec_register(&l, a, EVT, &d0), 0);

	/* b resets domain 0: a hears it, with b's id */
	t0 = sim_now_ns();
	assert_int_equal(scmi_reset_domain_reset(b, 0), 0);
	assert_int_equal(fx_rec_wait(&l, 1, WAIT_MS), 1);
	t1 = sim_now_ns();
	check_report(&l, 0, scmi_agent_id(b), 0, SCMI_RESET_STATE_COLD, t0, t1);

	/* c asserts it: an event; de-asserts it: none */
	t0 = sim_now_ns();
	assert_int_equal(scmi_reset_domain_assert(c, 0), 0);
	assert_int_equal(fx_rec_wait(&l, 2, WAIT_MS), 2);
	check_report(&l, 1, scmi_agent_id(c), 0, SCMI_RESET_STATE_COLD, t0,
		     sim_now_ns());
	assert_int_equal(scmi_reset_domain_deassert(c, 0), 0);
	/* domain 1 is not domain 0 */
	assert_int_equal(scmi_reset_domain_reset(c, 1), 0);
	assert_int_equal(fx_rec_count_after(&l, QUIET_MS), 2);

	/* a's own reset */
	t0 = sim_now_ns();
	assert_int_equal(scmi_reset_domain_reset(a, 0), 0);
	assert_int_equal(fx_rec_wait(&l, 3, WAIT_MS), 3);
	check_report(&l, 2, scmi_agent_id(a), 0, SCMI_RESET_STATE_COLD, t0,
		     sim_now_ns());

	/* an asynchronous reset (raw: this library sends none) */
	t0 = sim_now_ns();
	assert_int_equal(raw_reset(b, 0, F_AUTONOMOUS | F_ASYNC, 0), 0);
	assert_int_equal(fx_rec_wait(&l, 4, WAIT_MS), 4);
	check_report(&l, 3, scmi_agent_id(b), 0, SCMI_RESET_STATE_COLD, t0,
		     sim_now_ns());

	/* b and c subscribed to nothing: sent nothing */
	sim_sleep_ms(QUIET_MS);
	assert_true(fx_notifications(b) == 0);
	assert_true(fx_notifications(c) == 0);
	assert_true(fx_notifications(a) == 4);
	assert_int_equal(fx_rec_count(&l), 4);

	assert_int_equal(fx_rec_unregister(&l, a, EVT, &d0), 0);
	fx_rec_fini(&l);
}

/* Resets by the platform (control socket): agent_id 0. */
static void test_event_from_control(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	struct fx_recorder l;
	const uint32_t d0 = 0;
	uint64_t t0;

	fx_rec_init(&l, SCMI_PROTOCOL_RESET);
	assert_int_equal(fx_rec_register(&l, a, EVT, &d0), 0);

	t0 = sim_now_ns();
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "reset issue 0"), 0);
	assert_int_equal(fx_rec_wait(&l, 1, WAIT_MS), 1);
	check_report(&l, 0, 0, 0, SCMI_RESET_STATE_COLD, t0, sim_now_ns());
	/* every reset is an event, even of a domain that was not asserted */
	t0 = sim_now_ns();
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "reset issue 0x0"), 0);
	assert_int_equal(fx_rec_wait(&l, 2, WAIT_MS), 2);
	check_report(&l, 1, 0, 0, SCMI_RESET_STATE_COLD, t0, sim_now_ns());
	/* a control reset de-asserts */
	assert_int_equal(scmi_reset_domain_assert(a, 0), 0);
	assert_int_equal(fx_rec_wait(&l, 3, WAIT_MS), 3);
	check_report(&l, 2, scmi_agent_id(a), 0, SCMI_RESET_STATE_COLD, 0,
		     sim_now_ns());
	check_asserted(fx, 0, true);
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "reset issue 0"), 0);
	assert_int_equal(fx_rec_wait(&l, 4, WAIT_MS), 4);
	check_asserted(fx, 0, false);
	/* domain 1 resets, but cannot tell anyone */
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "reset issue 1"), 0);

	/* control errors */
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "reset issue 2"), -ENOENT);
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "reset issue x"), -EINVAL);
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "reset issue -1"), -EINVAL);
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "reset issue"), -EINVAL);
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "reset issue 0 1"),
			 -EINVAL);
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "reset get 5"), -ENOENT);
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "reset frob 0"),
			 -EOPNOTSUPP);
	assert_int_equal(fx_rec_count_after(&l, QUIET_MS), 4);

	assert_int_equal(fx_rec_unregister(&l, a, EVT, &d0), 0);
	fx_rec_fini(&l);
}

/* Unsubscribed: the platform is told, and sends no more. */
static void test_unsubscribe(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	struct scmi_agent *b = fx_agent_connected(fx, 1);
	struct fx_recorder l;
	const uint32_t d0 = 0;

	fx_rec_init(&l, SCMI_PROTOCOL_RESET);
	assert_int_equal(fx_rec_register(&l, a, EVT, &d0), 0);
	assert_int_equal(scmi_reset_domain_reset(b, 0), 0);
	assert_int_equal(fx_rec_wait(&l, 1, WAIT_MS), 1);
	assert_int_equal(fx_rec_unregister(&l, a, EVT, &d0), 0);
	assert_int_equal(fx_rec_unregister(&l, a, EVT, &d0), -ENOENT);
	/* the disable may leave from the dispatcher a moment later */
	sim_sleep_ms(QUIET_MS);
	assert_true(fx_notifications(a) == 1);

	assert_int_equal(scmi_reset_domain_reset(b, 0), 0);
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "reset issue 0"), 0);
	assert_int_equal(fx_rec_count_after(&l, QUIET_MS), 1);
	/* not even sent: the platform saw the disable */
	assert_true(fx_notifications(a) == 1);

	/* subscribed again: on again */
	assert_int_equal(fx_rec_register(&l, a, EVT, &d0), 0);
	assert_int_equal(scmi_reset_domain_assert(b, 0), 0);
	assert_int_equal(fx_rec_wait(&l, 2, WAIT_MS), 2);
	check_report(&l, 1, scmi_agent_id(b), 0, SCMI_RESET_STATE_COLD, 0,
		     sim_now_ns());
	assert_int_equal(fx_rec_unregister(&l, a, EVT, &d0), 0);
	fx_rec_fini(&l);
}

/* Of two agents, only the one subscribed is sent the event. */
static void test_two_agents_one_subscribed(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	struct scmi_agent *b = fx_agent_connected(fx, 1);
	struct fx_recorder l;

	fx_rec_init(&l, SCMI_PROTOCOL_RESET);
	/* all sources: domain 0 only can notify */
	assert_int_equal(fx_rec_register(&l, b, EVT, NULL), 0);
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "reset issue 0"), 0);
	assert_int_equal(fx_rec_wait(&l, 1, WAIT_MS), 1);
	check_report(&l, 0, 0, 0, SCMI_RESET_STATE_COLD, 0, sim_now_ns());
	assert_int_equal(scmi_reset_domain_reset(a, 0), 0);
	assert_int_equal(fx_rec_wait(&l, 2, WAIT_MS), 2);
	check_report(&l, 1, scmi_agent_id(a), 0, SCMI_RESET_STATE_COLD, 0,
		     sim_now_ns());
	assert_int_equal(scmi_reset_domain_reset(a, 1), 0);
	assert_int_equal(fx_rec_count_after(&l, QUIET_MS), 2);
	assert_true(fx_notifications(a) == 0);
	assert_true(fx_notifications(b) == 2);
	assert_int_equal(fx_rec_unregister(&l, b, EVT, NULL), 0);
	fx_rec_fini(&l);
}

/* A domain that cannot notify, a domain that does not exist. */
static void test_register_refused(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	struct scmi_notify *ni = scmi_agent_notify(a);
	const uint32_t d1 = 1, d2 = NUM_DOMAINS, d0 = 0;
	uint64_t before = fx_commands(a);
	struct fx_recorder l;

	fx_rec_init(&l, SCMI_PROTOCOL_RESET);
	assert_int_equal(fx_rec_register(&l, a, EVT, &d1), -EOPNOTSUPP);
	assert_int_equal(fx_rec_register(&l, a, EVT, &d2), -EINVAL);
	assert_int_equal(scmi_event_notifier_register(ni, SCMI_PROTOCOL_RESET,
						      1, &d0, &l.nb), -EINVAL);
	assert_true(fx_commands(a) == before);
	assert_int_equal(fx_rec_unregister(&l, a, EVT, &d1), -ENOENT);
	assert_int_equal(fx_rec_register(&l, a, EVT, &d0), 0);
	assert_true(fx_commands(a) == before + 1);
	assert_int_equal(fx_rec_unregister(&l, a, EVT, &d0), 0);
	fx_rec_fini(&l);
}

/* Registered before connect: pending, bound and enabled at connect. */
static void test_registered_before_connect(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_new(fx, 0);
	struct fx_recorder l;
	const uint32_t d0 = 0;
	unsigned int seen;
	uint64_t t0;

	fx_rec_init(&l, SCMI_PROTOCOL_RESET);
	assert_int_equal(fx_rec_register(&l, a, EVT, &d0), 0);
	assert_int_equal(scmi_agent_connect(a, fx->sim.sock), 0);
	/*
	 * The worker binds the pending handler and enables the event on
	 * its own time: reset until one event comes back.
	 */
	for (int i = 0; i < 200 && !fx_rec_count(&l); i++) {
		assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "reset issue 0"), 0);
		fx_rec_wait(&l, 1, 10);
	}
	seen = fx_rec_wait(&l, 1, WAIT_MS);
	assert_true(seen >= 1);
	seen = fx_rec_count_after(&l, QUIET_MS);
	t0 = sim_now_ns();
	assert_int_equal(scmi_reset_domain_assert(a, 0), 0);
	assert_int_equal(fx_rec_wait(&l, seen + 1, WAIT_MS), seen + 1);
	check_report(&l, seen, scmi_agent_id(a), 0, SCMI_RESET_STATE_COLD, t0,
		     sim_now_ns());
	assert_int_equal(fx_rec_unregister(&l, a, EVT, &d0), 0);
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

	fx_rec_init(&l, SCMI_PROTOCOL_RESET);
	assert_int_equal(fx_rec_register(&l, a, EVT, NULL), 0);
	/*
	 * Fed straight to the core (no reset event is on the wire: nothing
	 * is reset while this runs, so the rx thread stays the only
	 * producer in practice).
	 */
	assert_int_equal(scmi_notify(ni, SCMI_PROTOCOL_RESET, 0, p, 16, 1),
			 -EINVAL);
	assert_int_equal(scmi_notify(ni, SCMI_PROTOCOL_RESET, 0, p, 8, 1), 0);
	assert_int_equal(scmi_notify(ni, SCMI_PROTOCOL_RESET, 0, p, 0, 1), 0);
	scmi_put_le32(p + 4, NUM_DOMAINS);
	assert_int_equal(scmi_notify(ni, SCMI_PROTOCOL_RESET, 0, p, 12, 1), 0);
	/* a good one still flows */
	scmi_put_le32(p, 9);
	scmi_put_le32(p + 4, 1);
	scmi_put_le32(p + 8, 0x80000003u);
	assert_int_equal(scmi_notify(ni, SCMI_PROTOCOL_RESET, 0, p, 12, 42), 0);
	/* it is domain 1's: the all-sources chain runs */
	assert_int_equal(fx_rec_wait(&l, 1, WAIT_MS), 1);
	check_report(&l, 0, 9, 1, 0x80000003u, 42, 42);
	assert_int_equal(fx_rec_count_after(&l, QUIET_MS), 1);
	assert_int_equal(scmi_notify_get_stats(ni, SCMI_PROTOCOL_RESET, &ns), 0);
	assert_true(ns.dropped_report == 3);
	assert_true(ns.dropped_invalid == 1);
	assert_true(ns.delivered == 1);
	assert_int_equal(fx_rec_unregister(&l, a, EVT, NULL), 0);
	fx_rec_fini(&l);
}

/*
 * Every message id, as the reference platform answers: those Reset 3.0
 * defines are all implemented; from 0x7 on, NOT_FOUND.
 */
static void test_message_ids(void **state)
{
	static const struct fx_msg_ids ids = { SCMI_PROTOCOL_RESET, 0x6, NULL, 0 };
	struct scmi_agent *a = fx_agent_connected(*state, 0);

	assert_int_equal(fx_msg_ids_mismatches(a, &ids), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_discovery),
		FX_TEST(test_message_ids),
		FX_TEST(test_raw_discovery),
		FX_TEST(test_reset_assert_deassert),
		FX_TEST(test_event_from_agents),
		FX_TEST(test_event_from_control),
		FX_TEST(test_unsubscribe),
		FX_TEST(test_two_agents_one_subscribed),
		FX_TEST(test_register_refused),
		FX_TEST(test_registered_before_connect),
		FX_TEST(test_bad_payloads_refused),
	};

	return fx_run_tests(tests);
}
