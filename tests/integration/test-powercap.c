/* SPDX-License-Identifier: MIT */
/*
 * The Powercap protocol end to end: the agent's discovery and commands
 * against the real simulator (scmi-sim) and its default topology, the
 * simulator's status codes for bad requests, and both events
 * (POWERCAP_CAP_CHANGED from another agent's command or a control request,
 * POWERCAP_MEASUREMENTS_CHANGED with per-agent thresholds) down to the
 * report a callback receives.
 *
 * Each test starts its own simulator in its setup and kills it in its
 * teardown (which runs even when the test fails).
 */
#include <errno.h>
#include <string.h>

#include <scmi/powercap.h>
#include <scmi/wire.h>

#include "fixture.h"

#define WAIT_MS 2000          /* bound of every wait for an event */
#define QUIET_MS 100          /* how long "nothing arrives" is watched */

#define EVT_CAP SCMI_EVENT_POWERCAP_CAP_CHANGED
#define EVT_MEAS SCMI_EVENT_POWERCAP_MEASUREMENTS_CHANGED

/* wire ids the tests use raw */
#define POWERCAP_DOMAIN_ATTRIBUTES 0x3
#define POWERCAP_CAP_GET 0x4
#define POWERCAP_CAP_SET 0x5
#define POWERCAP_PAI_SET 0x7
#define POWERCAP_DOMAIN_NAME_GET 0x8
#define POWERCAP_MEASUREMENTS_GET 0x9
#define POWERCAP_CAP_NOTIFY 0xA
#define POWERCAP_MEASUREMENTS_NOTIFY 0xB
#define POWERCAP_DESCRIBE_FASTCHANNEL 0xC

/* Room for the 56-byte DOMAIN_ATTRIBUTES, not for a 68-byte name. */
static int setup_msgs_64(void **state)
{
	static const char *const args[] = { "--max-msg-size", "64", NULL };

	return fx_start(state, args);
}

/* Room for neither. */
static int setup_msgs_40(void **state)
{
	static const char *const args[] = { "--max-msg-size", "40", NULL };

	return fx_start(state, args);
}

static uint32_t cap_of(struct scmi_agent *a, uint32_t id)
{
	uint32_t cap = 0xDEAD;

	assert_int_equal(scmi_powercap_cap_get(a, id, &cap), 0);
	return cap;
}

/* Every field of a cap-changed report. */
static void check_cap(struct fx_recorder *l, unsigned int i, uint32_t agent_id,
		      uint32_t domain, uint32_t cap, uint32_t pai, uint64_t t0,
		      uint64_t t1)
{
	struct fx_event e = fx_rec_get(l, i);

	assert_int_equal(e.evt_id, EVT_CAP);
	fx_assert_time(e.r.powercap_cap.timestamp, t0, t1);
	assert_int_equal(e.r.powercap_cap.agent_id, agent_id);
	assert_int_equal(e.r.powercap_cap.domain_id, domain);
	assert_int_equal(e.r.powercap_cap.power_cap, cap);
	assert_int_equal(e.r.powercap_cap.pai, pai);
}

/* Every field of a measurements-changed report. */
static void check_meas(struct fx_recorder *l, unsigned int i, uint32_t domain,
		       uint32_t power, uint64_t t0, uint64_t t1)
{
	struct fx_event e = fx_rec_get(l, i);

	assert_int_equal(e.evt_id, EVT_MEAS);
	fx_assert_time(e.r.powercap_meas.timestamp, t0, t1);
	/* the platform measured it */
	assert_int_equal(e.r.powercap_meas.agent_id, 0);
	assert_int_equal(e.r.powercap_meas.domain_id, domain);
	assert_int_equal(e.r.powercap_meas.power, power);
}

/* ---- discovery ------------------------------------------------------- */

