/* SPDX-License-Identifier: MIT */
/*
 * scmi-monitor (examples/monitor.c) end to end: the real tool, run as a
 * child process with its stdout on a pipe and its stderr in a file, against
 * the real simulator and its default topology (sim-platform/topology.c).
 * Changes are caused through the simulator's control socket (agent_id 0)
 * or by a second agent of our own (agent_id 2), and every line the tool
 * prints is compared whole, in order, with only its times masked.
 *
 * The tool's path: $SCMI_MONITOR (set by meson). $SCMI_MONITOR_WRAPPER, if
 * set, is a command line to run it under, e.g.
 *   SCMI_MONITOR_WRAPPER="valgrind --error-exitcode=99 --leak-check=full"
 * (an error then shows as a wrong exit status).
 *
 * Waiting until the tool has subscribed: it subscribes in its table order
 * (protocols, then events, then sources), so the tests repeat a change
 * that the last subscription of the run reports ("probe") until its line
 * appears, then let the tool go quiet and take every line that came (all
 * of them lines of the probe). Each later change is followed by reading
 * its lines before the next one: protocols are dispatched independently,
 * so only the lines of one protocol have an order of their own.
 *
 * Each test starts its own simulator and reaps it and the tool in its
 * teardown, which runs even when the test fails.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <scmi/agent.h>
#include <scmi/perf.h>
#include <scmi/power.h>

#include "sim-harness.h"

#define LINE_WAIT_MS 5000     /* bound of every wait for a line (valgrind) */
#define SYNC_WAIT_MS 30000    /* bound of the wait for the subscriptions */
#define PROBE_MS 100          /* a probe's line is waited for this long */
#define QUIET_MS 300          /* how long "nothing more arrives" is watched */
#define EXIT_WAIT_MS 10000    /* bound of the wait for the tool's exit */
#define MAX_ARGS 32
#define BUF_SZ 65536

struct mon {
	pid_t pid;               /* 0: not running (reaped) */
	int out_fd;              /* read end of its stdout */
	FILE *err;               /* its stderr */
	char buf[BUF_SZ];        /* stdout read, not yet taken as lines */
	size_t len;
	bool eof;
	int status;              /* wait status, once reaped */
	char errtext[BUF_SZ];    /* its stderr, once reaped */
	double last_t;           /* "t" of the last line taken */
};

struct fx {
	struct sim sim;
	struct mon mon;
	struct scmi_agent *agent;
};

static uint64_t now_ms(void)
{
	return sim_now_ns() / 1000000u;
}

/* ---------------------------------------------------------------- */
/* the tool as a child process                                      */

static const char *monitor_exe(void)
{
	const char *e = getenv("SCMI_MONITOR");

	return e && e[0] ? e : NULL;
}

/*
 * Start the tool: [wrapper...] exe [--socket sock] args... (NULL-ended),
 * its stdout on a pipe (m->out_fd), or into the file @out_path if not
 * NULL (then m->out_fd is -1).
 */
static void mon_start_out(struct mon *m, const char *sock,
			  const char *const *args, const char *out_path)
{
	static char wrapper[1024];
	const char *argv[MAX_ARGS + 16];
	const char *w = getenv("SCMI_MONITOR_WRAPPER");
	size_t n = 0;
	pid_t parent = getpid();
	int pfd[2];

	memset(m, 0, sizeof(*m));
	m->out_fd = -1;
	if (w && w[0]) {
		char *save = NULL;

		snprintf(wrapper, sizeof(wrapper), "%s", w);
		for (char *t = strtok_r(wrapper, " ", &save); t && n < 16;
		     t = strtok_r(NULL, " ", &save))
			argv[n++] = t;
	}
	argv[n++] = monitor_exe();
	if (sock) {
		argv[n++] = "--socket";
		argv[n++] = sock;
	}
	for (size_t i = 0; args && args[i] && i < MAX_ARGS; i++)
		argv[n++] = args[i];
	argv[n] = NULL;

	if (out_path) {
		pfd[0] = -1;
		pfd[1] = open(out_path, O_WRONLY | O_CLOEXEC);
		assert_true(pfd[1] >= 0);
	} else {
		assert_int_equal(pipe2(pfd, O_CLOEXEC), 0);
	}
	m->err = tmpfile();
	assert_non_null(m->err);
	fflush(NULL);
	m->pid = fork();
	assert_true(m->pid >= 0);
	if (m->pid == 0) {
		sigset_t none;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(127);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGPIPE, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		if (dup2(pfd[1], STDOUT_FILENO) < 0 ||
		    dup2(fileno(m->err), STDERR_FILENO) < 0)
			_exit(127);
		execvp(argv[0], (char *const *)argv);
		fprintf(stderr, "test-monitor: exec %s: %s\n", argv[0],
			strerror(errno));
		_exit(127);
	}
	close(pfd[1]);
	m->out_fd = pfd[0];
}

static void mon_start_sock(struct mon *m, const char *sock,
			   const char *const *args)
{
	mon_start_out(m, sock, args, NULL);
}

static void mon_start(struct fx *fx, const char *const *args)
{
	mon_start_sock(&fx->mon, fx->sim.sock, args);
}

/* Read the tool's stderr (after it ended) into m->errtext. */
static void mon_read_err(struct mon *m)
{
	size_t n;

	if (!m->err)
		return;
	fflush(m->err);
	rewind(m->err);
	n = fread(m->errtext, 1, sizeof(m->errtext) - 1, m->err);
	m->errtext[n] = '\0';
}

