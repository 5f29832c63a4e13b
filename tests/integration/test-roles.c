/* SPDX-License-Identifier: MIT */
/*
 * Agent roles and permissions, against the real simulator started with a
 * topology of roles (agent 1 a trusted manager, 2 an OSPM agent, 3 a PSCI
 * agent; agents connect in that order and get those ids):
 *   - BASE_DISCOVER_AGENT names the roles, 0 the platform, 0xFFFFFFFF the
 *     caller, one beyond the platform's agents NOT_FOUND;
 *   - an untrusted agent's permission commands are DENIED; a trusted
 *     one's with bad ids NOT_FOUND, reserved flags INVALID_PARAMETERS,
 *     Base's protocol permission DENIED;
 *   - the manager revokes a power domain from agent 2: its commands on it
 *     are DENIED and its notifications withheld while agent 1 still gets
 *     them; BASE_RESET_AGENT_CONFIGURATION gives them back;
 *   - a protocol revoked: every message of it DENIED (PROTOCOL_VERSION
 *     too), Base no longer counts it for that agent; reset restores;
 *   - SYSTEM_POWER_STATE_GET: NOT_SUPPORTED to the PSCI agent, and to
 *     everyone with a full system view;
 *   - the default topology: every agent named agent-<id>, trusted, allowed
 *     everything.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <scmi/agent.h>
#include <scmi/power.h>
#include <scmi/system.h>
#include <scmi/wire.h>

#include "fixture.h"

#define WAIT_MS 2000
#define QUIET_MS 150
#define EVT SCMI_EVENT_POWER_STATE_CHANGED
#define ON 0x00000000u
#define OFF 0x40000000u
#define DEV(proto, dom) ((uint32_t)(proto) << 16 | (dom))
#define BASE_SET_DEVICE_PERMISSIONS 0x9
#define POWER_STATE_GET 0x5

static const char roles_json[] =
	"{ \"power\": [ {}, {}, { \"name\": \"gpu\", \"state\": \"off\" } ],\n"
	"  \"system\": {}, \"clock\": [ {} ],\n"
	"  \"agents\": [ { \"name\": \"manager\", \"type\": \"management\",\n"
	"                  \"trusted\": true },\n"
	"                { \"name\": \"ospm\", \"type\": \"ospm\" },\n"
	"                { \"name\": \"psci\", \"type\": \"psci\",\n"
	"                  \"protocols\": { \"clock\": false },\n"
	"                  \"devices\": { \"power\": [ 0, 1 ] } } ] }\n";

static struct fx_dir dir;

static int start_with(void **state, const char *json)
{
	static char path[128];

	fx_dir_make(&dir, "roles");
	fx_dir_file(&dir, "roles.json", path, sizeof(path));
	fx_write_file(path, json);
	return fx_start(state, (const char *const[]){ "--topology", path,
						      NULL });
}

static int roles_setup(void **state)
{
	return start_with(state, roles_json);
}

static int full_view_setup(void **state)
{
	return start_with(state, "{ \"system\": { \"view\": \"full\" } }\n");
}

static int roles_teardown(void **state)
{
	int r = fx_teardown(state);

	fx_dir_remove(&dir);
	return r;
}

#define ROLES_TEST(f) cmocka_unit_test_setup_teardown(f, roles_setup, roles_teardown)

static void test_discover(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	struct scmi_agent *b = fx_agent_connected(fx, 1);
	char name[16];
	uint32_t id;

	assert_int_equal(scmi_agent_id(a), 1);
	assert_int_equal(scmi_agent_id(b), 2);
	assert_int_equal(scmi_base_discover_agent(a, 0, &id, name), 0);
	assert_int_equal(id, 0);
	assert_string_equal(name, "platform");
	assert_int_equal(scmi_base_discover_agent(a, 1, &id, name), 0);
	assert_string_equal(name, "manager");
	assert_int_equal(scmi_base_discover_agent(b, 0xFFFFFFFFu, &id, name), 0);
	assert_int_equal(id, 2);
	assert_string_equal(name, "ospm");
	assert_int_equal(scmi_base_discover_agent(a, 3, &id, name), 0);
	assert_string_equal(name, "psci");
	/* beyond the roles, within the slots: the default name */
	assert_int_equal(scmi_base_discover_agent(a, 4, &id, name), 0);
	assert_string_equal(name, "agent-4");
	assert_int_equal(scmi_base_discover_agent(a, 9, &id, name), -ENOENT);
}

