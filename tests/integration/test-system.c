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
#include <string.h>

#include <scmi/system.h>
#include <scmi/wire.h>

#include "fixture.h"

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

/* A raw system power command: (a, msg_id, tx, tx_sz, rx, rx_cap, n). */
#define raw(a, ...) scmi_agent_xfer(a, SCMI_PROTOCOL_SYSTEM, __VA_ARGS__)

static int raw_set(struct scmi_agent *a, uint32_t flags, uint32_t state)
{
	const uint32_t w[2] = { flags, state };

	return fx_raw(a, SCMI_PROTOCOL_SYSTEM, SYSTEM_POWER_STATE_SET, w, 2,
		      NULL, 0, NULL);
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

/* Assert every field of the @i-th report @l received. */
static void check_seen(struct fx_recorder *l, unsigned int i, uint32_t agent_id,
		       uint32_t flags, uint32_t system_state, uint32_t timeout,
		       uint64_t t0, uint64_t t1)
{
	struct fx_event e = fx_rec_get(l, i);

	assert_int_equal(e.evt_id, EVT);
	assert_int_equal(e.r.system.agent_id, agent_id);
	assert_int_equal(e.r.system.flags, flags);
	assert_int_equal(e.r.system.system_state, system_state);
	assert_int_equal(e.r.system.timeout, timeout);
	fx_assert_time(e.r.system.timestamp, t0, t1);
}

/* ---- discovery ------------------------------------------------------- */

static void test_discovery(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *idle = fx_agent_new(fx, 1);
	struct scmi_system_power_info si;
	struct scmi_agent *a;
	uint8_t rx[8];
	uint32_t st;
	size_t n = 0;
	int ret;

	assert_int_equal(scmi_system_power_info_get(idle, &si), -ENOTCONN);
	assert_int_equal(scmi_system_power_state_get(idle, &st), -ENOTCONN);
	assert_int_equal(scmi_system_power_state_set(idle, 0, 0), -ENOTCONN);
	assert_int_equal(scmi_system_power_info_get(NULL, &si), -EINVAL);

	a = fx_agent_connected(fx, 0);
	memset(&si, 0xAA, sizeof(si));
	assert_int_equal(scmi_system_power_info_get(a, &si), 0);
	assert_int_equal(si.version, 0x20000);
	assert_true(si.notify);
	assert_true(si.warm_reset);
	assert_false(si.suspend);
	assert_true(si.state_get);
	assert_int_equal(scmi_system_power_info_get(a, NULL), -EINVAL);

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
	assert_int_equal(raw(a, 0x6, NULL, 0, NULL, 0, NULL), -ENOENT);
	assert_int_equal(raw(a, 0x55, NULL, 0, NULL, 0, NULL), -ENOENT);
	assert_int_equal(raw(a, SCMI_PROTOCOL_VERSION, "1234", 4, NULL, 0,
			     NULL), -EPROTO);
	assert_int_equal(raw(a, SCMI_PROTOCOL_MESSAGE_ATTRIBUTES, NULL, 0,
			     NULL, 0, NULL), -EPROTO);
}

/* ---- commands -------------------------------------------------------- */

static void test_state_set_get(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
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
	before = fx_commands(a);
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
	assert_int_equal(fx_commands(a), before);

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
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	struct scmi_agent *b = fx_agent_connected(fx, 1);
	const uint32_t src0 = 0;
	struct fx_recorder la, lb;
	uint32_t ida = scmi_agent_id(a), idb = scmi_agent_id(b);
	uint64_t t0, t1;

	fx_rec_init(&la, SCMI_PROTOCOL_SYSTEM);
	fx_rec_init(&lb, SCMI_PROTOCOL_SYSTEM);
	assert_int_equal(fx_rec_register(&la, a, EVT, &src0), 0);

	/* another agent's graceful shutdown: a hears it with the timeout */
	t0 = sim_now_ns();
	assert_int_equal(scmi_system_power_state_set(b, GRACEFUL,
						     SCMI_SYSTEM_SHUTDOWN), 0);
	assert_int_equal(fx_rec_wait(&la, 1, WAIT_MS), 1);
	t1 = sim_now_ns();
	check_seen(&la, 0, idb, GRACEFUL, SCMI_SYSTEM_SHUTDOWN,
		   DEFAULT_TIMEOUT, t0, t1);
	/* b did not subscribe: it heard nothing */
	sim_sleep_ms(QUIET_MS);
	assert_int_equal(fx_notifications(b), 0);

	/* b subscribes too; a's own request reaches both (the requester too) */
	assert_int_equal(fx_rec_register(&lb, b, EVT, NULL), 0);
	t0 = sim_now_ns();
	assert_int_equal(scmi_system_power_state_set(a, GRACEFUL,
						     SCMI_SYSTEM_COLDRESET), 0);
	assert_int_equal(fx_rec_wait(&la, 2, WAIT_MS), 2);
	assert_int_equal(fx_rec_wait(&lb, 1, WAIT_MS), 1);
	t1 = sim_now_ns();
	/* the timeout is reported for a graceful shutdown only (Linux) */
	check_seen(&la, 1, ida, GRACEFUL, SCMI_SYSTEM_COLDRESET, 0, t0, t1);
	check_seen(&lb, 0, ida, GRACEFUL, SCMI_SYSTEM_COLDRESET, 0, t0, t1);

	/* forceful: flags 0, no timeout */
	t0 = sim_now_ns();
	assert_int_equal(scmi_system_power_state_set(a, FORCEFUL,
						     SCMI_SYSTEM_SHUTDOWN), 0);
	assert_int_equal(fx_rec_wait(&la, 3, WAIT_MS), 3);
	assert_int_equal(fx_rec_wait(&lb, 2, WAIT_MS), 2);
	t1 = sim_now_ns();
	check_seen(&la, 2, ida, FORCEFUL, SCMI_SYSTEM_SHUTDOWN, 0, t0, t1);
	check_seen(&lb, 1, ida, FORCEFUL, SCMI_SYSTEM_SHUTDOWN, 0, t0, t1);

	/* the platform asks: agent_id 0, the given timeout */
	t0 = sim_now_ns();
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0,
				 "system request shutdown graceful 5000"), 0);
	assert_int_equal(fx_rec_wait(&la, 4, WAIT_MS), 4);
	assert_int_equal(fx_rec_wait(&lb, 3, WAIT_MS), 3);
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
	assert_int_equal(fx_rec_wait(&la, 7, WAIT_MS), 7);
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
	assert_int_equal(fx_rec_wait(&lb, 6, WAIT_MS), 6);
	assert_int_equal(fx_rec_count_after(&la, QUIET_MS), 7);
	assert_int_equal(fx_rec_count(&lb), 6);
	assert_int_equal(fx_notifications(a), 7);
	assert_int_equal(fx_notifications(b), 6);

	/* a unsubscribes (NOTIFY(0)): b still hears, a nothing more */
	assert_int_equal(fx_rec_unregister(&la, a, EVT, &src0), 0);
	assert_int_equal(fx_rec_unregister(&la, a, EVT, &src0), -ENOENT);
	sim_sleep_ms(SETTLE_MS);
	t0 = sim_now_ns();
	assert_int_equal(scmi_system_power_state_set(a, GRACEFUL,
						     SCMI_SYSTEM_SHUTDOWN), 0);
	assert_int_equal(fx_rec_wait(&lb, 7, WAIT_MS), 7);
	t1 = sim_now_ns();
	check_seen(&lb, 6, ida, GRACEFUL, SCMI_SYSTEM_SHUTDOWN,
		   DEFAULT_TIMEOUT, t0, t1);
	assert_int_equal(fx_rec_count_after(&la, QUIET_MS), 7);
	assert_int_equal(fx_notifications(a), 7);

	assert_int_equal(fx_rec_unregister(&lb, b, EVT, NULL), 0);
	sim_sleep_ms(SETTLE_MS);
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0,
				 "system request shutdown forceful"), 0);
	sim_sleep_ms(QUIET_MS);
	assert_int_equal(fx_notifications(a), 7);
	assert_int_equal(fx_notifications(b), 7);
	fx_rec_fini(&la);
	fx_rec_fini(&lb);
}