/* Wait (bounded) for the tool to end; its wait status, or -1. */
static int mon_wait(struct mon *m, unsigned int timeout_ms)
{
	uint64_t deadline = now_ms() + timeout_ms;

	while (m->pid > 0) {
		pid_t r = waitpid(m->pid, &m->status, WNOHANG);

		if (r == m->pid) {
			m->pid = 0;
			mon_read_err(m);
			break;
		}
		if (r < 0 && errno != EINTR)
			return -1;
		if (now_ms() > deadline)
			return -1;
		sim_sleep_ms(5);
	}
	return m->status;
}

/* Always: kill, reap, close. Idempotent. */
static void mon_stop(struct mon *m)
{
	if (m->pid > 0) {
		kill(m->pid, SIGKILL);
		while (waitpid(m->pid, &m->status, 0) < 0 && errno == EINTR)
			;
		m->pid = 0;
	}
	if (m->out_fd >= 0) {
		close(m->out_fd);
		m->out_fd = -1;
	}
	if (m->err) {
		fclose(m->err);
		m->err = NULL;
	}
}

/* The exit status the tool ended with, after a bounded wait. */
static int mon_exit_status(struct mon *m)
{
	int st = mon_wait(m, EXIT_WAIT_MS);

	if (st < 0) {
		fprintf(stderr, "test-monitor: the tool did not exit\n");
		return -1;
	}
	if (WIFSIGNALED(st)) {
		fprintf(stderr, "test-monitor: the tool died of signal %d\n",
			WTERMSIG(st));
		return -1;
	}
	return WEXITSTATUS(st);
}

/*
 * Take the next line of the tool's stdout (without its newline) within
 * @timeout_ms. Returns 1 with a line, 0 on timeout, -1 at end of file.
 */
static int mon_line(struct mon *m, char *line, size_t sz,
		    unsigned int timeout_ms)
{
	uint64_t deadline = now_ms() + timeout_ms;

	for (;;) {
		char *nl = memchr(m->buf, '\n', m->len);
		struct pollfd pfd = { .fd = m->out_fd, .events = POLLIN };
		uint64_t now;
		ssize_t n;

		if (nl) {
			size_t l = (size_t)(nl - m->buf);

			assert_true(l < sz);
			memcpy(line, m->buf, l);
			line[l] = '\0';
			m->len -= l + 1;
			memmove(m->buf, nl + 1, m->len);
			return 1;
		}
		if (m->eof)
			return -1;
		now = now_ms();
		if (now >= deadline)
			return 0;
		if (poll(&pfd, 1, (int)(deadline - now)) <= 0)
			continue;
		assert_true(m->len < sizeof(m->buf));
		n = read(m->out_fd, m->buf + m->len, sizeof(m->buf) - m->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			m->eof = true;
		else
			m->len += (size_t)n;
	}
}

/* The last line of the tool's stderr (the summary), without newline. */
static const char *mon_err_last_line(struct mon *m, char *buf, size_t sz)
{
	size_t len = strlen(m->errtext);
	const char *start;

	while (len && m->errtext[len - 1] == '\n')
		len--;
	start = m->errtext + len;
	while (start > m->errtext && start[-1] != '\n')
		start--;
	snprintf(buf, sz, "%.*s", (int)(m->errtext + len - start), start);
	return buf;
}

/* ---------------------------------------------------------------- */
/* lines, with their times masked                                   */

/*
 * Check that @s starts with seconds.micro (digits, a dot, 6 digits) and
 * return its length, or 0; its value in *@t (if given; 0 when not a time).
 */
static size_t time_len(const char *s, double *t)
{
	size_t i = 0, d;

	if (t)
		*t = 0;

	while (s[i] >= '0' && s[i] <= '9')
		i++;
	if (!i || s[i] != '.')
		return 0;
	for (d = 1; d <= 6; d++)
		if (s[i + d] < '0' || s[i + d] > '9')
			return 0;
	if (t)
		*t = strtod(s, NULL);
	return i + 7;
}

/*
 * A JSON line with the value of "t" and of the report's (first)
 * "timestamp" replaced by T; checks their form, and that t does not go
 * back (the tests wait for each line before the next change).
 */
static void json_mask(struct mon *m, const char *line, char *out, size_t sz)
{
	const char *t_key = "{\"t\":", *ts_key = ",\"timestamp\":";
	const char *ts;
	size_t tl, o = 0;
	double t;

	assert_true(strncmp(line, t_key, strlen(t_key)) == 0);
	tl = time_len(line + strlen(t_key), &t);
	assert_true(tl > 0);
	assert_true(t >= m->last_t);
	m->last_t = t;
	o = (size_t)snprintf(out, sz, "%sT", t_key);
	line += strlen(t_key) + tl;
	ts = strstr(line, ts_key);
	assert_non_null(ts);
	ts += strlen(ts_key);
	o += (size_t)snprintf(out + o, sz - o, "%.*s", (int)(ts - line), line);
	assert_true(*ts >= '1' && *ts <= '9');
	while (*ts >= '0' && *ts <= '9')
		ts++;
	snprintf(out + o, sz - o, "T%s", ts);
}

/* A text line with its leading time replaced by T. */
static void text_mask(struct mon *m, const char *line, char *out, size_t sz)
{
	double t;
	size_t tl = time_len(line, &t);

	assert_true(tl > 0);
	assert_true(t >= m->last_t);
	m->last_t = t;
	assert_true(snprintf(out, sz, "T%s", line + tl) < (int)sz);
}

/* Take the next line, which must be @expected once masked. */
static void expect(struct fx *fx, bool json, const char *expected)
{
	char line[4096], masked[4096];
	int r = mon_line(&fx->mon, line, sizeof(line), LINE_WAIT_MS);

	if (r != 1)
		fail_msg("expected '%s', got %s", expected,
			 r ? "the end of the output" : "nothing");
	if (json)
		json_mask(&fx->mon, line, masked, sizeof(masked));
	else
		text_mask(&fx->mon, line, masked, sizeof(masked));
	assert_string_equal(masked, expected);
}

/* No line within QUIET_MS. */
static void expect_quiet(struct fx *fx)
{
	char line[4096];
	int r = mon_line(&fx->mon, line, sizeof(line), QUIET_MS);

	if (r == 1)
		fail_msg("unexpected line '%s'", line);
}

/* ---------------------------------------------------------------- */
/* control                                                          */

static void __attribute__((format(printf, 2, 3)))
ctl(struct fx *fx, const char *fmt, ...)
{
	char req[256], reply[256];
	va_list ap;
	int r;

	va_start(ap, fmt);
	vsnprintf(req, sizeof(req), fmt, ap);
	va_end(ap);
	r = sim_ctl(&fx->sim, reply, sizeof(reply), "%s", req);
	if (r)
		fail_msg("control '%s': %d '%s'", req, r, reply);
}

/*
 * Repeat the change @probe_a / @probe_b (alternately) until a line that
 * contains @want appears; then take every line until the tool is quiet.
 * Each line taken must contain @each. Returns the number of lines taken
 * that contain @want (for the summary's counts).
 */
static unsigned int sync_on(struct fx *fx, const char *probe_a,
			    const char *probe_b, const char *want,
			    const char *each)
{
	uint64_t deadline = now_ms() + SYNC_WAIT_MS;
	char line[4096];
	unsigned int wanted = 0;
	bool seen = false;

	for (unsigned int i = 0; !seen; i++) {
		int r;

		if (now_ms() > deadline)
			fail_msg("no '%s' line after %u probes", want, i);
		ctl(fx, "%s", i % 2 ? probe_b : probe_a);
		while ((r = mon_line(&fx->mon, line, sizeof(line), PROBE_MS)) == 1) {
			if (!strstr(line, each))
				fail_msg("probe: unexpected line '%s'", line);
			if (strstr(line, want)) {
				wanted++;
				seen = true;
			}
		}
		if (r < 0 && !seen) {
			mon_wait(&fx->mon, 1000);
			fail_msg("the tool ended: %s", fx->mon.errtext);
		}
	}
	while (mon_line(&fx->mon, line, sizeof(line), QUIET_MS) == 1) {
		if (!strstr(line, each))
			fail_msg("probe: unexpected line '%s'", line);
		if (strstr(line, want))
			wanted++;
	}
	return wanted;
}

/* Probe on the last subscription of an unfiltered run: powercap 0 power. */
static unsigned int sync_all(struct fx *fx)
{
	return sync_on(fx, "powercap measure 0 7000", "powercap measure 0 6000",
		       "POWERCAP_MEASUREMENTS_CHANGED",
		       "POWERCAP_MEASUREMENTS_CHANGED");
}

/* ---------------------------------------------------------------- */
/* fixtures                                                         */

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	fx->mon.out_fd = -1;
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

	mon_stop(&fx->mon);
	sim_stop(&fx->sim);
	scmi_agent_destroy(fx->agent);
	free(fx);
	return 0;
}