static void test_discovery(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	struct scmi_powercap_info pi;
	uint8_t tx[12], rx[128];
	size_t n;

	assert_int_equal(scmi_powercap_count(a), 2);

	memset(&pi, 0xAA, sizeof(pi));
	assert_int_equal(scmi_powercap_info_get(a, 0, &pi), 0);
	assert_int_equal(pi.id, 0);
	assert_string_equal(pi.name, "soc-cap");
	assert_int_equal(pi.attributes, 0xFF000000u);
	assert_true(pi.notify_cap);
	assert_true(pi.notify_meas);
	assert_true(pi.async_cap_set);
	assert_true(pi.cap_config);
	assert_true(pi.monitoring);
	assert_true(pi.pai_config);
	assert_false(pi.fastchannels);
	assert_int_equal(pi.unit, SCMI_POWERCAP_UNIT_MW);
	assert_int_equal(pi.min_pai, 100);
	assert_int_equal(pi.max_pai, 10000);
	assert_int_equal(pi.pai_step, 100);
	assert_int_equal(pi.min_power_cap, 1000);
	assert_int_equal(pi.max_power_cap, 15000);
	assert_int_equal(pi.power_cap_step, 500);
	assert_int_equal(pi.sustainable_power, 10000);
	assert_int_equal(pi.accuracy, 95);
	assert_int_equal(pi.parent_id, SCMI_POWERCAP_ROOT_ZONE_ID);

	memset(&pi, 0xAA, sizeof(pi));
	assert_int_equal(scmi_powercap_info_get(a, 1, &pi), 0);
	assert_int_equal(pi.id, 1);
	assert_string_equal(pi.name, "gpu-cap");
	assert_int_equal(pi.attributes, 0x15000000u);
	assert_false(pi.notify_cap);
	assert_false(pi.notify_meas);
	assert_false(pi.async_cap_set);
	assert_false(pi.cap_config);
	assert_true(pi.monitoring);
	assert_false(pi.pai_config);
	assert_false(pi.fastchannels);
	assert_int_equal(pi.unit, SCMI_POWERCAP_UNIT_MW);
	assert_int_equal(pi.min_pai, 1000);
	assert_int_equal(pi.max_pai, 1000);
	assert_int_equal(pi.pai_step, 0);
	assert_int_equal(pi.min_power_cap, 5000);
	assert_int_equal(pi.max_power_cap, 5000);
	assert_int_equal(pi.power_cap_step, 0);
	assert_int_equal(pi.sustainable_power, 5000);
	assert_int_equal(pi.accuracy, 90);
	assert_int_equal(pi.parent_id, 0);

	assert_int_equal(scmi_powercap_info_get(a, 2, &pi), -EINVAL);
	assert_int_equal(scmi_powercap_info_get(a, 0, NULL), -EINVAL);
	assert_int_equal(scmi_powercap_info_get(NULL, 0, &pi), -EINVAL);
	assert_int_equal(scmi_powercap_count(NULL), -EINVAL);

	/* the wire */
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_POWERCAP,
					 SCMI_PROTOCOL_VERSION, NULL, 0, rx,
					 sizeof(rx), &n), 0);
	assert_int_equal(n, 4);
	assert_int_equal(scmi_get_le32(rx), 0x20000);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_POWERCAP,
					 SCMI_PROTOCOL_ATTRIBUTES, NULL, 0, rx,
					 sizeof(rx), &n), 0);
	assert_int_equal(n, 4);
	assert_int_equal(scmi_get_le32(rx), 2);
	scmi_put_le32(tx, 1);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_POWERCAP,
					 POWERCAP_DOMAIN_ATTRIBUTES, tx, 4, rx,
					 sizeof(rx), &n), 0);
	assert_int_equal(n, 56);
	assert_string_equal((const char *)rx + 4, "gpu-cap");
	assert_int_equal(scmi_get_le32(rx + 52), 0);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_POWERCAP,
					 POWERCAP_DOMAIN_NAME_GET, tx, 4, rx,
					 sizeof(rx), &n), 0);
	assert_int_equal(n, 68);
	assert_string_equal((const char *)rx + 4, "gpu-cap");
	scmi_put_le32(tx, 2);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_POWERCAP,
					 POWERCAP_DOMAIN_ATTRIBUTES, tx, 4, rx,
					 sizeof(rx), &n), -ENOENT);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_POWERCAP,
					 POWERCAP_DOMAIN_NAME_GET, tx, 4, rx,
					 sizeof(rx), &n), -ENOENT);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_POWERCAP,
					 POWERCAP_CAP_GET, tx, 4, rx,
					 sizeof(rx), &n), -ENOENT);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_POWERCAP,
					 POWERCAP_MEASUREMENTS_GET, tx, 4, rx,
					 sizeof(rx), &n), -ENOENT);
	/* no fast channels */
	scmi_put_le32(tx, 0);
	scmi_put_le32(tx + 4, POWERCAP_CAP_SET);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_POWERCAP,
					 POWERCAP_DESCRIBE_FASTCHANNEL, tx, 8,
					 rx, sizeof(rx), &n), -EOPNOTSUPP);
	/* message attributes: implemented, and not */
	scmi_put_le32(tx, POWERCAP_MEASUREMENTS_NOTIFY);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_POWERCAP,
					 SCMI_PROTOCOL_MESSAGE_ATTRIBUTES, tx,
					 4, rx, sizeof(rx), &n), 0);
	assert_int_equal(n, 4);
	assert_int_equal(scmi_get_le32(rx), 0);
	scmi_put_le32(tx, POWERCAP_DESCRIBE_FASTCHANNEL);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_POWERCAP,
					 SCMI_PROTOCOL_MESSAGE_ATTRIBUTES, tx,
					 4, rx, sizeof(rx), &n), -ENOENT);
	/* wrong sizes */
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_POWERCAP,
					 POWERCAP_CAP_SET, tx, 8, NULL, 0,
					 NULL), -EPROTO);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_POWERCAP,
					 POWERCAP_CAP_GET, tx, 8, rx,
					 sizeof(rx), &n), -EPROTO);

	scmi_agent_disconnect(a);
	assert_int_equal(scmi_powercap_count(a), -ENOTCONN);
	assert_int_equal(scmi_powercap_cap_get(a, 0, &(uint32_t){ 0 }),
			 -ENOTCONN);
}