static void test_untrusted_denied(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	struct scmi_agent *b = fx_agent_connected(fx, 1);
	const uint32_t bad_flags[3] = { 2, DEV(SCMI_PROTOCOL_POWER, 0), 2 };

	assert_int_equal(scmi_base_set_device_permissions(b, 1,
			 DEV(SCMI_PROTOCOL_POWER, 0), false), -EACCES);
	assert_int_equal(scmi_base_set_protocol_permissions(b, 1,
			 DEV(SCMI_PROTOCOL_POWER, 0), SCMI_PROTOCOL_POWER, false),
			 -EACCES);
	assert_int_equal(scmi_base_reset_agent_configuration(b, 1, true),
			 -EACCES);
	/* nothing changed for a */
	assert_int_equal(scmi_power_state_set(a, 0, ON), 0);

	/* the trusted one, with bad ids */
	assert_int_equal(scmi_base_set_device_permissions(a, 9,
			 DEV(SCMI_PROTOCOL_POWER, 0), false), -ENOENT);
	assert_int_equal(scmi_base_set_device_permissions(a, 2,
			 DEV(SCMI_PROTOCOL_POWER, 3), false), -ENOENT);
	assert_int_equal(scmi_base_set_device_permissions(a, 2,
			 DEV(SCMI_PROTOCOL_PERF, 0), false), -ENOENT);
	assert_int_equal(scmi_base_set_protocol_permissions(a, 2,
			 DEV(SCMI_PROTOCOL_POWER, 0), SCMI_PROTOCOL_CLOCK, false),
			 -ENOENT);
	assert_int_equal(scmi_base_set_protocol_permissions(a, 2,
			 DEV(SCMI_PROTOCOL_POWER, 0), SCMI_PROTOCOL_BASE, false),
			 -EACCES);
	assert_int_equal(scmi_base_reset_agent_configuration(a, 9, true),
			 -ENOENT);
	assert_int_equal(fx_raw(a, SCMI_PROTOCOL_BASE,
				BASE_SET_DEVICE_PERMISSIONS, bad_flags, 3, NULL,
				0, NULL), -EINVAL);
	/* the platform, agent 0: nothing to change */
	assert_int_equal(scmi_base_set_device_permissions(a, 0,
			 DEV(SCMI_PROTOCOL_POWER, 0), false), 0);
}

