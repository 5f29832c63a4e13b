/* SPDX-License-Identifier: MIT */
/*
 * Scenario files end to end, with the real simulator (scmi-sim
 * --scenario FILE) and an agent subscribed to what the scenario changes:
 *   - the events of a scenario (commands at fixed times, "after" steps,
 *     a loop of 3 rounds) arrive in order, each at its time (within a
 *     tolerance), and nothing after the last one;
 *   - a loop for ever goes on round after round;
 *   - a command that fails when it runs (an agent changed the state the
 *     dry run saw) is logged, at -v with every step, and the scenario
 *     goes on;
 *   - bad scenarios (a command the control parser refuses, a bad time, an
 *     unknown key...) make scmi-sim exit 2 without starting, naming the
 *     file, the step (line:col and its index path) and the problem;
 *   - the shipped scenarios (sim-platform/scenarios/) pass --check.
 *
 * Times: the scenario's time 0 is when the simulator starts listening,
 * between the instants before and after sim_start(); a report's timestamp
 * is when the agent received it. Both are CLOCK_MONOTONIC.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
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
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <scmi/agent.h>
#include <scmi/clock.h>
#include <scmi/notify.h>
#include <scmi/perf.h>
#include <scmi/power.h>
#include <scmi/protocols.h>
#include <scmi/sensor.h>
#include <scmi/wire.h>

#include "fixture.h"

#define TIMEOUT_MS 1000       /* generous: valgrind runs these too */
#define TOLERANCE_MS 400      /* an event's lateness allowed */
#define RUN_TIMEOUT_MS 20000