/*
 * max_msg_size 64: POWERCAP_DOMAIN_ATTRIBUTES fits, the 68-byte
 * POWERCAP_DOMAIN_NAME_GET does not: the platform offers no extended
 * names (bit 28 clear, the command NOT_SUPPORTED) and the protocol comes
 * up with the short names.
 */
static void test_discovery_msgs_64(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	struct scmi_powercap_info pi;
	uint8_t tx[4], rx[64];
	size_t n;

	assert_int_equal(scmi_powercap_count(a), 2);
	assert_int_equal(scmi_powercap_info_get(a, 0, &pi), 0);
	assert_string_equal(pi.name, "soc-cap");
	assert_int_equal(pi.attributes, 0xEF000000u); /* no bit 28 */
	assert_int_equal(scmi_powercap_info_get(a, 1, &pi), 0);
	assert_string_equal(pi.name, "gpu-cap");
	assert_int_equal(pi.attributes, 0x05000000u);
	assert_int_equal(cap_of(a, 0), 12000);

	scmi_put_le32(tx, 1);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_POWERCAP,
					 POWERCAP_DOMAIN_ATTRIBUTES, tx, 4, rx,
					 sizeof(rx), &n), 0);
	assert_int_equal(n, 56);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_POWERCAP,
					 POWERCAP_DOMAIN_NAME_GET, tx, 4, rx,
					 sizeof(rx), &n), -EOPNOTSUPP);
	scmi_put_le32(tx, 2);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_POWERCAP,
					 POWERCAP_DOMAIN_NAME_GET, tx, 4, rx,
					 sizeof(rx), &n), -ENOENT);
}

/*
 * max_msg_size 40: not even POWERCAP_DOMAIN_ATTRIBUTES (56 bytes) fits.
 * The platform answers it NOT_SUPPORTED rather than cut it short, so the
 * agent's powercap stays down (-EOPNOTSUPP); the connect and the other
 * protocols are not affected, and the short replies still come.
 */
static void test_discovery_msgs_40(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	struct scmi_base_info bi;
	uint8_t tx[4], rx[40];
	size_t n;

	assert_int_equal(scmi_powercap_count(a), -EOPNOTSUPP);
	assert_int_equal(scmi_powercap_cap_get(a, 0, &(uint32_t){ 0 }),
			 -EOPNOTSUPP);
	assert_int_equal(scmi_agent_base_info(a, &bi), 0);

	scmi_put_le32(tx, 0);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_POWERCAP,
					 POWERCAP_DOMAIN_ATTRIBUTES, tx, 4, rx,
					 sizeof(rx), &n), -EOPNOTSUPP);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_POWERCAP,
					 POWERCAP_DOMAIN_NAME_GET, tx, 4, rx,
					 sizeof(rx), &n), -EOPNOTSUPP);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_POWERCAP,
					 POWERCAP_CAP_GET, tx, 4, rx,
					 sizeof(rx), &n), 0);
	assert_int_equal(n, 4);
	assert_int_equal(scmi_get_le32(rx), 12000);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_POWERCAP,
					 POWERCAP_MEASUREMENTS_GET, tx, 4, rx,
					 sizeof(rx), &n), 0);
	assert_int_equal(n, 8);
}

/* ---- commands -------------------------------------------------------- */