/* Registered before connect: pending, bound and enabled at connect. */
static void test_pending(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_new(fx, 0);
	struct fx_recorder l;
	unsigned int seen;
	uint64_t t0, t1;

	fx_rec_init(&l, SCMI_PROTOCOL_SYSTEM);
	assert_int_equal(fx_rec_register(&l, a, EVT, NULL), 0);
	for (int round = 0; round < 2; round++) {
		assert_int_equal(scmi_agent_connect(a, fx->sim.sock), 0);
		/*
		 * The worker binds the pending handler and enables the event
		 * on its own time: ask until a request comes back.
		 */
		for (int i = 0; i < 200 && !fx_rec_count(&l); i++) {
			assert_int_equal(sim_ctl(&fx->sim, NULL, 0,
						 "system request cold-reset forceful"),
					 0);
			fx_rec_wait(&l, 1, 20);
		}
		assert_true(fx_rec_wait(&l, 1, WAIT_MS) >= 1);
		seen = fx_rec_count_after(&l, QUIET_MS);
		t0 = sim_now_ns();
		assert_int_equal(sim_ctl(&fx->sim, NULL, 0,
					 "system request shutdown graceful 42"),
				 0);
		assert_int_equal(fx_rec_wait(&l, seen + 1, WAIT_MS), seen + 1);
		t1 = sim_now_ns();
		check_seen(&l, seen, 0, GRACEFUL, SCMI_SYSTEM_SHUTDOWN, 42, t0,
			   t1);
		/* back to pending: the platform is told to stop */
		scmi_agent_disconnect(a);
		fx_rec_reset(&l);
	}
	assert_int_equal(fx_rec_unregister(&l, a, EVT, NULL), 0);
	fx_rec_fini(&l);
}