static void test_revoke_device(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	struct scmi_agent *b = fx_agent_connected(fx, 1);
	const uint32_t gpu = 2;
	struct fx_recorder la, lb;
	uint32_t st;

	fx_rec_init(&la, SCMI_PROTOCOL_POWER);
	fx_rec_init(&lb, SCMI_PROTOCOL_POWER);
	assert_int_equal(fx_rec_register(&la, a, EVT, &gpu), 0);
	assert_int_equal(fx_rec_register(&lb, b, EVT, &gpu), 0);

	/* both hear the change while allowed */
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "power set 2 %u", ON), 0);
	assert_int_equal(fx_rec_wait(&la, 1, WAIT_MS), 1);
	assert_int_equal(fx_rec_wait(&lb, 1, WAIT_MS), 1);

	assert_int_equal(scmi_base_set_device_permissions(a, 2,
			 DEV(SCMI_PROTOCOL_POWER, gpu), false), 0);
	assert_int_equal(scmi_power_state_get(b, gpu, &st), -EACCES);
	assert_int_equal(scmi_power_state_set(b, gpu, OFF), -EACCES);
	assert_int_equal(scmi_power_state_get(b, 0, &st), 0);
	assert_int_equal(scmi_power_state_get(a, gpu, &st), 0);

	/* a hears it, b does not */
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "power set 2 %u", OFF), 0);
	assert_int_equal(fx_rec_wait(&la, 2, WAIT_MS), 2);
	assert_int_equal(fx_rec_count_after(&lb, QUIET_MS), 1);

	/* reset: b may again, and hears again (its subscription stayed) */
	assert_int_equal(scmi_base_reset_agent_configuration(a, 2, true), 0);
	assert_int_equal(scmi_power_state_get(b, gpu, &st), 0);
	assert_int_equal(st, OFF);
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "power set 2 %u", ON), 0);
	assert_int_equal(fx_rec_wait(&la, 3, WAIT_MS), 3);
	assert_int_equal(fx_rec_wait(&lb, 2, WAIT_MS), 2);

	/* allowed back one by one too */
	assert_int_equal(scmi_base_set_device_permissions(a, 2,
			 DEV(SCMI_PROTOCOL_POWER, gpu), false), 0);
	assert_int_equal(scmi_power_state_get(b, gpu, &st), -EACCES);
	assert_int_equal(scmi_base_set_device_permissions(a, 2,
			 DEV(SCMI_PROTOCOL_POWER, gpu), true), 0);
	assert_int_equal(scmi_power_state_get(b, gpu, &st), 0);

	assert_int_equal(fx_rec_unregister(&la, a, EVT, &gpu), 0);
	assert_int_equal(fx_rec_unregister(&lb, b, EVT, &gpu), 0);
	fx_rec_fini(&la);
	fx_rec_fini(&lb);
}

/* PROTOCOL_ATTRIBUTES of Base: how many protocols it counts for @a. */
static uint32_t base_num_protocols(struct scmi_agent *a)
{
	uint8_t rx[4];
	size_t n;

	assert_int_equal(fx_raw(a, SCMI_PROTOCOL_BASE,
				SCMI_PROTOCOL_ATTRIBUTES, NULL, 0, rx,
				sizeof(rx), &n), 0);
	assert_int_equal(n, 4);
	return scmi_get_le32(rx) & 0xFF;
}

static void test_revoke_protocol(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	struct scmi_agent *b = fx_agent_connected(fx, 1);
	const uint32_t clk0 = 0;
	uint8_t rx[8];
	size_t n;

	assert_int_equal(base_num_protocols(b), 3);
	assert_int_equal(scmi_base_set_protocol_permissions(a, 2,
			 DEV(SCMI_PROTOCOL_CLOCK, 0), SCMI_PROTOCOL_CLOCK, false),
			 0);
	assert_int_equal(fx_raw(b, SCMI_PROTOCOL_CLOCK, SCMI_PROTOCOL_VERSION,
				NULL, 0, rx, sizeof(rx), &n), -EACCES);
	/* a message the protocol does not define: DENIED first */
	assert_int_equal(fx_raw(b, SCMI_PROTOCOL_CLOCK, 0x40, NULL, 0, rx,
				sizeof(rx), &n), -EACCES);
	assert_int_equal(fx_raw(b, SCMI_PROTOCOL_CLOCK, 0x3, &clk0, 1, NULL, 0,
				NULL), -EACCES);
	assert_int_equal(base_num_protocols(b), 2);
	assert_int_equal(base_num_protocols(a), 3);
	assert_int_equal(fx_raw(a, SCMI_PROTOCOL_CLOCK, SCMI_PROTOCOL_VERSION,
				NULL, 0, rx, sizeof(rx), &n), 0);

	assert_int_equal(scmi_base_reset_agent_configuration(a, 2, false), 0);
	assert_int_equal(base_num_protocols(b), 2);
	assert_int_equal(scmi_base_reset_agent_configuration(a, 2, true), 0);
	assert_int_equal(base_num_protocols(b), 3);
	assert_int_equal(fx_raw(b, SCMI_PROTOCOL_CLOCK, SCMI_PROTOCOL_VERSION,
				NULL, 0, rx, sizeof(rx), &n), 0);
}