static void test_cap(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	uint8_t tx[12], rx[8];
	uint64_t before;
	uint32_t cap;
	size_t n = 0;
	bool on;

	assert_int_equal(cap_of(a, 0), 12000);
	assert_int_equal(cap_of(a, 1), 5000);
	assert_int_equal(scmi_powercap_cap_set(a, 0, 10000), 0);
	assert_int_equal(cap_of(a, 0), 10000);
	assert_int_equal(scmi_powercap_cap_set(a, 0, 1000), 0);
	assert_int_equal(scmi_powercap_cap_set(a, 0, 15000), 0);
	/* the platform judges values */
	assert_int_equal(scmi_powercap_cap_set(a, 0, 10250), -ERANGE);
	assert_int_equal(scmi_powercap_cap_set(a, 0, 15500), -ERANGE);
	assert_int_equal(scmi_powercap_cap_set(a, 0, 500), -ERANGE);
	assert_int_equal(scmi_powercap_cap_set(a, 1, 5000), -EACCES);
	assert_int_equal(cap_of(a, 0), 15000);

	/* disable (cap 0) and enable again (the last cap) */
	assert_int_equal(scmi_powercap_cap_enable_get(a, 0, &on), 0);
	assert_true(on);
	assert_int_equal(scmi_powercap_cap_enable_set(a, 0, false), 0);
	assert_int_equal(cap_of(a, 0), 0);
	assert_int_equal(scmi_powercap_cap_enable_get(a, 0, &on), 0);
	assert_false(on);
	/* while disabled a cap is only remembered */
	before = fx_commands(a);
	assert_int_equal(scmi_powercap_cap_set(a, 0, 11000), 0);
	assert_true(fx_commands(a) == before);
	assert_int_equal(cap_of(a, 0), 0);
	assert_int_equal(scmi_powercap_cap_enable_set(a, 0, true), 0);
	assert_int_equal(cap_of(a, 0), 11000);
	assert_int_equal(scmi_powercap_cap_enable_set(a, 0, true), 0);
	assert_int_equal(scmi_powercap_cap_enable_get(a, 0, &on), 0);
	assert_true(on);
	/* a fixed cap cannot be disabled */
	assert_int_equal(scmi_powercap_cap_enable_set(a, 1, false), -EACCES);

	/* refused before sending */
	before = fx_commands(a);
	assert_int_equal(scmi_powercap_cap_set(a, 0, 0), -EINVAL);
	assert_int_equal(scmi_powercap_cap_set(a, 2, 1000), -EINVAL);
	assert_int_equal(scmi_powercap_cap_get(a, 2, &cap), -EINVAL);
	assert_int_equal(scmi_powercap_cap_get(a, 0, NULL), -EINVAL);
	assert_int_equal(scmi_powercap_cap_enable_set(a, 2, true), -EINVAL);
	assert_int_equal(scmi_powercap_cap_enable_get(a, 0, NULL), -EINVAL);
	assert_int_equal(scmi_powercap_cap_set(NULL, 0, 1000), -EINVAL);
	assert_true(fx_commands(a) == before);

	/* CAP_SET flags on the wire */
	scmi_put_le32(tx, 0);
	scmi_put_le32(tx + 8, 2000);
	scmi_put_le32(tx + 4, 0x2); /* async, wants a delayed response */
	assert_int_equal(scmi_agent_xfer_async(a, SCMI_PROTOCOL_POWERCAP,
					       POWERCAP_CAP_SET, tx, 12, rx,
					       sizeof(rx), &n), 0);
	assert_int_equal(n, 8);               /* domain_id, power_cap */
	assert_int_equal(scmi_get_le32(rx), 0);
	assert_int_equal(scmi_get_le32(rx + 4), 2000);
	assert_int_equal(cap_of(a, 0), 2000);
	scmi_put_le32(tx + 4, 0x0);
	scmi_put_le32(tx + 8, 11000);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_POWERCAP,
					 POWERCAP_CAP_SET, tx, 12, NULL, 0,
					 NULL), 0);
	scmi_put_le32(tx + 8, 2000);
	scmi_put_le32(tx + 4, 0x4); /* reserved */
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_POWERCAP,
					 POWERCAP_CAP_SET, tx, 12, NULL, 0,
					 NULL), -EINVAL);
	assert_int_equal(cap_of(a, 0), 11000);
	scmi_put_le32(tx + 4, 0x3); /* async, ignore the delayed response */
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_POWERCAP,
					 POWERCAP_CAP_SET, tx, 12, NULL, 0,
					 NULL), 0);
	assert_int_equal(cap_of(a, 0), 2000);
	scmi_put_le32(tx + 4, 0x1); /* ignore alone: a plain synchronous set */
	scmi_put_le32(tx + 8, 2500);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_POWERCAP,
					 POWERCAP_CAP_SET, tx, 12, NULL, 0,
					 NULL), 0);
	assert_int_equal(cap_of(a, 0), 2500);
	scmi_put_le32(tx, 1); /* fixed: DENIED before anything else */
	scmi_put_le32(tx + 4, 0x3);
	scmi_put_le32(tx + 8, 5000);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_POWERCAP,
					 POWERCAP_CAP_SET, tx, 12, NULL, 0,
					 NULL), -EACCES);
	scmi_put_le32(tx, 2);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_POWERCAP,
					 POWERCAP_CAP_SET, tx, 12, NULL, 0,
					 NULL), -ENOENT);
}

