/* SPDX-License-Identifier: MIT */
/*
 * Topology files end to end, with the real simulator (scmi-sim):
 *   - the round trip: --dump-topology of the default, loaded back and
 *     dumped again, is byte for byte the same, and an agent's discovery
 *     (a transcript of every discovery command's raw answer) is the same
 *     against the default and against the file;
 *   - a small custom file (2 power domains, 1 sensor, nothing else):
 *     Base lists only power and sensor, the other protocols answer
 *     NOT_SUPPORTED, the domains are what the file and the defaults say;
 *   - bad files: each one makes scmi-sim exit 2 without starting, with a
 *     message naming the file, the place (line:col and JSON path) and the
 *     problem.
 *
 * The simulator runs either beside the test (sim_start) or, for --dump-
 * topology and bad files, as a command whose output is captured (run()).
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include <scmi/agent.h>
#include <scmi/power.h>
#include <scmi/perf.h>
#include <scmi/protocols.h>
#include <scmi/sensor.h>
#include <scmi/wire.h>

#include "fixture.h"

#define TIMEOUT_MS 1000       /* generous: valgrind runs these too */
#define RUN_TIMEOUT_MS 20000  /* a simulator run as a command */
#define MAX_DOMAINS 16        /* the simulator's SIM_MAX_DOMAINS */

/* ---- running the simulator as a command ----------------------------- */

struct run {
	int status;               /* as waitpid() gives it */
	char *out, *err;          /* what it wrote, NUL-terminated */
};

/* Run the simulator with @args (NULL-terminated) to its end. */
static void run(struct run *r, const char *const *args)
{
	char out_path[] = "/tmp/scmi-test-out-XXXXXX";
	char err_path[] = "/tmp/scmi-test-err-XXXXXX";
	const char *argv[32];
	uint64_t deadline;
	int out_fd, err_fd;
	size_t n = 0;
	pid_t pid;

	assert_non_null(sim_exe());
	argv[n++] = sim_exe();
	for (size_t i = 0; args[i] && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	out_fd = mkstemp(out_path);
	err_fd = mkstemp(err_path);
	assert_true(out_fd >= 0 && err_fd >= 0);
	unlink(out_path);
	unlink(err_path);

	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		dup2(out_fd, STDOUT_FILENO);
		dup2(err_fd, STDERR_FILENO);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	deadline = sim_now_ns() + RUN_TIMEOUT_MS * 1000000ull;
	for (;;) {
		pid_t w = waitpid(pid, &r->status, WNOHANG);

		if (w == pid)
			break;
		if (sim_now_ns() > deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, &r->status, 0);
			fail_msg("scmi-sim did not end within %d ms", RUN_TIMEOUT_MS);
		}
		sim_sleep_ms(5);
	}
	r->out = fx_slurp(out_fd);
	r->err = fx_slurp(err_fd);
	close(out_fd);
	close(err_fd);
}

static void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
}

static int exit_status(const struct run *r)
{
	return WIFEXITED(r->status) ? WEXITSTATUS(r->status) : -1;
}

/* ---- the discovery transcript ---------------------------------------- */

/*
 * Every discovery command (and every read of state) of every protocol,
 * for every domain id up to one past the largest possible: its status and
 * its raw return bytes, one after the other.
 */
struct transcript {
	uint8_t *buf;
	size_t len, cap;
	unsigned int commands;
};

static void rec(struct transcript *t, struct scmi_agent *a, uint8_t proto,
		uint8_t msg, unsigned int nargs, uint32_t a0, uint32_t a1)
{
	uint8_t tx[8], rx[128];
	size_t n = 0;
	int32_t ret;

	scmi_put_le32(tx, a0);
	scmi_put_le32(tx + 4, a1);
	ret = scmi_agent_xfer(a, proto, msg, tx, 4 * nargs, rx, sizeof(rx), &n);
	if (n > sizeof(rx))
		n = sizeof(rx);
	if (t->len + 16 + n > t->cap) {
		t->cap = (t->cap + 16 + n) * 2;
		t->buf = realloc(t->buf, t->cap);
		assert_non_null(t->buf);
	}
	t->buf[t->len++] = proto;
	t->buf[t->len++] = msg;
	scmi_put_le32(t->buf + t->len, a0);
	scmi_put_le32(t->buf + t->len + 4, (uint32_t)ret);
	scmi_put_le32(t->buf + t->len + 8, (uint32_t)n);
	t->len += 12;
	memcpy(t->buf + t->len, rx, ret ? 0 : n);
	t->len += ret ? 0 : n;
	t->commands++;
}