/* Run the simulator with @args to its end; its exit status, its stderr. */
static int run(const char *const *args, char **err)
{
	char err_path[] = "/tmp/scmi-test-err-XXXXXX";
	const char *argv[32];
	uint64_t deadline;
	int err_fd, status;
	size_t n = 0;
	pid_t pid;

	argv[n++] = sim_exe();
	for (size_t i = 0; args[i] && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	err_fd = mkstemp(err_path);
	assert_true(err_fd >= 0);
	unlink(err_path);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		dup2(null, STDOUT_FILENO);
		dup2(err_fd, STDERR_FILENO);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	deadline = sim_now_ns() + RUN_TIMEOUT_MS * 1000000ull;
	while (waitpid(pid, &status, WNOHANG) != pid) {
		if (sim_now_ns() > deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			fail_msg("scmi-sim did not end within %d ms", RUN_TIMEOUT_MS);
		}
		sim_sleep_ms(5);
	}
	*err = fx_slurp(err_fd);
	close(err_fd);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* ---- what the agent receives ----------------------------------------- */

#define MAX_SEEN 256

struct seen {
	uint8_t proto, evt;
	uint32_t src;
	int64_t value;            /* the event's number: state, level, value... */
	uint64_t ts;              /* when the agent received it */
};

struct log {
	pthread_mutex_t mtx;
	pthread_cond_t cond;
	unsigned int count;
	struct seen seen[MAX_SEEN];
};

struct rec_nb {
	struct scmi_notifier nb;
	uint8_t proto;
	struct log *log;
};

static int on_event(struct scmi_notifier *nb, uint8_t evt_id,
		    const void *report)
{
	struct rec_nb *r = (struct rec_nb *)(void *)((char *)nb -
						     offsetof(struct rec_nb, nb));
	struct seen s = { .proto = r->proto, .evt = evt_id };

	switch (r->proto) {
	case SCMI_PROTOCOL_POWER: {
		const struct scmi_power_state_changed_report *p = report;

		s.src = p->domain_id;
		s.value = p->power_state;
		s.ts = p->timestamp;
		break;
	}
	case SCMI_PROTOCOL_PERF: {
		const struct scmi_perf_level_report *p = report;

		s.src = p->domain_id;
		s.value = p->performance_level;
		s.ts = p->timestamp;
		break;
	}
	case SCMI_PROTOCOL_CLOCK: {
		const struct scmi_clock_rate_notif_report *p = report;

		s.src = p->clock_id;
		s.value = (int64_t)p->rate;
		s.ts = p->timestamp;
		break;
	}
	case SCMI_PROTOCOL_SENSOR:
		if (evt_id == SCMI_EVENT_SENSOR_UPDATE) {
			const struct scmi_sensor_update_report *p = report;

			s.src = p->sensor_id;
			s.value = p->readings[0].value;
			s.ts = p->timestamp;
		} else {
			const struct scmi_sensor_trip_point_report *p = report;

			s.src = p->sensor_id;
			s.value = p->trip_point_desc;
			s.ts = p->timestamp;
		}
		break;
	}
	pthread_mutex_lock(&r->log->mtx);
	if (r->log->count < MAX_SEEN)
		r->log->seen[r->log->count] = s;
	r->log->count++;
	pthread_cond_broadcast(&r->log->cond);
	pthread_mutex_unlock(&r->log->mtx);
	return SCMI_NOTIFY_OK;
}

static void log_init(struct log *l)
{
	memset(l, 0, sizeof(*l));
	pthread_mutex_init(&l->mtx, NULL);
	pthread_cond_init(&l->cond, NULL);
}

static void log_fini(struct log *l)
{
	pthread_mutex_destroy(&l->mtx);
	pthread_cond_destroy(&l->cond);
}

/* Wait until @n events were seen or @ms passed; the count. */
static unsigned int log_wait(struct log *l, unsigned int n, unsigned int ms)
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

static void reg(struct scmi_agent *a, struct rec_nb *r, struct log *l,
		uint8_t proto, uint8_t evt, uint32_t src)
{
	r->nb.cb = on_event;
	r->proto = proto;
	r->log = l;
	assert_int_equal(scmi_event_notifier_register(scmi_agent_notify(a),
						      proto, evt, &src, &r->nb),
			 0);
}

/* ---- the events of a scenario, in order and on time ------------------- */

static const char scenario[] =
	"[\n"
	"  { \"at\": 1500, \"do\": \"sensor set 0 72000\", \"comment\": \"trip 0 up, an update\" },\n"
	"  { \"after\": 200, \"do\": \"perf level 0 1400\" },\n"
	"  { \"after\": 200, \"do\": \"power set 2 0x0\" },\n"
	"  { \"loop\": 3, \"steps\": [\n"
	"    { \"after\": 200, \"do\": \"sensor set 1 85000\" },\n"
	"    { \"after\": 200, \"do\": \"sensor set 1 40000\" }\n"
	"  ] },\n"
	"  { \"after\": 100 },\n"
	"  { \"after\": 100, \"do\": \"clock rate 0 1200000000\" }\n"
	"]\n";

static const struct seen expected[] = {
	/* at 1500 */
	{ SCMI_PROTOCOL_SENSOR, SCMI_EVENT_SENSOR_TRIP_POINT_EVENT, 0,
	  0 | SCMI_SENSOR_TRIP_DESC_UP, 1500 },
	{ SCMI_PROTOCOL_SENSOR, SCMI_EVENT_SENSOR_UPDATE, 0, 72000, 1500 },
	{ SCMI_PROTOCOL_PERF, SCMI_EVENT_PERFORMANCE_LEVEL_CHANGED, 0, 1400, 1700 },
	{ SCMI_PROTOCOL_POWER, SCMI_EVENT_POWER_STATE_CHANGED, 2,
	  SCMI_POWER_STATE_ON, 1900 },
	/* the loop: three rounds of 400 ms from 1900 */
	{ SCMI_PROTOCOL_SENSOR, SCMI_EVENT_SENSOR_TRIP_POINT_EVENT, 1,
	  0 | SCMI_SENSOR_TRIP_DESC_UP, 2100 },
	{ SCMI_PROTOCOL_SENSOR, SCMI_EVENT_SENSOR_UPDATE, 1, 85000, 2100 },
	{ SCMI_PROTOCOL_SENSOR, SCMI_EVENT_SENSOR_TRIP_POINT_EVENT, 1, 0, 2300 },
	{ SCMI_PROTOCOL_SENSOR, SCMI_EVENT_SENSOR_UPDATE, 1, 40000, 2300 },
	{ SCMI_PROTOCOL_SENSOR, SCMI_EVENT_SENSOR_TRIP_POINT_EVENT, 1,
	  0 | SCMI_SENSOR_TRIP_DESC_UP, 2500 },
	{ SCMI_PROTOCOL_SENSOR, SCMI_EVENT_SENSOR_UPDATE, 1, 85000, 2500 },
	{ SCMI_PROTOCOL_SENSOR, SCMI_EVENT_SENSOR_TRIP_POINT_EVENT, 1, 0, 2700 },
	{ SCMI_PROTOCOL_SENSOR, SCMI_EVENT_SENSOR_UPDATE, 1, 40000, 2700 },
	{ SCMI_PROTOCOL_SENSOR, SCMI_EVENT_SENSOR_TRIP_POINT_EVENT, 1,
	  0 | SCMI_SENSOR_TRIP_DESC_UP, 2900 },
	{ SCMI_PROTOCOL_SENSOR, SCMI_EVENT_SENSOR_UPDATE, 1, 85000, 2900 },
	{ SCMI_PROTOCOL_SENSOR, SCMI_EVENT_SENSOR_TRIP_POINT_EVENT, 1, 0, 3100 },
	{ SCMI_PROTOCOL_SENSOR, SCMI_EVENT_SENSOR_UPDATE, 1, 40000, 3100 },
	/* a pause of 100, then 100 more */
	{ SCMI_PROTOCOL_CLOCK, SCMI_EVENT_CLOCK_RATE_CHANGED, 0, 1200000000,
	  3300 },
};
#define NUM_EXPECTED (sizeof(expected) / sizeof(expected[0]))

static void test_events_in_order(void **state)
{
	struct scmi_agent_config cfg = { .timeout_ms = TIMEOUT_MS };
	struct scmi_agent *a = NULL;
	struct rec_nb nbs[7];
	struct log l;
	struct fx_dir d;
	struct sim s;
	char path[128];
	uint64_t t_before, t_after, ready;

	fx_dir_make(&d, "scen");
	fx_dir_file(&d, "events.json", path, sizeof(path));
	fx_write_file(path, scenario);
	log_init(&l);

	/* subscribed before connect: bound (and enabled) at connect */
	assert_int_equal(scmi_agent_create(&a, &cfg), 0);
	reg(a, &nbs[0], &l, SCMI_PROTOCOL_SENSOR, SCMI_EVENT_SENSOR_TRIP_POINT_EVENT, 0);
	reg(a, &nbs[1], &l, SCMI_PROTOCOL_SENSOR, SCMI_EVENT_SENSOR_UPDATE, 0);
	reg(a, &nbs[2], &l, SCMI_PROTOCOL_SENSOR, SCMI_EVENT_SENSOR_TRIP_POINT_EVENT, 1);
	reg(a, &nbs[3], &l, SCMI_PROTOCOL_SENSOR, SCMI_EVENT_SENSOR_UPDATE, 1);
	reg(a, &nbs[4], &l, SCMI_PROTOCOL_PERF, SCMI_EVENT_PERFORMANCE_LEVEL_CHANGED, 0);
	reg(a, &nbs[5], &l, SCMI_PROTOCOL_POWER, SCMI_EVENT_POWER_STATE_CHANGED, 2);
	reg(a, &nbs[6], &l, SCMI_PROTOCOL_CLOCK, SCMI_EVENT_CLOCK_RATE_CHANGED, 0);

	t_before = sim_now_ns();
	assert_int_equal(sim_start(&s, (const char *const[]){ "--scenario", path,
							      NULL }), 0);
	t_after = sim_now_ns();
	assert_int_equal(scmi_agent_connect(a, s.sock), 0);
	ready = sim_now_ns();
	/* time 0 was just before the socket listened, before t_after */
	if (ready - t_after > 1300 * 1000000ull)
		fail_msg("connecting took %llu ms: too slow for the scenario's first step",
			 (unsigned long long)((ready - t_after) / 1000000));

	assert_int_equal(log_wait(&l, NUM_EXPECTED, 6000), NUM_EXPECTED);
	/* and nothing more: the scenario has ended */
	sim_sleep_ms(500);
	assert_int_equal(log_wait(&l, NUM_EXPECTED + 1, 0), NUM_EXPECTED);

	for (unsigned int i = 0; i < NUM_EXPECTED; i++) {
		const struct seen *e = &expected[i], *g = &l.seen[i];
		uint64_t lo = t_before + e->ts * 1000000ull;
		uint64_t hi = t_after + (e->ts + TOLERANCE_MS) * 1000000ull;

		if (g->proto != e->proto || g->evt != e->evt ||
		    g->src != e->src || g->value != e->value)
			fail_msg("event %u: protocol 0x%x event %u source %u value %lld; expected 0x%x %u %u %lld",
				 i, g->proto, g->evt, g->src, (long long)g->value,
				 e->proto, e->evt, e->src, (long long)e->value);
		if (g->ts < lo || g->ts > hi)
			fail_msg("event %u at %lld ms from the start, expected at %llu ms (+%d)",
				 i, (long long)(g->ts - (int64_t)t_before) / 1000000,
				 (unsigned long long)e->ts, TOLERANCE_MS);
	}

	scmi_agent_destroy(a);
	sim_stop(&s);
	log_fini(&l);
	fx_dir_remove(&d);
}

/* ---- a loop for ever -------------------------------------------------- */

static void test_loop_forever(void **state)
{
	struct scmi_agent_config cfg = { .timeout_ms = TIMEOUT_MS };
	struct scmi_agent *a = NULL;
	struct rec_nb nb;
	struct log l;
	struct fx_dir d;
	struct sim s;
	char path[128];

	fx_dir_make(&d, "scen");
	fx_dir_file(&d, "forever.json", path, sizeof(path));
	fx_write_file(path,
		      "[\n"
		      "  { \"at\": 300, \"comment\": \"time to subscribe\" },\n"
		      "  { \"loop\": 0, \"steps\": [\n"
		      "    { \"after\": 50, \"do\": \"sensor set 0 50000\" },\n"
		      "    { \"after\": 50, \"do\": \"sensor set 0 60000\" }\n"
		      "  ] }\n"
		      "]\n");
	log_init(&l);
	assert_int_equal(scmi_agent_create(&a, &cfg), 0);
	reg(a, &nb, &l, SCMI_PROTOCOL_SENSOR, SCMI_EVENT_SENSOR_UPDATE, 0);
	assert_int_equal(sim_start(&s, (const char *const[]){ "--scenario", path,
							      NULL }), 0);
	assert_int_equal(scmi_agent_connect(a, s.sock), 0);

	/* 20 rounds and more: it goes on, one value then the other */
	/* the loop goes on while we look: at least 40 by then */
	assert_true(log_wait(&l, 40, 8000) >= 40);
	pthread_mutex_lock(&l.mtx);
	for (unsigned int i = 1; i < 40; i++) {
		assert_int_equal(l.seen[i].src, 0);
		assert_true(l.seen[i].value != l.seen[i - 1].value);
		assert_true(l.seen[i].value == 50000 || l.seen[i].value == 60000);
	}
	/* 40 steps of 50 ms: about 2 s */
	assert_true(l.seen[39].ts - l.seen[0].ts >= 39 * 50 * 1000000ull -
						    50 * 1000000ull);
	pthread_mutex_unlock(&l.mtx);

	scmi_agent_destroy(a);
	sim_stop(&s);
	log_fini(&l);
	fx_dir_remove(&d);
}

/* ---- a command that fails when it runs -------------------------------- */

static void test_runtime_failure(void **state)
{
	struct scmi_agent_config cfg = { .timeout_ms = TIMEOUT_MS };
	struct scmi_agent *a = NULL;
	char path[128], log_path[128];
	struct rec_nb nb;
	struct log l;
	struct fx_dir d;
	struct sim s;
	int log_fd, saved;
	uint32_t level;
	char *text, want[256];

	fx_dir_make(&d, "scen");
	fx_dir_file(&d, "fails.json", path, sizeof(path));
	fx_dir_file(&d, "stderr.log", log_path, sizeof(log_path));
	fx_write_file(path,
		      "[\n"
		      "  { \"at\": 1500, \"do\": \"perf level 0 600\" },\n"
		      "  { \"after\": 100, \"do\": \"sensor set 0 72000\" }\n"
		      "]\n");
	log_init(&l);
	assert_int_equal(scmi_agent_create(&a, &cfg), 0);
	reg(a, &nb, &l, SCMI_PROTOCOL_SENSOR, SCMI_EVENT_SENSOR_UPDATE, 0);

	/* the simulator's stderr to a file: it inherits ours */
	log_fd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	assert_true(log_fd >= 0);
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	dup2(log_fd, STDERR_FILENO);
	assert_int_equal(sim_start(&s, (const char *const[]){ "-v", "--scenario",
							      path, NULL }), 0);
	dup2(saved, STDERR_FILENO);
	close(saved);
	close(log_fd);

	/* the dry run saw limits [600, 1800]; an agent moves them first */
	assert_int_equal(scmi_agent_connect(a, s.sock), 0);
	assert_int_equal(scmi_perf_limits_set(a, 0, 1800, 1000), 0);

	/* the failed step is logged; the next one runs all the same */
	assert_int_equal(log_wait(&l, 1, 5000), 1);
	assert_int_equal(l.seen[0].value, 72000);
	assert_int_equal(scmi_perf_level_get(a, 0, &level), 0);
	assert_int_equal(level, 1000);
	scmi_agent_destroy(a);
	sim_stop(&s);

	log_fd = open(log_path, O_RDONLY | O_CLOEXEC);
	assert_true(log_fd >= 0);
	text = fx_slurp(log_fd);
	close(log_fd);
	snprintf(want, sizeof(want), "scenario %s:2: \"perf level 0 600\": error -34",
		 path);
	if (!strstr(text, want))
		fail_msg("no '%s' in the simulator's log:\n%s", want, text);
	snprintf(want, sizeof(want), "scenario %s:3 (", path);
	if (!strstr(text, want) || !strstr(text, "): sensor set 0 72000: ok"))
		fail_msg("the step after it is not logged:\n%s", text);
	free(text);
	log_fini(&l);
	fx_dir_remove(&d);
}

/* ---- bad scenarios ------------------------------------------------------ */

static const struct bad {
	const char *name;
	const char *text;
	const char *where;        /* ":line:col: path" after the file name */
	const char *problem;
} bad_scenarios[] = {
	{ "protocol.json",
	  "[\n  { \"at\": 0, \"do\": \"ping\" },\n  { \"after\": 10, \"do\": \"sensr set 0 1\" }\n]\n",
	  ":3:24: [1].do", "\"sensr set 0 1\" is refused: error -2" },
	{ "verb.json",
	  "[ { \"do\": \"perf frob 0\" } ]",
	  ":1:11: [0].do", "\"perf frob 0\" is refused: error -95" },
	{ "domain.json",
	  "[ { \"at\": 0, \"do\": \"sensor set 9 1\" } ]",
	  ":1:20: [0].do", "no sensor 9" },
	{ "in-loop.json",
	  "[\n  { \"loop\": 2, \"steps\": [\n"
	  "    { \"after\": 10, \"do\": \"power set 0 0x0\" },\n"
	  "    { \"after\": 10, \"do\": \"perf level 0 1234\" }\n  ] }\n]\n",
	  ":4:26: [0].steps[1].do", "\"perf level 0 1234\" is refused: error -34" },
	{ "back-in-time.json",
	  "[ { \"at\": 100, \"do\": \"ping\" },\n  { \"at\": 50, \"do\": \"ping\" } ]",
	  ":2:11: [1].at", "goes back before the step before it" },
	{ "negative.json",
	  "[ { \"at\": -1, \"do\": \"ping\" } ]",
	  ":1:11: [0].at", "-1 is out of range" },
	{ "time-type.json",
	  "[ { \"after\": \"10\", \"do\": \"ping\" } ]",
	  ":1:14: [0].after", "expected an integer, not a string" },
	{ "both.json",
	  "[ { \"at\": 1, \"after\": 2, \"do\": \"ping\" } ]",
	  ":1:23: [0].after", "\"at\" or \"after\", not both" },
	{ "key.json",
	  "[ { \"at\": 1, \"dO\": \"ping\" } ]",
	  ":1:20: [0].dO", "unknown key" },
	{ "busy-loop.json",
	  "[ { \"loop\": 0, \"steps\": [ { \"do\": \"ping\" } ] } ]",
	  ":1:3: [0]", "must take time" },
	{ "after-forever.json",
	  "[ { \"loop\": 0, \"steps\": [ { \"after\": 5, \"do\": \"ping\" } ] },\n"
	  "  { \"do\": \"ping\" } ]",
	  ":1:3: [0]", "must be the file's last step" },
	{ "nested-forever.json",
	  "[ { \"loop\": 2, \"steps\": [\n"
	  "    { \"loop\": 0, \"steps\": [ { \"after\": 5, \"do\": \"ping\" } ] } ] } ]",
	  ":2:5: [0].steps[0]", "cannot be inside another loop" },
	{ "agent.json",
	  "[ { \"at\": 0, \"do\": \"fault drop 9\" } ]",
	  ":1:20: [0].do", "\"fault drop 9\" is refused: error -34 fault: agent ids are 1..8" },
	{ "agent-zero.json",
	  "[ { \"after\": 5, \"do\": \"fault stall 0 on\" } ]",
	  ":1:23: [0].do", "agent ids are 1..8" },
	{ "syntax.json",
	  "[\n  { \"do\": \"ping\" },\n]\n",
	  ":3:1:", "syntax error" },
	{ "not-array.json",
	  "{ \"steps\": [] }",
	  ":1:1:", "a scenario is an array of steps, not an object" },
};

static void test_bad_scenarios(void **state)
{
	struct fx_dir d;

	fx_dir_make(&d, "scen");
	for (size_t i = 0; i < sizeof(bad_scenarios) / sizeof(bad_scenarios[0]);
	     i++) {
		const struct bad *b = &bad_scenarios[i];
		char path[128], sock[128], want[256];
		struct stat st;
		char *err;
		int status;

		fx_dir_file(&d, b->name, path, sizeof(path));
		fx_dir_file(&d, "sim.sock", sock, sizeof(sock));
		fx_write_file(path, b->text);
		/* not --check: the simulator itself must refuse to start */
		status = run((const char *const[]){ "--socket", sock,
						    "--scenario", path, NULL },
			     &err);
		if (status != 2)
			fail_msg("%s: exit status %d, not 2 (stderr: %s)",
				 b->name, status, err);
		snprintf(want, sizeof(want), "%s%s", path, b->where);
		if (!strstr(err, want) || !strstr(err, b->problem))
			fail_msg("%s: stderr '%s' lacks '%s' or '%s'", b->name,
				 err, want, b->problem);
		assert_int_equal(stat(sock, &st), -1);
		free(err);
	}
	fx_dir_remove(&d);
}

/*
 * A fault for an agent that is not connected at load may be for one that
 * will be (an id up to --max-agents): accepted. One beyond never can be.
 */
static void test_agent_ids(void **state)
{
	struct fx_dir d;
	char path[128];
	char *err;

	fx_dir_make(&d, "scen");
	fx_dir_file(&d, "ids.json", path, sizeof(path));
	fx_write_file(path, "[ { \"at\": 0, \"do\": \"fault drop 8\" },\n"
			    "  { \"at\": 5, \"do\": \"fault stall 0x1 on\" } ]");
	assert_int_equal(run((const char *const[]){ "--scenario", path,
						    "--check", NULL }, &err), 0);
	assert_string_equal(err, "");
	free(err);
	/* with --max-agents 4, agent 8 never connects */
	assert_int_equal(run((const char *const[]){ "--scenario", path,
						    "--max-agents", "4",
						    "--check", NULL }, &err), 2);
	if (!strstr(err, ":1:20: [0].do: \"fault drop 8\" is refused") ||
	    !strstr(err, "agent ids are 1..4"))
		fail_msg("stderr: %s", err);
	free(err);
	fx_dir_remove(&d);
}

/* ---- the shipped scenarios --------------------------------------------- */

/*
 * sim-platform/scenarios/ of the source tree, from this file's path: as
 * the compiler saw it, relative to the build directory (two levels above
 * this program) when it is not absolute.
 */
static bool shipped(const char *name, char *path, size_t sz)
{
	char here[512], exe[512];
	char *slash;
	ssize_t n;

	snprintf(here, sizeof(here), "%s", __FILE__);
	slash = strrchr(here, '/');
	if (!slash)
		return false;
	*slash = '\0';
	if (here[0] == '/') {
		snprintf(path, sz, "%s/../../sim-platform/scenarios/%s", here,
			 name);
		return access(path, R_OK) == 0;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return false;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return false;
	*slash = '\0';
	snprintf(path, sz, "%s/../../%s/../../sim-platform/scenarios/%s", exe,
		 here, name);
	return access(path, R_OK) == 0;
}

/* The shipped scenarios load and check against the default topology. */
static void test_shipped(void **state)
{
	static const char *const names[] = { "demo.json", "thermal.json" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char path[1200];
		char *err;

		if (!shipped(names[i], path, sizeof(path))) {
			char cwd[256];

			fail_msg("%s not found from %s (cwd %s)", names[i],
				 __FILE__, getcwd(cwd, sizeof(cwd)) ? cwd : "?");
		}
		assert_int_equal(run((const char *const[]){ "--scenario", path,
							    "--check", NULL },
				     &err), 0);
		assert_string_equal(err, "");
		free(err);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_events_in_order),
		cmocka_unit_test(test_loop_forever),
		cmocka_unit_test(test_runtime_failure),
		cmocka_unit_test(test_bad_scenarios),
		cmocka_unit_test(test_agent_ids),
		cmocka_unit_test(test_shipped),
	};

	if (!sim_exe()) {
		fprintf(stderr, "no scmi-sim to run: skipped\n");
		return 77;
	}
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