static void test_pai_and_measurements(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	uint32_t pai, power, low, high;
	uint8_t tx[16];
	uint64_t before;

	assert_int_equal(scmi_powercap_pai_get(a, 0, &pai), 0);
	assert_int_equal(pai, 1000);
	assert_int_equal(scmi_powercap_pai_get(a, 1, &pai), 0);
	assert_int_equal(pai, 1000);
	assert_int_equal(scmi_powercap_pai_set(a, 0, 2000), 0);
	assert_int_equal(scmi_powercap_pai_get(a, 0, &pai), 0);
	assert_int_equal(pai, 2000);
	assert_int_equal(scmi_powercap_pai_set(a, 0, 100), 0);
	assert_int_equal(scmi_powercap_pai_set(a, 0, 10000), 0);
	assert_int_equal(scmi_powercap_pai_set(a, 0, 150), -ERANGE);
	assert_int_equal(scmi_powercap_pai_set(a, 0, 50), -ERANGE);
	assert_int_equal(scmi_powercap_pai_set(a, 0, 10100), -ERANGE);
	assert_int_equal(scmi_powercap_pai_set(a, 1, 1000), -EACCES);
	assert_int_equal(scmi_powercap_pai_get(a, 0, &pai), 0);
	assert_int_equal(pai, 10000);

	power = pai = 0;
	assert_int_equal(scmi_powercap_measurements_get(a, 0, &power, &pai), 0);
	assert_int_equal(power, 6000);
	assert_int_equal(pai, 10000);
	assert_int_equal(scmi_powercap_measurements_get(a, 1, &power, &pai), 0);
	assert_int_equal(power, 2000);
	assert_int_equal(pai, 1000);
	fx_ctl(fx, "powercap measure 1 2500");
	assert_int_equal(scmi_powercap_measurements_get(a, 1, &power, NULL), 0);
	assert_int_equal(power, 2500);
	assert_int_equal(scmi_powercap_measurements_get(a, 1, NULL, NULL), 0);

	/* thresholds: none yet; bad pairs refused */
	assert_int_equal(scmi_powercap_measurements_threshold_get(a, 0, &low,
								  &high), 0);
	assert_int_equal(low, 0);
	assert_int_equal(high, 0);
	before = fx_commands(a);
	assert_int_equal(scmi_powercap_measurements_threshold_set(a, 0, 0, 0),
			 -EINVAL);
	assert_int_equal(scmi_powercap_measurements_threshold_set(a, 0, 5, 4),
			 -EINVAL);
	assert_int_equal(scmi_powercap_measurements_threshold_set(a, 2, 1, 4),
			 -EINVAL);
	/* not enabled: kept, nothing sent */
	assert_int_equal(scmi_powercap_measurements_threshold_set(a, 0, 0, 9),
			 0);
	assert_int_equal(scmi_powercap_measurements_threshold_get(a, 0, &low,
								  &high), 0);
	assert_int_equal(low, 0);
	assert_int_equal(high, 9);
	assert_int_equal(scmi_powercap_pai_get(a, 2, &pai), -EINVAL);
	assert_int_equal(scmi_powercap_pai_get(a, 0, NULL), -EINVAL);
	assert_int_equal(scmi_powercap_pai_set(a, 2, 100), -EINVAL);
	assert_int_equal(scmi_powercap_measurements_get(a, 2, &power, &pai),
			 -EINVAL);
	assert_true(fx_commands(a) == before);

	/* the wire: PAI_SET flags, MEASUREMENTS_NOTIFY parameters */
	scmi_put_le32(tx, 0);
	scmi_put_le32(tx + 4, 1);
	scmi_put_le32(tx + 8, 1000);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_POWERCAP,
					 POWERCAP_PAI_SET, tx, 12, NULL, 0,
					 NULL), -EINVAL);
	scmi_put_le32(tx, 2);
	scmi_put_le32(tx + 4, 0);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_POWERCAP,
					 POWERCAP_PAI_SET, tx, 12, NULL, 0,
					 NULL), -ENOENT);
	scmi_put_le32(tx, 0);
	scmi_put_le32(tx + 4, 1);
	scmi_put_le32(tx + 8, 10);
	scmi_put_le32(tx + 12, 5); /* low above high */
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_POWERCAP,
					 POWERCAP_MEASUREMENTS_NOTIFY, tx, 16,
					 NULL, 0, NULL), -EINVAL);
	scmi_put_le32(tx + 4, 2); /* reserved bit */
	scmi_put_le32(tx + 12, 50);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_POWERCAP,
					 POWERCAP_MEASUREMENTS_NOTIFY, tx, 16,
					 NULL, 0, NULL), -EINVAL);
	scmi_put_le32(tx, 1);
	scmi_put_le32(tx + 4, 1);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_POWERCAP,
					 POWERCAP_MEASUREMENTS_NOTIFY, tx, 16,
					 NULL, 0, NULL), -EOPNOTSUPP);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_POWERCAP,
					 POWERCAP_CAP_NOTIFY, tx, 8, NULL, 0,
					 NULL), -EOPNOTSUPP);
	scmi_put_le32(tx, 2);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_POWERCAP,
					 POWERCAP_CAP_NOTIFY, tx, 8, NULL, 0,
					 NULL), -ENOENT);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_POWERCAP,
					 POWERCAP_MEASUREMENTS_NOTIFY, tx, 16,
					 NULL, 0, NULL), -ENOENT);
}