static const struct {
	uint8_t proto, msg;
	unsigned int nargs;       /* the domain id, then 0 */
} per_domain[] = {
	{ SCMI_PROTOCOL_POWER, 0x3, 1 }, { SCMI_PROTOCOL_POWER, 0x5, 1 },
	{ SCMI_PROTOCOL_POWER, 0x8, 1 },
	{ SCMI_PROTOCOL_PERF, 0x3, 1 }, { SCMI_PROTOCOL_PERF, 0x4, 2 },
	{ SCMI_PROTOCOL_PERF, 0x6, 1 }, { SCMI_PROTOCOL_PERF, 0x8, 1 },
	{ SCMI_PROTOCOL_PERF, 0xC, 1 },
	{ SCMI_PROTOCOL_CLOCK, 0x3, 1 }, { SCMI_PROTOCOL_CLOCK, 0x4, 2 },
	{ SCMI_PROTOCOL_CLOCK, 0x6, 1 }, { SCMI_PROTOCOL_CLOCK, 0x8, 1 },
	{ SCMI_PROTOCOL_SENSOR, 0x3, 1 }, { SCMI_PROTOCOL_SENSOR, 0x6, 2 },
	{ SCMI_PROTOCOL_SENSOR, 0x8, 2 }, { SCMI_PROTOCOL_SENSOR, 0x9, 1 },
	{ SCMI_PROTOCOL_SENSOR, 0xC, 1 },
	{ SCMI_PROTOCOL_RESET, 0x3, 1 }, { SCMI_PROTOCOL_RESET, 0x6, 1 },
	{ SCMI_PROTOCOL_VOLTAGE, 0x3, 1 }, { SCMI_PROTOCOL_VOLTAGE, 0x4, 2 },
	{ SCMI_PROTOCOL_VOLTAGE, 0x6, 1 }, { SCMI_PROTOCOL_VOLTAGE, 0x8, 1 },
	{ SCMI_PROTOCOL_VOLTAGE, 0x9, 1 },
	{ SCMI_PROTOCOL_POWERCAP, 0x3, 1 }, { SCMI_PROTOCOL_POWERCAP, 0x4, 1 },
	{ SCMI_PROTOCOL_POWERCAP, 0x6, 1 }, { SCMI_PROTOCOL_POWERCAP, 0x8, 1 },
	{ SCMI_PROTOCOL_POWERCAP, 0x9, 1 },
};

static void transcript_of(struct sim *s, struct transcript *t)
{
	struct scmi_agent_config cfg = { .timeout_ms = TIMEOUT_MS };
	struct scmi_agent *a = NULL;

	memset(t, 0, sizeof(*t));
	assert_int_equal(scmi_agent_create(&a, &cfg), 0);
	assert_int_equal(scmi_agent_connect(a, s->sock), 0);

	for (uint8_t m = 0x0; m <= 0x8; m++)
		if (m != 0x2 && m != 0x7)
			rec(t, a, SCMI_PROTOCOL_BASE, m, m == 0x6 ? 1 : 0, 0, 0);
	rec(t, a, SCMI_PROTOCOL_BASE, 0x7, 1, 0, 0);
	for (uint8_t p = SCMI_PROTOCOL_BASE; p <= SCMI_PROTOCOL_POWERCAP; p++) {
		rec(t, a, p, SCMI_PROTOCOL_VERSION, 0, 0, 0);
		rec(t, a, p, SCMI_PROTOCOL_ATTRIBUTES, 0, 0, 0);
		for (uint32_t m = 0; m <= 0x10; m++)
			rec(t, a, p, SCMI_PROTOCOL_MESSAGE_ATTRIBUTES, 1, m, 0);
	}
	rec(t, a, SCMI_PROTOCOL_SYSTEM, 0x4, 0, 0, 0);
	for (size_t i = 0; i < sizeof(per_domain) / sizeof(per_domain[0]); i++)
		for (uint32_t d = 0; d <= MAX_DOMAINS; d++)
			rec(t, a, per_domain[i].proto, per_domain[i].msg,
			    per_domain[i].nargs, d, 0);
	scmi_agent_destroy(a);
}