static void need_monitor(void)
{
	if (!monitor_exe())
		skip();
}

#define ARGS(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* ---------------------------------------------------------------- */
/* tests                                                            */

#define J(proto, evt, src, rest)                                               \
	"{\"t\":T,\"protocol\":\"" proto "\",\"event\":\"" evt "\",\"src\":" #src \
	",\"timestamp\":T," rest "}"

/* Every protocol, JSON: each change's lines, whole and in order; SIGINT. */
static void test_json_all(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent_config cfg = { .timeout_ms = 1000 };
	char expected[2048], last[4096];
	unsigned int probes;

	need_monitor();
	mon_start(fx, ARGS("--json"));
	probes = sync_all(fx);

	ctl(fx, "power set 2 0");
	expect(fx, true, J("power", "POWER_STATE_CHANGED", 2,
			   "\"agent_id\":0,\"domain_id\":2,\"power_state\":0"));
	/* domain 3 cannot notify: nothing */
	ctl(fx, "power set 3 0x40000000");
	ctl(fx, "power set 2 0x40000000");
	expect(fx, true, J("power", "POWER_STATE_CHANGED", 2,
			   "\"agent_id\":0,\"domain_id\":2,\"power_state\":1073741824"));

	ctl(fx, "perf level 0 1400");
	expect(fx, true, J("perf", "PERFORMANCE_LEVEL_CHANGED", 0,
			   "\"agent_id\":0,\"domain_id\":0,\"performance_level\":1400"));
	/* limits below the level of domain 1 (1600): limits, then the level */
	ctl(fx, "perf limits 1 1200 800");
	expect(fx, true, J("perf", "PERFORMANCE_LIMITS_CHANGED", 1,
			   "\"agent_id\":0,\"domain_id\":1,\"range_max\":1200,\"range_min\":800"));
	expect(fx, true, J("perf", "PERFORMANCE_LEVEL_CHANGED", 1,
			   "\"agent_id\":0,\"domain_id\":1,\"performance_level\":1200"));

	/* soc-temp 45000 -> 95000 crosses both trip points up, then the update */
	ctl(fx, "sensor set 0 95000");
	expect(fx, true, J("sensor", "SENSOR_TRIP_POINT_EVENT", 0,
			   "\"agent_id\":0,\"sensor_id\":0,\"trip_point_desc\":65536"));
	expect(fx, true, J("sensor", "SENSOR_TRIP_POINT_EVENT", 0,
			   "\"agent_id\":0,\"sensor_id\":0,\"trip_point_desc\":65537"));
	expect(fx, true, J("sensor", "SENSOR_UPDATE", 0,
			   "\"agent_id\":0,\"sensor_id\":0,\"readings_count\":1,"
			   "\"readings\":[{\"value\":95000,\"timestamp\":0}]"));
	/* vdd-cpu has trip points but no updates: the trip point alone */
	ctl(fx, "sensor set 2 650000");
	expect(fx, true, J("sensor", "SENSOR_TRIP_POINT_EVENT", 2,
			   "\"agent_id\":0,\"sensor_id\":2,\"trip_point_desc\":0"));

	ctl(fx, "reset issue 0");
	expect(fx, true, J("reset", "RESET_ISSUED", 0,
			   "\"agent_id\":0,\"domain_id\":0,\"reset_state\":0"));

	ctl(fx, "system request shutdown graceful");
	expect(fx, true, J("system", "SYSTEM_POWER_STATE_NOTIFIER", 0,
			   "\"agent_id\":0,\"flags\":1,\"system_state\":0,\"timeout\":1000"));
	ctl(fx, "system request cold-reset forceful");
	expect(fx, true, J("system", "SYSTEM_POWER_STATE_NOTIFIER", 0,
			   "\"agent_id\":0,\"flags\":0,\"system_state\":1,\"timeout\":0"));

	ctl(fx, "clock rate 0 1200000000");
	expect(fx, true, J("clock", "CLOCK_RATE_CHANGE_REQUESTED", 0,
			   "\"agent_id\":0,\"clock_id\":0,\"rate\":1200000000"));
	expect(fx, true, J("clock", "CLOCK_RATE_CHANGED", 0,
			   "\"agent_id\":0,\"clock_id\":0,\"rate\":1200000000"));
	/* ddr-pll: no CHANGE_REQUESTED */
	ctl(fx, "clock rate 1 800000000");
	expect(fx, true, J("clock", "CLOCK_RATE_CHANGED", 1,
			   "\"agent_id\":0,\"clock_id\":1,\"rate\":800000000"));

	ctl(fx, "powercap cap 0 10000");
	expect(fx, true, J("powercap", "POWERCAP_CAP_CHANGED", 0,
			   "\"agent_id\":0,\"domain_id\":0,\"power_cap\":10000,\"pai\":1000"));
	ctl(fx, "powercap measure 0 9000");
	expect(fx, true, J("powercap", "POWERCAP_MEASUREMENTS_CHANGED", 0,
			   "\"agent_id\":0,\"domain_id\":0,\"power\":9000"));

	/* a change by another agent (the tool is agent 1, this one 2) */
	assert_int_equal(scmi_agent_create(&fx->agent, &cfg), 0);
	assert_int_equal(scmi_agent_connect(fx->agent, fx->sim.sock), 0);
	assert_int_equal(scmi_agent_id(fx->agent), 2);
	assert_int_equal(scmi_power_state_set(fx->agent, 1, SCMI_POWER_STATE_OFF), 0);
	expect(fx, true, J("power", "POWER_STATE_CHANGED", 1,
			   "\"agent_id\":2,\"domain_id\":1,\"power_state\":1073741824"));
	assert_int_equal(scmi_perf_level_set(fx->agent, 0, 600), 0);
	expect(fx, true, J("perf", "PERFORMANCE_LEVEL_CHANGED", 0,
			   "\"agent_id\":2,\"domain_id\":0,\"performance_level\":600"));
	expect_quiet(fx);

	assert_int_equal(kill(fx->mon.pid, SIGINT), 0);
	assert_int_equal(mon_exit_status(&fx->mon), 0);
	assert_int_equal(mon_line(&fx->mon, last, sizeof(last), LINE_WAIT_MS), -1);
	snprintf(expected, sizeof(expected),
		 "{\"summary\":{\"reason\":\"signal\",\"signal\":\"SIGINT\","
		 "\"events\":%u,\"dropped\":0,\"subscriptions\":22,\"counts\":{"
		 "\"base\":{\"BASE_ERROR_EVENT\":0},"
		 "\"power\":{\"POWER_STATE_CHANGED\":3},"
		 "\"system\":{\"SYSTEM_POWER_STATE_NOTIFIER\":2},"
		 "\"perf\":{\"PERFORMANCE_LIMITS_CHANGED\":1,\"PERFORMANCE_LEVEL_CHANGED\":3},"
		 "\"clock\":{\"CLOCK_RATE_CHANGED\":2,\"CLOCK_RATE_CHANGE_REQUESTED\":1},"
		 "\"sensor\":{\"SENSOR_TRIP_POINT_EVENT\":3,\"SENSOR_UPDATE\":1},"
		 "\"reset\":{\"RESET_ISSUED\":1},"
		 "\"powercap\":{\"POWERCAP_CAP_CHANGED\":1,\"POWERCAP_MEASUREMENTS_CHANGED\":%u}}}}",
		 18 + probes + 1, probes + 1);
	assert_string_equal(mon_err_last_line(&fx->mon, last, sizeof(last)),
			    expected);
}

