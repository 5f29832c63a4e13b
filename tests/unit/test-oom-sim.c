/* SPDX-License-Identifier: MIT */
/*
 * The simulator under allocation failure (tests/oom/oom.h), its pieces
 * called directly as tests/fuzz does, without its loop: loading a
 * topology file and a scenario file, and an agent's table entry and
 * subscriptions. For every k, the k-th allocation fails (json-c's and
 * libc's included): the load returns -ENOMEM with a message and no exit,
 * abort or leak; the running topology (or the agent's subscriptions) is
 * as before; the same load made again works.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <json-c/json.h>
#include <scmi/wire.h>

#include "agents.h"
#include "fuzz.h"
#include "oom.h"
#include "scenario.h"
#include "topology-file.h"
#include "topology.h"

/* A file in a temporary directory, removed at the end. */
static char tmpdir[] = "/tmp/test-oom-sim.XXXXXX";

static char *tmp_path(const char *name)
{
	static char path[4][256];
	static unsigned int next;
	char *p = path[next++ % 4];

	snprintf(p, sizeof(path[0]), "%s/%s", tmpdir, name);
	return p;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

/* ---- topology files ------------------------------------------------------- */

struct topo_fx {
	const char *path;
	struct sim_topology before;  /* the running topology before a load */
	struct sim_topology want;    /* what the file holds */
	char err[512];
};

/* A running topology that differs from what the file holds. */
static void topo_setup(void *ctx)
{
	struct topo_fx *fx = ctx;

	topology_load_default();
	sim_topo()->num_power = 1;
	snprintf(sim_topo()->power[0].name, SIM_NAME_MAX, "before");
	fx->before = *sim_topo();
	fx->err[0] = '\0';
}

static int topo_call(void *ctx)
{
	struct topo_fx *fx = ctx;

	return topology_file_load(fx->path, fx->err, sizeof(fx->err));
}

static void topo_failed(void *ctx, int err)
{
	struct topo_fx *fx = ctx;

	assert_memory_equal(sim_topo(), &fx->before, sizeof(fx->before));
	assert_non_null(strstr(fx->err, "out of memory"));
}

static void topo_done(void *ctx)
{
	struct topo_fx *fx = ctx;

	assert_memory_equal(sim_topo(), &fx->want, sizeof(fx->want));
}

static void test_topology_file_load(void **state)
{
	struct topo_fx fx = { .path = tmp_path("topology.json") };
	struct oom_path p = {
		.name = "topology_file_load, the default topology, every key",
		.ctx = &fx, .setup = topo_setup, .call = topo_call,
		.check_failed = topo_failed, .check_done = topo_done,
	};
	FILE *f;

	/* the file: what --dump-topology writes, so every key there is */
	topology_load_default();
	fx.want = *sim_topo();
	f = fopen(fx.path, "w");
	assert_non_null(f);
	assert_int_equal(topology_file_dump(&fx.want, f), 0);
	assert_int_equal(fclose(f), 0);
	assert_oom_path(&p);
}

/* ---- scenario files ---------------------------------------------------------- */

struct scen_fx {
	const char *path;
	struct scenario *sc;
	char err[512];
};

static void scen_setup(void *ctx)
{
	struct scen_fx *fx = ctx;

	topology_load_default();
	fx->sc = NULL;
	fx->err[0] = '\0';
}

static int scen_call(void *ctx)
{
	struct scen_fx *fx = ctx;

	return scenario_load(fx->path, &fx->sc, fx->err, sizeof(fx->err));
}

static void scen_failed(void *ctx, int err)
{
	struct scen_fx *fx = ctx;

	assert_null(fx->sc);
	assert_non_null(strstr(fx->err, "out of memory"));
	/* the dry run in a child changes nothing here */
	assert_int_equal(sim_topo()->power[2].state, 0x40000000);
}

static void scen_done(void *ctx)
{
	struct scen_fx *fx = ctx;

	assert_non_null(fx->sc);
	assert_int_equal(sim_topo()->power[2].state, 0x40000000);
}

static void scen_teardown(void *ctx)
{
	struct scen_fx *fx = ctx;

	scenario_free(fx->sc);
	fx->sc = NULL;
}

static void run_scenario(const char *path, const char *name)
{
	struct scen_fx fx = { .path = path };
	struct oom_path p = {
		.name = name, .ctx = &fx, .setup = scen_setup,
		.call = scen_call, .check_failed = scen_failed,
		.check_done = scen_done, .teardown = scen_teardown,
	};

	assert_oom_path(&p);
}

/*
 * Every kind of step: at, after, a pause, loops in a loop, comments (the
 * demo scenarios have no other; each load forks a dry run, so one file).
 */
static const char every_step[] =
	"[\n"
	"  { \"at\": 0, \"do\": \"power set 2 0x0\", \"comment\": \"gpu on\" },\n"
	"  { \"after\": 100, \"do\": \"perf level 0 1400\" },\n"
	"  { \"after\": 50 },\n"
	"  { \"loop\": 2, \"after\": 10, \"steps\": [\n"
	"    { \"at\": 0, \"do\": \"sensor set 0 72000\" },\n"
	"    { \"loop\": 3, \"steps\": [ { \"after\": 5, \"do\": \"clock rate 0 800000000\" } ] }\n"
	"  ] },\n"
	"  { \"loop\": 0, \"steps\": [ { \"after\": 1000, \"do\": \"power set 2 0x40000000\" } ] }\n"
	"]\n";

static void test_scenario_load(void **state)
{
	const char *path = tmp_path("every-step.json");

	write_file(path, every_step);
	run_scenario(path, "scenario_load, every kind of step");
}

/* ---- an agent and its subscriptions ----------------------------------------- */

struct agent_fx {
	struct sim_agent *a;
	unsigned int nsubs;       /* subscriptions setup makes */
};

static void agent_setup(void *ctx)
{
	struct agent_fx *fx = ctx;

	fx->a = NULL;
}

static int agent_call(void *ctx)
{
	struct agent_fx *fx = ctx;

	return agent_new(NULL, NULL, &fx->a);
}

static void agent_failed(void *ctx, int err)
{
	struct agent_fx *fx = ctx;

	assert_null(fx->a);
	assert_null(agent_get(1));
}

static void agent_done(void *ctx)
{
	struct agent_fx *fx = ctx;

	assert_non_null(fx->a);
	assert_int_equal(fx->a->id, 1);
	assert_ptr_equal(agent_get(1), fx->a);
}

static void agent_teardown(void *ctx)
{
	struct agent_fx *fx = ctx;

	if (fx->a)
		agent_free(fx->a);
	fx->a = NULL;
}

static void test_agent_new(void **state)
{
	struct agent_fx fx = { 0 };
	struct oom_path p = {
		.name = "agent_new", .ctx = &fx, .setup = agent_setup,
		.call = agent_call, .check_failed = agent_failed,
		.check_done = agent_done, .teardown = agent_teardown,
	};

	assert_oom_path(&p);
}

/* Subscription i: sources of one power event, then of others. */
#define SUB(i) SCMI_PROTOCOL_POWER, (uint8_t)((i) / 1000), (uint32_t)((i) % 1000)

static void subscribe(void *ctx, unsigned int i)
{
	struct agent_fx *fx = ctx;

	assert_int_equal(sim_subscribe(fx->a, SUB(i), true), 0);
}

static void subs_setup(void *ctx)
{
	struct agent_fx *fx = ctx;

	assert_int_equal(agent_new(NULL, NULL, &fx->a), 0);
	for (unsigned int i = 0; i < fx->nsubs; i++)
		subscribe(fx, i);
}

static int subs_call(void *ctx)
{
	struct agent_fx *fx = ctx;

	return sim_subscribe(fx->a, SUB(fx->nsubs), true);
}

static void subs_failed(void *ctx, int err)
{
	struct agent_fx *fx = ctx;

	assert_int_equal(agent_sub_count(fx->a), fx->nsubs);
	assert_false(agent_is_subscribed(fx->a, SUB(fx->nsubs)));
	for (unsigned int i = 0; i < fx->nsubs; i++)
		assert_true(agent_is_subscribed(fx->a, SUB(i)));
}

static void subs_done(void *ctx)
{
	struct agent_fx *fx = ctx;

	assert_int_equal(agent_sub_count(fx->a), fx->nsubs + 1);
	assert_true(agent_is_subscribed(fx->a, SUB(fx->nsubs)));
}

static void test_sim_subscribe(void **state)
{
	struct agent_fx fx = { 0 };
	struct oom_path p = {
		.ctx = &fx, .setup = subs_setup, .call = subs_call,
		.check_failed = subs_failed, .check_done = subs_done,
		.teardown = agent_teardown,
	};
	unsigned int at[2], n;
	char name[96];

	oom_require();
	p.name = "sim_subscribe, the first subscription (table made)";
	assert_oom_path(&p);
	fx.nsubs = 5;
	p.name = "sim_subscribe, a sixth subscription";
	assert_oom_path(&p);
	/* the subscriptions that grow the table */
	assert_int_equal(agent_new(NULL, NULL, &fx.a), 0);
	n = oom_find_growth(subscribe, &fx, 2000, at, 2);
	agent_teardown(&fx);
	assert_int_equal(n, 2);
	for (unsigned int i = 0; i < n; i++) {
		fx.nsubs = at[i];
		snprintf(name, sizeof(name),
			 "sim_subscribe, the %u-th subscription grows the table",
			 at[i] + 1);
		p.name = name;
		assert_oom_path(&p);
	}
}

/* ---- the harness reaches json-c ----------------------------------------------- */

static struct json_object *built;

/* An array of ten integers: every allocation is json-c's own. */
static int call_json_build(void *ctx)
{
	built = json_object_new_array();
	if (!built)
		return -ENOMEM;
	for (int i = 0; i < 10; i++) {
		struct json_object *v = json_object_new_int(i);

		if (!v || json_object_array_add(built, v)) {
			json_object_put(v);
			json_object_put(built);
			built = NULL;
			return -ENOMEM;
		}
	}
	return 0;
}

static void put_built(void *ctx)
{
	json_object_put(built);
	built = NULL;
}

static void test_json_c_allocations_are_failed(void **state)
{
	struct oom_path p = {
		.name = "json-c builds an array (its own allocations)",
		.call = call_json_build, .teardown = put_built,
	};
	struct oom_result res;

	oom_require();
	assert_true(oom_run(&p, &res));
	/* the array, its list, its growth, and each integer */
	assert_true(res.allocs > 11);
}

/* ---- fixture ------------------------------------------------------------------ */

static int group_setup(void **state)
{
	if (!mkdtemp(tmpdir))
		return -1;
	/* the agent table (4 agents, quiet), as the fuzzers have it */
	fuzz_sim_reset();
	return 0;
}

static int group_teardown(void **state)
{
	unlink(tmp_path("topology.json"));
	unlink(tmp_path("every-step.json"));
	rmdir(tmpdir);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_c_allocations_are_failed),
		cmocka_unit_test(test_topology_file_load),
		cmocka_unit_test(test_scenario_load),
		cmocka_unit_test(test_agent_new),
		cmocka_unit_test(test_sim_subscribe),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