/* ---- the round trip -------------------------------------------------- */

static void test_round_trip(void **state)
{
	struct fx_dir d;
	char path[128];
	struct run r1, r2, r3;
	struct sim s1, s2;
	struct transcript t1, t2;

	fx_dir_make(&d, "topo");
	fx_dir_file(&d, "default.json", path, sizeof(path));

	/* the default, dumped */
	run(&r1, (const char *const[]){ "--dump-topology", NULL });
	assert_int_equal(exit_status(&r1), 0);
	assert_string_equal(r1.err, "");
	assert_true(strlen(r1.out) > 1000);
	assert_true(r1.out[0] == '{');
	fx_write_file(path, r1.out);

	/* loaded and dumped again: the same bytes */
	run(&r2, (const char *const[]){ "--topology", path, "--dump-topology",
					NULL });
	assert_int_equal(exit_status(&r2), 0);
	assert_string_equal(r2.err, "");
	assert_string_equal(r2.out, r1.out);
	/* --check alone: quiet, 0 */
	run(&r3, (const char *const[]){ "--topology", path, "--check", NULL });
	assert_int_equal(exit_status(&r3), 0);
	assert_string_equal(r3.out, "");
	assert_string_equal(r3.err, "");

	/* what an agent discovers: the same, byte for byte */
	assert_int_equal(sim_start(&s1, NULL), 0);
	transcript_of(&s1, &t1);
	sim_stop(&s1);
	assert_int_equal(sim_start(&s2, (const char *const[]){ "--topology",
							       path, NULL }),
			 0);
	transcript_of(&s2, &t2);
	sim_stop(&s2);
	assert_true(t1.commands > 500);
	assert_int_equal(t1.commands, t2.commands);
	assert_int_equal(t1.len, t2.len);
	assert_memory_equal(t1.buf, t2.buf, t1.len);

	free(t1.buf);
	free(t2.buf);
	run_free(&r1);
	run_free(&r2);
	run_free(&r3);
	fx_dir_remove(&d);
}

/* ---- a small custom topology ----------------------------------------- */

static const char custom[] =
	"{\n"
	"  \"power\": [\n"
	"    { \"name\": \"cpu\", \"async\": true },\n"
	"    { \"state\": \"off\", \"notify\": false }\n"
	"  ],\n"
	"  \"sensor\": [\n"
	"    { \"name\": \"board-temp\", \"scale\": -3, \"value\": 30000,\n"
	"      \"trips\": [ { \"value\": 50000 } ] }\n"
	"  ]\n"
	"}\n";