/* Every protocol, text: the readable lines, whole; SIGTERM. */
static void test_text_all(void **state)
{
	struct fx *fx = *state;
	char last[4096];
	const char *e;
	unsigned int probes;

	need_monitor();
	mon_start(fx, NULL);
	probes = sync_all(fx);
	assert_true(probes >= 1);

	ctl(fx, "power set 0 0x40000000");
	expect(fx, false, "T power POWER_STATE_CHANGED domain=0 agent=0 state=0x40000000(off)");
	ctl(fx, "perf limits 1 2000 1200");
	expect(fx, false, "T perf PERFORMANCE_LIMITS_CHANGED domain=1 agent=0 max=2000 min=1200");
	ctl(fx, "sensor set 1 85000");
	expect(fx, false, "T sensor SENSOR_TRIP_POINT_EVENT sensor=1 agent=0 desc=0x00010000(trip=0,up)");
	expect(fx, false, "T sensor SENSOR_UPDATE sensor=1 agent=0 count=1 readings=85000@0");
	ctl(fx, "sensor set 1 -5");
	expect(fx, false, "T sensor SENSOR_TRIP_POINT_EVENT sensor=1 agent=0 desc=0x00000000(trip=0,down)");
	expect(fx, false, "T sensor SENSOR_UPDATE sensor=1 agent=0 count=1 readings=-5@0");
	ctl(fx, "reset issue 0");
	expect(fx, false, "T reset RESET_ISSUED domain=0 agent=0 state=0x00000000(cold)");
	ctl(fx, "system request shutdown graceful 250");
	expect(fx, false, "T system SYSTEM_POWER_STATE_NOTIFIER src=0 agent=0 flags=0x00000001(graceful) state=0(shutdown) timeout=250");
	/* the report has a timeout for a graceful shutdown only */
	ctl(fx, "system request warm-reset graceful 250");
	expect(fx, false, "T system SYSTEM_POWER_STATE_NOTIFIER src=0 agent=0 flags=0x00000001(graceful) state=2(warm-reset) timeout=0");
	ctl(fx, "system request power-up forceful");
	expect(fx, false, "T system SYSTEM_POWER_STATE_NOTIFIER src=0 agent=0 flags=0x00000000(forceful) state=3(power-up) timeout=0");
	ctl(fx, "clock rate 2 25000000");
	expect(fx, false, "T clock CLOCK_RATE_CHANGE_REQUESTED clock=2 agent=0 rate=25000000");
	expect(fx, false, "T clock CLOCK_RATE_CHANGED clock=2 agent=0 rate=25000000");
	ctl(fx, "powercap cap 0 0");
	expect(fx, false, "T powercap POWERCAP_CAP_CHANGED domain=0 agent=0 cap=0(disabled) pai=1000");
	ctl(fx, "powercap pai 0 2000");
	expect(fx, false, "T powercap POWERCAP_CAP_CHANGED domain=0 agent=0 cap=0(disabled) pai=2000");
	expect_quiet(fx);

	assert_int_equal(kill(fx->mon.pid, SIGTERM), 0);
	assert_int_equal(mon_exit_status(&fx->mon), 0);
	/* the summary: a head line, then one line per subscribed event */
	snprintf(last, sizeof(last), "scmi-monitor: %u events (stopped by SIGTERM)\n",
		 14 + probes);
	e = strstr(fx->mon.errtext, last);
	if (!e)
		fail_msg("no '%s' in '%s'", last, fx->mon.errtext);
	assert_non_null(strstr(e, "\n  power    POWER_STATE_CHANGED            1\n"));
	assert_non_null(strstr(e, "\n  sensor   SENSOR_TRIP_POINT_EVENT        2\n"));
	assert_non_null(strstr(e, "\n  powercap POWERCAP_CAP_CHANGED           2\n"));
	assert_non_null(strstr(e, "\n  base     BASE_ERROR_EVENT               0\n"));
}