static void test_control_errors(void **state)
{
	struct fx *fx = *state;
	char reply[128];

	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "powercap cap 0 123"), -ERANGE);
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "powercap cap 1 6000"), -ERANGE);
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "powercap pai 0 99"), -ERANGE);
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "powercap measure 2 1"), -ENOENT);
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "powercap cap 0"), -EINVAL);
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "powercap measure 0 -5"), -EINVAL);
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "powercap frob 0 1"), -EOPNOTSUPP);
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "powercap cap 1 0"), 0); /* the platform may */
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "powercap cap 0 14500"), 0);
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "powercap pai 0 300"), 0);
	{
		struct scmi_agent *a = fx_agent_connected(fx, 0);
		uint32_t pai;

		assert_int_equal(cap_of(a, 0), 14500);
		assert_int_equal(cap_of(a, 1), 0);
		assert_int_equal(scmi_powercap_pai_get(a, 0, &pai), 0);
		assert_int_equal(pai, 300);
	}
}

/* ---- events ---------------------------------------------------------- */

static void test_cap_events(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	struct scmi_agent *b = fx_agent_connected(fx, 1);
	struct fx_recorder l;
	const uint32_t d0 = 0;
	uint64_t t0, t1, seen;

	fx_rec_init(&l, SCMI_PROTOCOL_POWERCAP);
	assert_int_equal(fx_rec_register(&l, a, EVT_CAP, &d0), 0);

	/* another agent's command: its id in the report */
	t0 = sim_now_ns();
	assert_int_equal(scmi_powercap_cap_set(b, 0, 9000), 0);
	assert_int_equal(fx_rec_wait(&l, 1, WAIT_MS), 1);
	t1 = sim_now_ns();
	check_cap(&l, 0, scmi_agent_id(b), 0, 9000, 1000, t0, t1);
	t0 = sim_now_ns();
	assert_int_equal(scmi_powercap_pai_set(b, 0, 3000), 0);
	assert_int_equal(fx_rec_wait(&l, 2, WAIT_MS), 2);
	check_cap(&l, 1, scmi_agent_id(b), 0, 9000, 3000, t0, sim_now_ns());
	/* its own: its own id */
	t0 = sim_now_ns();
	assert_int_equal(scmi_powercap_cap_enable_set(a, 0, false), 0);
	assert_int_equal(fx_rec_wait(&l, 3, WAIT_MS), 3);
	check_cap(&l, 2, scmi_agent_id(a), 0, 0, 3000, t0, sim_now_ns());
	/* the platform's: agent 0 */
	t0 = sim_now_ns();
	fx_ctl(fx, "powercap cap 0 14000");
	assert_int_equal(fx_rec_wait(&l, 4, WAIT_MS), 4);
	check_cap(&l, 3, 0, 0, 14000, 3000, t0, sim_now_ns());
	/* no change, failed sets, another domain: nothing */
	fx_ctl(fx, "powercap cap 0 14000");
	assert_int_equal(scmi_powercap_pai_set(b, 0, 3000), 0);
	assert_int_equal(scmi_powercap_cap_set(b, 0, 14250), -ERANGE);
	fx_ctl(fx, "powercap cap 1 0");
	assert_int_equal(fx_rec_count_after(&l, QUIET_MS), 4);
	/* b never subscribed: it received nothing */
	assert_true(fx_notifications(b) == 0);

	/* unsubscribed: the platform stops */
	assert_int_equal(fx_rec_unregister(&l, a, EVT_CAP, &d0), 0);
	sim_sleep_ms(QUIET_MS);
	seen = fx_notifications(a);
	assert_true(seen == 4);
	assert_int_equal(scmi_powercap_cap_set(b, 0, 8000), 0);
	fx_ctl(fx, "powercap pai 0 500");
	assert_int_equal(fx_rec_count_after(&l, QUIET_MS), 4);
	assert_true(fx_notifications(a) == seen);
	fx_rec_fini(&l);
}