/* The topology's own denials: the PSCI agent's. */
static void test_role_denials(void **state)
{
	struct fx *fx = *state;
	const uint32_t d1 = 1, d2 = 2, d3 = 3;
	struct scmi_agent *c;
	uint8_t rx[8];
	size_t n;

	fx_agent_connected(fx, 0);
	fx_agent_connected(fx, 1);
	c = fx_agent_connected(fx, 2);
	assert_int_equal(scmi_agent_id(c), 3);
	assert_int_equal(base_num_protocols(c), 2);
	assert_int_equal(fx_raw(c, SCMI_PROTOCOL_CLOCK, SCMI_PROTOCOL_VERSION,
				NULL, 0, rx, sizeof(rx), &n), -EACCES);
	/*
	 * raw: the library's power driver does not come up for this agent
	 * (POWER_DOMAIN_ATTRIBUTES of domain 2 is DENIED at its discovery)
	 */
	assert_int_equal(fx_raw(c, SCMI_PROTOCOL_POWER, POWER_STATE_GET, &d1, 1,
				rx, sizeof(rx), &n), 0);
	/* power domain 2 is not its: DENIED; one beyond the three: NOT_FOUND */
	assert_int_equal(fx_raw(c, SCMI_PROTOCOL_POWER, POWER_STATE_GET, &d2, 1,
				rx, sizeof(rx), &n), -EACCES);
	assert_int_equal(fx_raw(c, SCMI_PROTOCOL_POWER, POWER_STATE_GET, &d3, 1,
				rx, sizeof(rx), &n), -ENOENT);
	/* the PSCI agent is not told the system state */
	assert_int_equal(fx_raw(c, SCMI_PROTOCOL_SYSTEM, 0x4, NULL, 0, rx,
				sizeof(rx), &n), -EOPNOTSUPP);
	assert_int_equal(fx_raw(fx->agents[1], SCMI_PROTOCOL_SYSTEM, 0x4, NULL,
				0, rx, sizeof(rx), &n), 0);
}

static void test_full_view(void **state)
{
	struct scmi_agent *a = fx_agent_connected(*state, 0);
	uint8_t rx[8];
	size_t n;

	assert_int_equal(fx_raw(a, SCMI_PROTOCOL_SYSTEM, 0x4, NULL, 0, rx,
				sizeof(rx), &n), -EOPNOTSUPP);
}

/* The default topology: as before roles, and every agent trusted. */
static void test_default_unchanged(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	struct scmi_agent *b = fx_agent_connected(fx, 1);
	char name[16];
	uint32_t id, st;

	assert_int_equal(scmi_base_discover_agent(b, 0xFFFFFFFFu, &id, name), 0);
	assert_string_equal(name, "agent-2");
	assert_int_equal(base_num_protocols(a), 8);
	assert_int_equal(base_num_protocols(b), 8);
	assert_int_equal(scmi_power_state_get(b, 2, &st), 0);
	/* b may change a's access, and put it back */
	assert_int_equal(scmi_base_set_device_permissions(b, 1,
			 DEV(SCMI_PROTOCOL_POWER, 2), false), 0);
	assert_int_equal(scmi_power_state_get(a, 2, &st), -EACCES);
	assert_int_equal(scmi_base_reset_agent_configuration(b, 1, true), 0);
	assert_int_equal(scmi_power_state_get(a, 2, &st), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		ROLES_TEST(test_discover),
		ROLES_TEST(test_untrusted_denied),
		ROLES_TEST(test_revoke_device),
		ROLES_TEST(test_revoke_protocol),
		ROLES_TEST(test_role_denials),
		cmocka_unit_test_setup_teardown(test_full_view,
						full_view_setup, roles_teardown),
		FX_TEST(test_default_unchanged),
	};

	return fx_run_tests(tests);
}