/* A platform without the notification, then with suspend. */
static void test_not_supported(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *old = fx_agent_connected(fx, 0);
	struct scmi_system_power_info si;
	struct fx_recorder lo, l;
	const uint32_t src1 = 1;
	struct scmi_agent *a;
	uint64_t before;
	uint8_t tx[4];
	int ret;

	fx_rec_init(&lo, SCMI_PROTOCOL_SYSTEM);
	fx_rec_init(&l, SCMI_PROTOCOL_SYSTEM);
	/* one source only */
	assert_int_equal(fx_rec_register(&lo, old, EVT, &src1), -EINVAL);
	assert_int_equal(fx_rec_register(&lo, old, 1, NULL), -EINVAL);
	assert_int_equal(fx_rec_register(&lo, old, EVT, NULL), 0);

	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "system support notify off"),
			 0);
	a = fx_agent_connected(fx, 1);
	assert_int_equal(scmi_system_power_info_get(a, &si), 0);
	assert_false(si.notify);
	before = fx_commands(a);
	assert_int_equal(fx_rec_register(&l, a, EVT, NULL), -EOPNOTSUPP);
	assert_int_equal(fx_rec_register(&l, a, EVT, (const uint32_t[]){ 0 }),
			 -EOPNOTSUPP);
	assert_int_equal(fx_commands(a), before);
	/* the platform says so too */
	scmi_put_le32(tx, 1);
	assert_int_equal(raw(a, SYSTEM_POWER_STATE_NOTIFY, tx, 4, NULL, 0,
			     NULL), -EOPNOTSUPP);
	msg_attributes(a, SYSTEM_POWER_STATE_NOTIFY, &ret);
	assert_int_equal(ret, -ENOENT);
	/* and the agent subscribed before hears nothing now */
	assert_int_equal(scmi_system_power_state_set(a, GRACEFUL,
						     SCMI_SYSTEM_SHUTDOWN), 0);
	assert_int_equal(fx_rec_count_after(&lo, QUIET_MS), 0);
	assert_int_equal(fx_notifications(old), 0);

	/* suspend, once the platform has it */
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0,
				 "system support suspend on"), 0);
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0,
				 "system support warm-reset off"), 0);
	scmi_agent_disconnect(a);
	assert_int_equal(scmi_agent_connect(a, fx->sim.sock), 0);
	assert_int_equal(scmi_system_power_info_get(a, &si), 0);
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
	assert_int_equal(fx_rec_wait(&lo, 1, WAIT_MS), 1);
	check_seen(&lo, 0, 0, GRACEFUL, SCMI_SYSTEM_SHUTDOWN, 9, 0,
		   sim_now_ns());
	assert_int_equal(fx_rec_unregister(&lo, old, EVT, NULL), 0);
	fx_rec_fini(&lo);
	fx_rec_fini(&l);
}

static void test_control(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
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

/*
 * Every message id, as the reference platform answers: those System power 2.0
 * defines are all implemented; from 0x6 on, NOT_FOUND.
 */
static void test_message_ids(void **state)
{
	static const struct fx_msg_ids ids = { SCMI_PROTOCOL_SYSTEM, 0x5, NULL, 0 };
	struct scmi_agent *a = fx_agent_connected(*state, 0);

	assert_int_equal(fx_msg_ids_mismatches(a, &ids), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_discovery),
		FX_TEST(test_message_ids),
		FX_TEST(test_state_set_get),
		FX_TEST(test_notifier),
		FX_TEST(test_pending),
		FX_TEST(test_not_supported),
		FX_TEST(test_control),
	};

	return fx_run_tests(tests);
}