/* --protocol (a name and an id) and --source: other lines never come. */
static void test_filter_protocol_source(void **state)
{
	struct fx *fx = *state;
	char last[4096];

	need_monitor();
	mon_start(fx, ARGS("--json", "--protocol", "power", "--protocol", "0x14",
			   "--source", "2"));
	/* the last subscription: clock 2, CLOCK_RATE_CHANGE_REQUESTED */
	sync_on(fx, "clock rate 2 24000000", "clock rate 2 25000000",
		"CLOCK_RATE_CHANGE_REQUESTED", "\"clock\"");

	/* not kept: other sources of the same protocols, other protocols */
	ctl(fx, "power set 1 0x40000000");
	ctl(fx, "clock rate 0 400000000");
	ctl(fx, "perf level 1 2000");
	ctl(fx, "reset issue 0");
	ctl(fx, "sensor set 0 75000");
	ctl(fx, "power set 2 0");
	expect(fx, true, J("power", "POWER_STATE_CHANGED", 2,
			   "\"agent_id\":0,\"domain_id\":2,\"power_state\":0"));
	ctl(fx, "clock rate 2 1000000");
	expect(fx, true, J("clock", "CLOCK_RATE_CHANGE_REQUESTED", 2,
			   "\"agent_id\":0,\"clock_id\":2,\"rate\":1000000"));
	expect(fx, true, J("clock", "CLOCK_RATE_CHANGED", 2,
			   "\"agent_id\":0,\"clock_id\":2,\"rate\":1000000"));
	expect_quiet(fx);

	assert_int_equal(kill(fx->mon.pid, SIGINT), 0);
	assert_int_equal(mon_exit_status(&fx->mon), 0);
	mon_err_last_line(&fx->mon, last, sizeof(last));
	assert_non_null(strstr(last, "\"subscriptions\":3,\"counts\":{"
				     "\"power\":{\"POWER_STATE_CHANGED\":1},"
				     "\"clock\":{\"CLOCK_RATE_CHANGED\":"));
}