static void test_custom(void **state)
{
	struct scmi_agent_config cfg = { .timeout_ms = TIMEOUT_MS };
	static const uint8_t offered[] = { SCMI_PROTOCOL_POWER,
					   SCMI_PROTOCOL_SENSOR };
	static const uint8_t others[] = {
		SCMI_PROTOCOL_SYSTEM, SCMI_PROTOCOL_PERF, SCMI_PROTOCOL_CLOCK,
		SCMI_PROTOCOL_RESET, SCMI_PROTOCOL_VOLTAGE,
		SCMI_PROTOCOL_POWERCAP, 0x19, 0x80,
	};
	struct scmi_power_domain_info pi;
	struct scmi_sensor_info si;
	struct scmi_agent *a = NULL;
	struct scmi_base_info bi;
	struct run r1, r2;
	struct fx_dir d;
	char path[128], path2[128];
	struct sim s;
	uint8_t rx[16];
	size_t n;
	int64_t value;

	fx_dir_make(&d, "topo");
	fx_dir_file(&d, "small.json", path, sizeof(path));
	fx_write_file(path, custom);

	assert_int_equal(sim_start(&s, (const char *const[]){ "--topology", path,
							      NULL }), 0);
	assert_int_equal(scmi_agent_create(&a, &cfg), 0);
	assert_int_equal(scmi_agent_connect(a, s.sock), 0);

	/* Base lists only what the file offers */
	assert_int_equal(scmi_agent_base_info(a, &bi), 0);
	assert_int_equal(bi.num_protocols, 2);
	assert_memory_equal(bi.protocols, offered, sizeof(offered));
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_BASE,
					 SCMI_PROTOCOL_ATTRIBUTES, NULL, 0, rx,
					 sizeof(rx), &n), 0);
	assert_int_equal(scmi_get_le32(rx) & 0xFF, 2);

	/* the others: NOT_SUPPORTED, on the wire and through the library */
	for (size_t i = 0; i < sizeof(others); i++) {
		assert_int_equal(scmi_agent_xfer(a, others[i],
						 SCMI_PROTOCOL_VERSION, NULL, 0,
						 rx, sizeof(rx), &n),
				 -EOPNOTSUPP);
		assert_int_equal(scmi_agent_xfer(a, others[i],
						 SCMI_PROTOCOL_ATTRIBUTES, NULL,
						 0, rx, sizeof(rx), &n),
				 -EOPNOTSUPP);
	}
	assert_int_equal(scmi_perf_domain_count(a), -EOPNOTSUPP);

	/* power: the file's domains, the defaults where it says nothing */
	assert_int_equal(scmi_power_domain_count(a), 2);
	assert_int_equal(scmi_power_domain_info_get(a, 0, &pi), 0);
	assert_string_equal(pi.name, "cpu");
	assert_true(pi.notify);
	assert_true(pi.async);
	assert_int_equal(pi.state, SCMI_POWER_STATE_ON);
	assert_int_equal(scmi_power_domain_info_get(a, 1, &pi), 0);
	assert_string_equal(pi.name, "power1");
	assert_false(pi.notify);
	assert_false(pi.async);
	assert_int_equal(pi.state, SCMI_POWER_STATE_OFF);
	assert_int_equal(scmi_power_domain_info_get(a, 2, &pi), -EINVAL);

	/* sensor */
	assert_int_equal(scmi_sensor_count(a), 1);
	assert_int_equal(scmi_sensor_info_get(a, 0, &si), 0);
	assert_string_equal(si.name, "board-temp");
	assert_int_equal(si.type, SCMI_SENSOR_TYPE_TEMPERATURE_C);
	assert_int_equal(si.scale, -3);
	assert_int_equal(si.num_trip_points, 1);
	assert_true(si.update_notify);
	assert_int_equal(scmi_sensor_reading_get(a, 0, &value, NULL), 0);
	assert_int_equal(value, 30000);

	/* control: the offered protocols work, the domains are the file's */
	assert_int_equal(sim_ctl(&s, NULL, 0, "power set 1 0"), 0);
	assert_int_equal(scmi_power_state_get(a, 1, &pi.state), 0);
	assert_int_equal(pi.state, SCMI_POWER_STATE_ON);
	assert_int_equal(sim_ctl(&s, NULL, 0, "power set 2 0"), -ENOENT);
	assert_int_equal(sim_ctl(&s, NULL, 0, "perf level 0 1000"), -ENOENT);

	scmi_agent_destroy(a);
	sim_stop(&s);

	/* its dump: only those two, every key, and it reads back the same */
	run(&r1, (const char *const[]){ "--topology", path, "--dump-topology",
					NULL });
	assert_int_equal(exit_status(&r1), 0);
	assert_non_null(strstr(r1.out, "\"power\": ["));
	assert_non_null(strstr(r1.out, "\"name\": \"power1\""));
	assert_non_null(strstr(r1.out, "\"sensor\": ["));
	assert_non_null(strstr(r1.out, "{ \"direction\": \"up\", \"value\": 50000 }"));
	assert_null(strstr(r1.out, "\"perf\""));
	assert_null(strstr(r1.out, "\"system\""));
	fx_dir_file(&d, "small-dump.json", path2, sizeof(path2));
	fx_write_file(path2, r1.out);
	run(&r2, (const char *const[]){ "--topology", path2, "--dump-topology",
					NULL });
	assert_int_equal(exit_status(&r2), 0);
	assert_string_equal(r2.out, r1.out);

	run_free(&r1);
	run_free(&r2);
	fx_dir_remove(&d);
}