static void test_measurement_events(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	struct scmi_agent *b = fx_agent_connected(fx, 1);
	struct fx_recorder l, lb;
	const uint32_t d0 = 0;
	uint32_t low, high;
	uint64_t t0, seen;

	fx_rec_init(&l, SCMI_PROTOCOL_POWERCAP);
	fx_rec_init(&lb, SCMI_PROTOCOL_POWERCAP);
	/* no thresholds set: [the power now, the power now] */
	assert_int_equal(fx_rec_register(&l, a, EVT_MEAS, &d0), 0);
	assert_int_equal(scmi_powercap_measurements_threshold_get(a, 0, &low,
								  &high), 0);
	assert_int_equal(low, 6000);
	assert_int_equal(high, 6000);
	t0 = sim_now_ns();
	fx_ctl(fx, "powercap measure 0 7000");
	assert_int_equal(fx_rec_wait(&l, 1, WAIT_MS), 1);
	check_meas(&l, 0, 0, 7000, t0, sim_now_ns());
	t0 = sim_now_ns();
	fx_ctl(fx, "powercap measure 0 6000"); /* back in the band: nothing */
	fx_ctl(fx, "powercap measure 0 5999");
	assert_int_equal(fx_rec_wait(&l, 2, WAIT_MS), 2);
	check_meas(&l, 1, 0, 5999, t0, sim_now_ns());

	/* new thresholds: re-sent at once */
	assert_int_equal(scmi_powercap_measurements_threshold_set(a, 0, 5000,
								  8000), 0);
	fx_ctl(fx, "powercap measure 0 7500");
	fx_ctl(fx, "powercap measure 0 5000");
	fx_ctl(fx, "powercap measure 0 8000");
	t0 = sim_now_ns();
	fx_ctl(fx, "powercap measure 0 8001");
	assert_int_equal(fx_rec_wait(&l, 3, WAIT_MS), 3);
	check_meas(&l, 2, 0, 8001, t0, sim_now_ns());

	/* b's band is its own: [1, 20000] */
	assert_int_equal(scmi_powercap_measurements_threshold_set(b, 0, 1,
								  20000), 0);
	assert_int_equal(fx_rec_register(&lb, b, EVT_MEAS, &d0), 0);
	t0 = sim_now_ns();
	fx_ctl(fx, "powercap measure 0 10000");
	assert_int_equal(fx_rec_wait(&l, 4, WAIT_MS), 4);
	check_meas(&l, 3, 0, 10000, t0, sim_now_ns());
	t0 = sim_now_ns();
	fx_ctl(fx, "powercap measure 0 25000");
	assert_int_equal(fx_rec_wait(&l, 5, WAIT_MS), 5);
	assert_int_equal(fx_rec_wait(&lb, 1, WAIT_MS), 1);
	check_meas(&l, 4, 0, 25000, t0, sim_now_ns());
	check_meas(&lb, 0, 0, 25000, t0, sim_now_ns());
	assert_true(fx_notifications(b) == 1);

	/* a unsubscribes: b still hears, a does not */
	assert_int_equal(fx_rec_unregister(&l, a, EVT_MEAS, &d0), 0);
	sim_sleep_ms(QUIET_MS);
	seen = fx_notifications(a);
	assert_true(seen == 5);
	t0 = sim_now_ns();
	fx_ctl(fx, "powercap measure 0 0");
	assert_int_equal(fx_rec_wait(&lb, 2, WAIT_MS), 2);
	check_meas(&lb, 1, 0, 0, t0, sim_now_ns());
	assert_int_equal(fx_rec_count_after(&l, QUIET_MS), 5);
	assert_true(fx_notifications(a) == seen);
	assert_int_equal(fx_rec_unregister(&lb, b, EVT_MEAS, &d0), 0);
	fx_rec_fini(&l);
	fx_rec_fini(&lb);
}

static void test_pending_before_connect(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_new(fx, 0);
	struct fx_recorder l;
	unsigned int seen;
	uint64_t t0;

	fx_rec_init(&l, SCMI_PROTOCOL_POWERCAP);
	/* all sources: only domain 0 can */
	assert_int_equal(fx_rec_register(&l, a, EVT_CAP, NULL), 0);
	assert_int_equal(scmi_agent_connect(a, fx->sim.sock), 0);
	/* the worker binds the handler and enables on its own time */
	for (int i = 0; i < 100 && !fx_rec_count(&l); i++) {
		fx_ctl(fx, "powercap cap 0 %u", i % 2 ? 2000 : 3000);
		fx_rec_wait(&l, 1, 20);
	}
	seen = fx_rec_wait(&l, 1, WAIT_MS);
	assert_true(seen >= 1);
	t0 = sim_now_ns();
	fx_ctl(fx, "powercap cap 0 1500");
	assert_int_equal(fx_rec_wait(&l, seen + 1, WAIT_MS), seen + 1);
	check_cap(&l, seen, 0, 0, 1500, 1000, t0, sim_now_ns());
	assert_int_equal(fx_rec_unregister(&l, a, EVT_CAP, NULL), 0);
	fx_rec_fini(&l);
}