/* --event by name and by id: only those events. */
static void test_filter_event(void **state)
{
	struct fx *fx = *state;
	char last[4096];

	need_monitor();
	mon_start(fx, ARGS("--json", "--protocol", "perf", "--protocol", "sensor",
			   "--event", "performance_level_changed", "--event", "1"));
	/* the last subscription: sensor 1, SENSOR_UPDATE */
	sync_on(fx, "sensor set 1 40001", "sensor set 1 40000",
		"\"event\":\"SENSOR_UPDATE\",\"src\":1", "SENSOR_UPDATE");

	/* limits 1400..1800 move the level of domain 0 (1000) up to 1400 */
	ctl(fx, "perf limits 0 1800 1400");
	expect(fx, true, J("perf", "PERFORMANCE_LEVEL_CHANGED", 0,
			   "\"agent_id\":0,\"domain_id\":0,\"performance_level\":1400"));
	/* the trip point is not kept, the update is */
	ctl(fx, "sensor set 0 75000");
	expect(fx, true, J("sensor", "SENSOR_UPDATE", 0,
			   "\"agent_id\":0,\"sensor_id\":0,\"readings_count\":1,"
			   "\"readings\":[{\"value\":75000,\"timestamp\":0}]"));
	expect_quiet(fx);

	assert_int_equal(kill(fx->mon.pid, SIGINT), 0);
	assert_int_equal(mon_exit_status(&fx->mon), 0);
	mon_err_last_line(&fx->mon, last, sizeof(last));
	assert_non_null(strstr(last, "\"subscriptions\":4,\"counts\":{"
				     "\"perf\":{\"PERFORMANCE_LEVEL_CHANGED\":1},"
				     "\"sensor\":{\"SENSOR_UPDATE\":"));
}

/* --count N: exactly N lines, exit status 0, the summary says so. */
static void test_count(void **state)
{
	struct fx *fx = *state;
	uint64_t deadline;
	char line[4096];
	unsigned int lines = 0;
	int r;

	need_monitor();
	mon_start(fx, ARGS("--json", "--count", "3", "--protocol", "reset"));
	deadline = now_ms() + SYNC_WAIT_MS;
	/* resets until the tool ends by itself */
	while ((r = mon_line(&fx->mon, line, sizeof(line), PROBE_MS)) != -1) {
		if (r == 1) {
			assert_non_null(strstr(line, "\"event\":\"RESET_ISSUED\",\"src\":0,"));
			lines++;
			continue;
		}
		assert_true(now_ms() < deadline);
		ctl(fx, "reset issue 0");
	}
	assert_int_equal(lines, 3);
	assert_int_equal(mon_exit_status(&fx->mon), 0);
	assert_string_equal(mon_err_last_line(&fx->mon, line, sizeof(line)),
			    "{\"summary\":{\"reason\":\"count\",\"events\":3,"
			    "\"dropped\":0,\"subscriptions\":1,\"counts\":{"
			    "\"reset\":{\"RESET_ISSUED\":3}}}}");
}

/*
 * The platform dies: the agent's state_fn says so at once, exit status 4,
 * the summary, the end of the output.
 */
static void test_platform_gone(void **state)
{
	struct fx *fx = *state;
	char line[4096];

	need_monitor();
	mon_start(fx, ARGS("--json", "--protocol", "power"));
	sync_on(fx, "power set 1 0x40000000", "power set 1 0",
		"POWER_STATE_CHANGED", "POWER_STATE_CHANGED");
	sim_crash(&fx->sim);
	assert_int_equal(mon_exit_status(&fx->mon), 4);
	assert_int_equal(mon_line(&fx->mon, line, sizeof(line), LINE_WAIT_MS), -1);
	assert_non_null(strstr(fx->mon.errtext, "went away"));
	mon_err_last_line(&fx->mon, line, sizeof(line));
	assert_true(strncmp(line, "{\"summary\":{\"reason\":\"platform-gone\",",
			    strlen("{\"summary\":{\"reason\":\"platform-gone\",")) == 0);
}

/* The commands the platform received from agent 1 (the tool). */
static unsigned int tool_commands(struct fx *fx)
{
	char reply[4096];
	unsigned int n;

	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply), "agents"), 0);
	assert_int_equal(sscanf(reply, "ok agent 1: commands %u", &n), 1);
	return n;
}

/*
 * The same in text mode, and the text summary says why. While it waits,
 * the tool sends the platform nothing (it learns of the end from the
 * agent's state_fn, not by polling).
 */