/* An empty object: Base only. */
static void test_base_only(void **state)
{
	struct scmi_agent_config cfg = { .timeout_ms = TIMEOUT_MS };
	struct scmi_agent *a = NULL;
	struct scmi_base_info bi;
	struct fx_dir d;
	char path[128];
	struct sim s;

	fx_dir_make(&d, "topo");
	fx_dir_file(&d, "empty.json", path, sizeof(path));
	fx_write_file(path, "{}\n");
	assert_int_equal(sim_start(&s, (const char *const[]){ "--topology", path,
							      NULL }), 0);
	assert_int_equal(scmi_agent_create(&a, &cfg), 0);
	assert_int_equal(scmi_agent_connect(a, s.sock), 0);
	assert_int_equal(scmi_agent_base_info(a, &bi), 0);
	assert_int_equal(bi.num_protocols, 0);
	assert_int_equal(scmi_power_domain_count(a), -EOPNOTSUPP);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_POWER,
					 SCMI_PROTOCOL_VERSION, NULL, 0, NULL,
					 0, NULL), -EOPNOTSUPP);
	scmi_agent_destroy(a);
	sim_stop(&s);
	fx_dir_remove(&d);
}

/* ---- bad files -------------------------------------------------------- */

static const struct bad {
	const char *name;
	const char *text;
	const char *where;        /* ":line:col: path" after the file name */
	const char *problem;
} bad_files[] = {
	{ "syntax.json",
	  "{\n  \"power\": [\n    { \"name\": \"a\", }\n  ]\n}\n",
	  ":3:20:", "syntax error" },
	{ "unterminated.json",
	  "{\n  \"power\": [ {}\n",
	  ":3:1:", "syntax error: unexpected end of file" },
	{ "comment.json",
	  "{\n  // no comments in JSON\n  \"power\": []\n}\n",
	  ":2:3:", "syntax error" },
	{ "type.json",
	  "{\n  \"power\": [ { \"notify\": \"yes\" } ]\n}\n",
	  ":2:26: power[0].notify", "expected true or false, not a string" },
	{ "type-name.json",
	  "{ \"clock\": [ {}, { \"name\": 7 } ] }",
	  ":1:28: clock[1].name", "expected a string, not an integer" },
	{ "unknown.json",
	  "{\n  \"perf\": [\n    { \"levle\": 1000 }\n  ]\n}\n",
	  ":3:16: perf[0].levle", "unknown key" },
	{ "unknown-top.json",
	  "{ \"sensors\": [] }",
	  ":1:14: sensors", "unknown key" },
	/* a key holding what a path is made of still has its place */
	{ "unknown-dotted.json",
	  "{ \"power\": [ { \"a.b\": 1 } ] }",
	  ":1:23: power[0].a.b", "unknown key" },
	{ "unknown-bracket.json",
	  "{ \"power\": [ { \"a[0]\": 1 } ] }",
	  ":1:24: power[0].a[0]", "unknown key" },
	{ "descending.json",
	  "{\n  \"perf\": [\n    {},\n"
	  "    { \"levels\": [ { \"perf\": 100 }, { \"perf\": 200 },\n"
	  "                  { \"perf\": 300 }, { \"perf\": 250 } ] }\n"
	  "  ]\n}\n",
	  ":5:46: perf[1].levels[3].perf", "not above the level before it" },
	{ "range.json",
	  "{ \"perf\": [ { \"levels\": [ { \"perf\": 1, \"latency_us\": 70000 } ] } ] }",
	  ":1:54: perf[0].levels[0].latency_us", "70000 is out of range (0..65535)" },
	{ "scale.json",
	  "{ \"sensor\": [ { \"scale\": -17 } ] }",
	  ":1:26: sensor[0].scale", "-17 is out of range (-16..15)" },
	{ "many-levels.json",
	  "{ \"perf\": [ { \"levels\": [ {\"perf\":1}, {\"perf\":2}, {\"perf\":3},"
	  " {\"perf\":4}, {\"perf\":5}, {\"perf\":6}, {\"perf\":7}, {\"perf\":8},"
	  " {\"perf\":9}, {\"perf\":10}, {\"perf\":11}, {\"perf\":12}, {\"perf\":13},"
	  " {\"perf\":14}, {\"perf\":15}, {\"perf\":16}, {\"perf\":17} ] } ] }",
	  ":1:25: perf[0].levels", "too many levels: 17 (at most 16)" },
	{ "not-a-level.json",
	  "{ \"perf\": [ { \"levels\": [ { \"perf\": 100 }, { \"perf\": 200 } ],\n"
	  "              \"level\": 150 } ] }",
	  ":2:24: perf[0].level", "150 is not one of the domain's levels" },
	{ "rate.json",
	  "{ \"clock\": [ { \"range\": { \"min\": 10, \"max\": 100, \"step\": 10 }, \"rate\": 15 } ] }",
	  ":1:72: clock[0].rate", "15 Hz is not a rate of the range" },
	{ "state.json",
	  "{ \"power\": [ { \"state\": \"of\" } ] }",
	  ":1:25: power[0].state", "expected one of \"on\", \"off\"" },
	{ "duplicate.json",
	  "{ \"power\": [ { \"name\": \"a\",\n  \"name\": \"b\" } ] }",
	  ":2:3: power[0]", "duplicate key 'name'" },
	/* strict JSON: what json-c itself lets by */
	{ "single-quotes.json",
	  "{ \"power\": [ { 'name': \"a\" } ] }",
	  ":1:16:", "syntax error: strings are in double quotes" },
	{ "duplicate-escaped.json",
	  "{ \"power\": [ { \"name\": \"a\",\n  \"n\\u0061me\": \"b\" } ] }",
	  ":2:3: power[0]", "duplicate key 'name'" },
	{ "duplicate-late.json",
	  "{ \"k0\": 0, \"k1\": 1, \"k2\": 2, \"k3\": 3, \"k4\": 4, \"k5\": 5, \"k6\": 6,"
	  " \"k7\": 7, \"k8\": 8, \"k9\": 9, \"k10\": 0, \"k11\": 1, \"k12\": 2,"
	  " \"k13\": 3, \"k14\": 4, \"k15\": 5, \"k16\": 6, \"k17\": 7, \"k18\": 8,"
	  " \"k19\": 9, \"k20\": 0, \"k21\": 1, \"k22\": 2, \"k23\": 3, \"k24\": 4,"
	  " \"k25\": 5, \"k26\": 6, \"k27\": 7, \"k28\": 8, \"k29\": 9, \"k30\": 0,"
	  " \"k31\": 1, \"k32\": 2, \"k33\": 3, \"k34\": 4, \"k35\": 5, \"k36\": 6,"
	  " \"k37\": 7, \"k38\": 8, \"k39\": 9, \"k40\": 0, \"k41\": 1, \"k42\": 2,"
	  " \"k43\": 3, \"k44\": 4, \"k45\": 5, \"k46\": 6, \"k47\": 7, \"k48\": 8,"
	  " \"k49\": 9, \"k50\": 0, \"k51\": 1, \"k52\": 2, \"k53\": 3, \"k54\": 4,"
	  " \"k55\": 5, \"k56\": 6, \"k57\": 7, \"k58\": 8, \"k59\": 9, \"k60\": 0,"
	  " \"k61\": 1, \"k62\": 2, \"k63\": 3, \"k64\": 4,\n\"k0\": 5 }",
	  ":2:1:", "duplicate key 'k0'" },
	{ "int-below.json",
	  "{ \"sensor\": [ { \"value\": -9223372036854775809 } ] }",
	  ":1:26: sensor[0].value", "-9223372036854775809 is out of range" },
	{ "int-above.json",
	  "{ \"clock\": [ { \"rates\": [ 18446744073709551616 ] } ] }",
	  ":1:27: clock[0].rates[0]", "18446744073709551616 is out of range" },
	{ "double-inf.json",
	  "{ \"system\": { \"timeout_ms\": 1e400 } }",
	  ":1:29: system.timeout_ms", "1e400 is out of range" },
	{ "bare-point.json",
	  "{ \"system\": { \"timeout_ms\": 1. } }",
	  ":1:29:", "syntax error: digits after the decimal point" },
	{ "nan.json",
	  "{ \"sensor\": [ { \"value\": NaN } ] }",
	  ":1:26:", "syntax error: not a JSON value" },
	{ "control-char.json",
	  "{ \"power\": [ { \"name\": \"a\tb\" } ] }",
	  ":1:26:", "syntax error: a control character in a string" },
	{ "lone-surrogate.json",
	  "{ \"power\": [ { \"name\": \"\\ud800x\" } ] }",
	  ":1:25:", "syntax error: a lone UTF-16 surrogate" },
	{ "nul-key.json",
	  "{ \"power\": [ { \"name\\u0000x\": \"a\" } ] }",
	  ":1:16: power[0]", "a key holds a NUL character" },
	{ "escaped-key.json",
	  "{ \"p\\u006fwer\": [ { \"notify\": \"yes\" } ] }",
	  ":1:31: power[0].notify", "expected true or false, not a string" },
	{ "not-object.json",
	  "[ { \"power\": [] } ]",
	  ":1:1:", "a topology is an object, not an array" },
	{ "null.json",
	  "null\n",
	  ":1:1:", "a topology is an object, not null" },
	{ "float.json",
	  "{ \"system\": { \"timeout_ms\": 1e3 } }",
	  ":1:29: system.timeout_ms", "expected an integer, not a floating-point number" },
	{ "parent.json",
	  "{ \"powercap\": [ { \"parent\": 1 }, { \"parent\": 0 } ] }",
	  ":1:29: powercap[0].parent", "the parents form a cycle" },
};