static void test_unsupported_sources(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	struct fx_recorder l;
	const uint32_t d1 = 1, d2 = 2;
	uint64_t before;

	fx_rec_init(&l, SCMI_PROTOCOL_POWERCAP);
	before = fx_commands(a);
	/* domain 1: no notifications at all */
	assert_int_equal(fx_rec_register(&l, a, EVT_CAP, &d1), -EOPNOTSUPP);
	assert_int_equal(fx_rec_register(&l, a, EVT_MEAS, &d1), -EOPNOTSUPP);
	assert_int_equal(fx_rec_register(&l, a, EVT_CAP, &d2), -EINVAL);
	assert_int_equal(fx_rec_register(&l, a, 2, NULL), -EINVAL);
	assert_true(fx_commands(a) == before);
	fx_rec_fini(&l);
}

/*
 * An inconsistent domain fails the whole protocol on the agent's side, as
 * Linux 6.6: each of its rules, one at a time (the simulator's "attr"
 * fault injection), on a fresh agent; the other protocols stay up.
 */
static void test_inconsistent_domain(void **state)
{
	static const struct {
		const char *fault;    /* applied to the default topology */
		const char *undo;
	} cases[] = {
		/* a fixed cap with min != max */
		{ "powercap attr 1 max_cap 6000", "powercap attr 1 max_cap 5000" },
		/* a configurable cap with min == max */
		{ "powercap attr 0 max_cap 1000", "powercap attr 0 max_cap 15000" },
		/* min != max with no step */
		{ "powercap attr 0 cap_step 0", "powercap attr 0 cap_step 500" },
		{ "powercap attr 0 pai_step 0", "powercap attr 0 pai_step 100" },
		/* zero min or max */
		{ "powercap attr 1 min_pai 0", "powercap attr 1 min_pai 1000" },
		{ "powercap attr 0 max_cap 0", "powercap attr 0 max_cap 15000" },
		/* a fixed PAI with min != max */
		{ "powercap attr 1 max_pai 2000", "powercap attr 1 max_pai 1000" },
		/* parents: itself, out of range */
		{ "powercap attr 1 parent 1", "powercap attr 1 parent 0" },
		{ "powercap attr 0 parent 2", "powercap attr 0 parent 4294967295" },
	};
	struct fx *fx = *state;
	char reply[128];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct scmi_agent *a = fx_agent_new(fx, 0);
		struct scmi_base_info bi;

		fx_ctl(fx, "%s", cases[i].fault);
		assert_int_equal(scmi_agent_connect(a, fx->sim.sock), 0);
		assert_int_equal(scmi_powercap_count(a), -EOPNOTSUPP);
		assert_int_equal(scmi_powercap_cap_get(a, 0, &(uint32_t){ 0 }),
				 -EOPNOTSUPP);
		assert_int_equal(scmi_agent_base_info(a, &bi), 0);
		fx_agent_destroy(fx, 0);
		fx_ctl(fx, "%s", cases[i].undo);
	}
	/* undone: consistent again */
	assert_int_equal(scmi_powercap_count(fx_agent_connected(fx, 0)), 2);
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "powercap attr 0 nope 1"), -EINVAL);
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "powercap attr 3 min_cap 1"), -ENOENT);
}

/*
 * Every message id, as the reference platform answers: those Powercap 2.0
 * defines are implemented but POWERCAP_DESCRIBE_FASTCHANNEL (0xC),
 * which are NOT_SUPPORTED; from 0xD on, NOT_FOUND.
 */
static void test_message_ids(void **state)
{
	static const uint8_t unimpl[] = { 0xC };
	static const struct fx_msg_ids ids = {
		SCMI_PROTOCOL_POWERCAP, 0xC, unimpl, sizeof(unimpl),
	};
	struct scmi_agent *a = fx_agent_connected(*state, 0);

	assert_int_equal(fx_msg_ids_mismatches(a, &ids), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_discovery),
		FX_TEST(test_message_ids),
		FX_TEST_SETUP(test_discovery_msgs_64, setup_msgs_64),
		FX_TEST_SETUP(test_discovery_msgs_40, setup_msgs_40),
		FX_TEST(test_cap),
		FX_TEST(test_pai_and_measurements),
		FX_TEST(test_control_errors),
		FX_TEST(test_cap_events),
		FX_TEST(test_measurement_events),
		FX_TEST(test_pending_before_connect),
		FX_TEST(test_unsupported_sources),
		FX_TEST(test_inconsistent_domain),
	};

	return fx_run_tests(tests);
}