static void test_platform_gone_text(void **state)
{
	struct fx *fx = *state;
	unsigned int commands;

	need_monitor();
	mon_start(fx, ARGS("--protocol", "reset"));
	sync_on(fx, "reset issue 0", "reset issue 0", "RESET_ISSUED",
		"RESET_ISSUED");
	commands = tool_commands(fx);
	sim_sleep_ms(1000);
	assert_int_equal(tool_commands(fx), commands);
	sim_crash(&fx->sim);
	assert_int_equal(mon_exit_status(&fx->mon), 4);
	assert_non_null(strstr(fx->mon.errtext, "(the platform went away)\n"));
}

/*
 * scmi-monitor | head -1: the reader takes one line and closes the pipe.
 * The tool sees it (POLLERR on stdout) without another event, and ends
 * quietly: exit status 0, nothing on stderr (no "Broken pipe", no
 * summary), not killed by SIGPIPE (the child has its default action).
 */
static void test_head_one(void **state)
{
	struct fx *fx = *state;
	char line[4096];

	need_monitor();
	mon_start(fx, ARGS("--protocol", "reset"));
	sync_on(fx, "reset issue 0", "reset issue 0", "RESET_ISSUED",
		"RESET_ISSUED");
	ctl(fx, "reset issue 0");
	assert_int_equal(mon_line(&fx->mon, line, sizeof(line), LINE_WAIT_MS), 1);
	close(fx->mon.out_fd);
	fx->mon.out_fd = -1;
	assert_int_equal(mon_exit_status(&fx->mon), 0);
	assert_string_equal(fx->mon.errtext, "");
}

/* The reader is gone when the next event comes: the same quiet end. */
static void test_output_closed(void **state)
{
	struct fx *fx = *state;

	need_monitor();
	mon_start(fx, ARGS("--json", "--protocol", "reset"));
	sync_on(fx, "reset issue 0", "reset issue 0", "RESET_ISSUED",
		"RESET_ISSUED");
	close(fx->mon.out_fd);
	fx->mon.out_fd = -1;
	ctl(fx, "reset issue 0");
	assert_int_equal(mon_exit_status(&fx->mon), 0);
	assert_string_equal(fx->mon.errtext, "");
}

/*
 * An output that fails otherwise (a full disk: /dev/full) is an error:
 * exit status 1, the reason, the summary. Events come until the tool
 * ends (its output cannot tell when it has subscribed).
 */
static void test_output_error(void **state)
{
	struct fx *fx = *state;
	uint64_t deadline = now_ms() + SYNC_WAIT_MS;
	char line[4096];

	need_monitor();
	mon_start_out(&fx->mon, fx->sim.sock, ARGS("--json", "--protocol", "reset"),
		      "/dev/full");
	while (mon_wait(&fx->mon, PROBE_MS) < 0) {
		assert_true(now_ms() < deadline);
		ctl(fx, "reset issue 0");
	}
	assert_true(WIFEXITED(fx->mon.status));
	assert_int_equal(WEXITSTATUS(fx->mon.status), 1);
	assert_non_null(strstr(fx->mon.errtext,
			       "scmi-monitor: write: No space left on device\n"));
	mon_err_last_line(&fx->mon, line, sizeof(line));
	assert_true(strncmp(line, "{\"summary\":{\"reason\":\"output-error\",",
			    strlen("{\"summary\":{\"reason\":\"output-error\",")) == 0);
}

/* --wall: wall-clock times, in both forms. */
static void test_wall(void **state)
{
	struct fx *fx = *state;
	char line[4096], masked[4096];
	time_t before = time(NULL), after;
	double t;
	const char *p;

	need_monitor();
	/* JSON: seconds since the epoch */
	mon_start(fx, ARGS("--json", "--wall", "--protocol", "reset"));
	sync_on(fx, "reset issue 0", "reset issue 0", "RESET_ISSUED", "RESET_ISSUED");
	ctl(fx, "reset issue 0");
	assert_int_equal(mon_line(&fx->mon, line, sizeof(line), LINE_WAIT_MS), 1);
	after = time(NULL);
	assert_true(time_len(line + 5, &t) > 0);
	assert_true(t >= (double)before - 1 && t <= (double)after + 1);
	json_mask(&fx->mon, line, masked, sizeof(masked));
	assert_string_equal(masked, J("reset", "RESET_ISSUED", 0,
				      "\"agent_id\":0,\"domain_id\":0,\"reset_state\":0"));
	mon_stop(&fx->mon);

	/* text: local ISO 8601 with micro-seconds and the zone */
	mon_start(fx, ARGS("--wall", "--protocol", "reset"));
	sync_on(fx, "reset issue 0", "reset issue 0", "RESET_ISSUED", "RESET_ISSUED");
	ctl(fx, "reset issue 0");
	assert_int_equal(mon_line(&fx->mon, line, sizeof(line), LINE_WAIT_MS), 1);
	/* 2024-05-01T12:34:56.123456+0200 reset RESET_ISSUED ... */
	assert_true(strlen(line) > 31);
	for (int i = 0; i < 31; i++) {
		static const char form[] = "dddd-dd-ddTdd:dd:dd.dddddd+dddd";

		if (form[i] == 'd')
			assert_true(line[i] >= '0' && line[i] <= '9');
		else if (form[i] == '+')
			assert_true(line[i] == '+' || line[i] == '-');
		else
			assert_int_equal(line[i], form[i]);
	}
	p = line + 31;
	assert_string_equal(p, " reset RESET_ISSUED domain=0 agent=0 state=0x00000000(cold)");
}