static void test_bad_files(void **state)
{
	struct fx_dir d;

	fx_dir_make(&d, "topo");
	for (size_t i = 0; i < sizeof(bad_files) / sizeof(bad_files[0]); i++) {
		const struct bad *b = &bad_files[i];
		char path[128], sock[128], want[256];
		struct stat st;
		struct run r;

		fx_dir_file(&d, b->name, path, sizeof(path));
		fx_dir_file(&d, "sim.sock", sock, sizeof(sock));
		fx_write_file(path, b->text);
		/* not --check: the simulator itself must refuse to start */
		run(&r, (const char *const[]){ "--socket", sock, "--topology",
					       path, NULL });
		if (exit_status(&r) != 2)
			fail_msg("%s: exit status %d, not 2 (stderr: %s)",
				 b->name, exit_status(&r), r.err);
		snprintf(want, sizeof(want), "%s%s", path, b->where);
		if (!strstr(r.err, want) || !strstr(r.err, b->problem))
			fail_msg("%s: stderr '%s' lacks '%s' or '%s'", b->name,
				 r.err, want, b->problem);
		assert_string_equal(r.out, "");
		/* it did not start: nothing listens, no socket file */
		assert_int_equal(stat(sock, &st), -1);
		run_free(&r);
	}

	/* a file that is not there */
	{
		char path[128];
		struct run r;

		fx_dir_file(&d, "none.json", path, sizeof(path));
		run(&r, (const char *const[]){ "--topology", path, "--check",
					       NULL });
		assert_int_equal(exit_status(&r), 2);
		assert_non_null(strstr(r.err, path));
		assert_non_null(strstr(r.err, "No such file or directory"));
		run_free(&r);
	}
	fx_dir_remove(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_custom),
		cmocka_unit_test(test_base_only),
		cmocka_unit_test(test_bad_files),
	};

	if (!sim_exe()) {
		fprintf(stderr, "no scmi-sim to run: skipped\n");
		return 77;
	}
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