/* No platform: exit status 3, a message naming the socket. */
static void test_connect_error(void **state)
{
	struct fx *fx = *state;
	char path[128];

	need_monitor();
	snprintf(path, sizeof(path), "%s/nobody.sock", fx->sim.dir);
	mon_start_sock(&fx->mon, path, ARGS("--json"));
	assert_int_equal(mon_exit_status(&fx->mon), 3);
	assert_non_null(strstr(fx->mon.errtext, "cannot connect to"));
	assert_non_null(strstr(fx->mon.errtext, path));
}

/*
 * -s given the simulator's control socket: exit status 3, and the message
 * says what it is and which socket to give instead (not "Connection timed
 * out").
 */
static void test_control_socket(void **state)
{
	struct fx *fx = *state;
	char path[sizeof(fx->sim.sock) + 8], want[512];

	need_monitor();
	snprintf(path, sizeof(path), "%s.ctl", fx->sim.sock);
	mon_start_sock(&fx->mon, NULL, ARGS("-s", path));
	assert_int_equal(mon_exit_status(&fx->mon), 3);
	snprintf(want, sizeof(want),
		 "scmi-monitor: %s is the control socket of scmi-sim (for scmi-sim-ctl), not its agent socket: try --socket %s\n",
		 path, fx->sim.sock);
	assert_string_equal(fx->mon.errtext, want);
}

/*
 * Without --socket: $XDG_RUNTIME_DIR/scmi-sim.sock (scmi_default_socket_path()),
 * here a link to the simulator's socket.
 */
static void test_default_socket(void **state)
{
	struct fx *fx = *state;
	const char *old = getenv("XDG_RUNTIME_DIR");
	char link[128], *saved = old ? strdup(old) : NULL;

	need_monitor();
	snprintf(link, sizeof(link), "%s/scmi-sim.sock", fx->sim.dir);
	assert_int_equal(symlink(fx->sim.sock, link), 0);
	assert_int_equal(setenv("XDG_RUNTIME_DIR", fx->sim.dir, 1), 0);
	mon_start_sock(&fx->mon, NULL, ARGS("--protocol", "reset"));
	if (saved)
		setenv("XDG_RUNTIME_DIR", saved, 1);
	else
		unsetenv("XDG_RUNTIME_DIR");
	free(saved);
	sync_on(fx, "reset issue 0", "reset issue 0", "RESET_ISSUED",
		"RESET_ISSUED");
	unlink(link);
	assert_int_equal(kill(fx->mon.pid, SIGINT), 0);
	assert_int_equal(mon_exit_status(&fx->mon), 0);
}

/* Nothing the filters keep: exit status 1. */
static void test_nothing_to_monitor(void **state)
{
	struct fx *fx = *state;

	need_monitor();
	mon_start(fx, ARGS("--protocol", "voltage"));
	assert_int_equal(mon_exit_status(&fx->mon), 1);
	assert_non_null(strstr(fx->mon.errtext, "nothing to monitor"));
	mon_stop(&fx->mon);
	/* a source no protocol has */
	mon_start(fx, ARGS("--protocol", "reset", "--source", "7"));
	assert_int_equal(mon_exit_status(&fx->mon), 1);
}

/* Bad usage: exit status 2; --help and --version: 0. */
static void test_usage(void **state)
{
	const char *const *const bad[] = {
		ARGS("--bogus"),
		ARGS("--protocol", "nosuch"),
		ARGS("--protocol", "0x99"),
		ARGS("--event", "NO_SUCH_EVENT"),
		ARGS("--event", "256"),
		ARGS("--source", "-1"),
		ARGS("--source", "65535"),
		ARGS("--count", "0"),
		ARGS("--count", "ten"),
		ARGS("--timeout", "0"),
		ARGS("--socket", ""),
		ARGS("extra"),
	};
	struct fx *fx = *state;
	char line[4096];

	need_monitor();
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		mon_start(fx, bad[i]);
		if (mon_exit_status(&fx->mon) != 2)
			fail_msg("'%s': not a usage error", bad[i][0]);
		assert_true(fx->mon.errtext[0] != '\0');
		mon_stop(&fx->mon);
	}
	mon_start_sock(&fx->mon, NULL, ARGS("--help"));
	assert_int_equal(mon_exit_status(&fx->mon), 0);
	assert_int_equal(mon_line(&fx->mon, line, sizeof(line), LINE_WAIT_MS), 1);
	assert_true(strncmp(line, "Usage: scmi-monitor", 19) == 0);
	mon_stop(&fx->mon);
	mon_start_sock(&fx->mon, NULL, ARGS("--version"));
	assert_int_equal(mon_exit_status(&fx->mon), 0);
	assert_int_equal(mon_line(&fx->mon, line, sizeof(line), LINE_WAIT_MS), 1);
	assert_true(strncmp(line, "scmi-monitor ", 13) == 0);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_json_all),
		T(test_text_all),
		T(test_filter_protocol_source),
		T(test_filter_event),
		T(test_count),
		T(test_platform_gone),
		T(test_platform_gone_text),
		T(test_head_one),
		T(test_output_closed),
		T(test_output_error),
		T(test_wall),
		T(test_connect_error),
		T(test_control_socket),
		T(test_default_socket),
		T(test_nothing_to_monitor),
		T(test_usage),
	};
#undef T

	if (!sim_exe()) {
		fprintf(stderr, "no simulator: set SCMI_SIM\n");
		return 77; /* skipped */
	}
	if (!monitor_exe()) {
		fprintf(stderr, "no scmi-monitor: set SCMI_MONITOR\n");
		return 77;
	}
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
