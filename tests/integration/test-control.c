/* SPDX-License-Identifier: MIT */
/*
 * The control interface end to end, through the real programs: the
 * scmi-sim-ctl binary ($SCMI_SIM_CTL) against the real simulator
 * ($SCMI_SIM), and real agents (libscmi-notify) that see what each
 * request did.
 *
 *   - scmi-sim-ctl itself: its output and exit status on ok (0), error
 *     (1, the text on stderr), usage errors (2), a simulator it cannot
 *     reach (3, naming the path: no socket, nobody listening, an agent
 *     socket, no answer), one that hangs up before its reply (4), a
 *     closed stdout (0, quietly), --help (its options and the
 *     simulator's list), --version, --json;
 *   - "help" lists a verb of every protocol that has control, and each
 *     verb it lists is one its protocol takes;
 *   - every control verb of every protocol, run through scmi-sim-ctl, and
 *     its effect seen by an agent: the event a subscribed agent receives,
 *     and the new state a get through the agent's API returns;
 *   - "state" (text and --json, checked with a JSON parser of our own
 *     against the default topology and after changes), "agents" and
 *     "faults".
 *
 * Each test starts its own simulator and kills it in its teardown.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <scmi/agent.h>
#include <scmi/clock.h>
#include <scmi/notify.h>
#include <scmi/perf.h>
#include <scmi/power.h>
#include <scmi/powercap.h>
#include <scmi/protocols.h>
#include <scmi/reset.h>
#include <scmi/sensor.h>
#include <scmi/system.h>
#include <scmi/voltage.h>
#include <scmi/wire.h>

#include "fixture.h"
#include "mini-json.h"

#define TIMEOUT_MS 1000       /* generous: valgrind runs these too */
#define WAIT_MS 2000          /* bound of every wait for an event */
#define QUIET_MS 100          /* how long "nothing arrives" is watched */
#define SIM_CTL_MAX_MSG 1024  /* a control request, at most (scmi-sim-ctl(1)) */

#define ON SCMI_POWER_STATE_ON
#define OFF SCMI_POWER_STATE_OFF

static const char *ctl_exe(void)
{
	const char *env = getenv("SCMI_SIM_CTL");

	return env && env[0] ? env : NULL;
}

static struct scmi_agent *agent_connected(struct fx *fx, size_t slot)
{
	return fx_connect(fx, fx_agent(fx, slot, TIMEOUT_MS));
}

/* A second agent, connected now: it discovers what the platform offers now. */
static struct scmi_agent *agent_reconnected(struct fx *fx, size_t slot)
{
	scmi_agent_destroy(fx->agents[slot]);
	fx->agents[slot] = NULL;
	return agent_connected(fx, slot);
}

/* ---- running scmi-sim-ctl ------------------------------------------- */

#define MAX_ARGS 32

/*
 * Run scmi-sim-ctl with the words of @words (split at blanks), after
 * "--socket <the simulator's socket>" when @fx is not NULL, as
 * fx_run_tool() runs a tool. Its exit status, stdout and stderr into
 * *@r. With @close_stdout its stdout is a pipe whose reader is gone
 * before it starts (r->out stays "").
 */
static int run_ctl_words(struct fx *fx, struct fx_run *r, bool close_stdout,
			 const char *words)
{
	char line[2048], *argv[MAX_ARGS], *save = NULL;
	int argc = 0;

	assert_true((size_t)snprintf(line, sizeof(line), "%s", words) < sizeof(line));
	argv[argc++] = (char *)ctl_exe();
	if (fx) {
		argv[argc++] = "--socket";
		argv[argc++] = fx->sim.sock;
	}
	for (char *w = strtok_r(line, " ", &save); w && argc < MAX_ARGS - 1;
	     w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	argv[argc] = NULL;
	return fx_run_tool(argv, close_stdout, r);
}

/* run_ctl_words() with a printf-style line, stdout on a pipe read. */
static int run_ctl(struct fx *fx, struct fx_run *r, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int run_ctl(struct fx *fx, struct fx_run *r, const char *fmt, ...)
{
	char line[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	return run_ctl_words(fx, r, false, line);
}

/* Run a request that must succeed with nothing on stderr; its stdout in r->out. */
#define CTL_OK(fx, r, ...)                                                   \
	do {                                                                 \
		if (run_ctl((fx), (r), __VA_ARGS__) != 0)                    \
			fail_msg("scmi-sim-ctl: status %d: %s", (r)->status, \
				 (r)->err);                                  \
		assert_string_equal((r)->err, "");                           \
	} while (0)

/* stdout, one line expected: the line without its newline. */
static const char *line_of(struct fx_run *r)
{
	size_t n = strlen(r->out);

	assert_true(n > 0 && r->out[n - 1] == '\n');
	r->out[n - 1] = '\0';
	assert_null(strchr(r->out, '\n'));
	return r->out;
}

/* The JSON printed by a request that must succeed. */
static struct mj *json_of(struct fx *fx, struct fx_run *r, const char *req)
{
	struct mj *v = NULL;

	CTL_OK(fx, r, "--json %s", req);
	if (mj_parse(r->out, &v))
		fail_msg("'%s --json': not JSON: %s", req, r->out);
	return v;
}

static const struct mj *jget(const struct mj *v, const char *path,
			     enum mj_type type)
{
	const struct mj *n = mj_get(v, path);

	if (!n || n->type != type)
		fail_msg("no value of type %d at '%s'", (int)type, path);
	return n;
}

static int64_t jint(const struct mj *v, const char *path)
{
	const struct mj *n = jget(v, path, MJ_NUM);

	if (!n->is_int)
		fail_msg("'%s' is not an integer", path);
	return n->i;
}

static bool jbool(const struct mj *v, const char *path)
{
	return jget(v, path, MJ_BOOL)->b;
}

static const char *jstr(const struct mj *v, const char *path)
{
	return jget(v, path, MJ_STR)->str;
}

/* ---- a listener: the reports of one event ------------------------------ */

#define MAX_SEEN 16
#define MAX_REPORT 256

struct listener {
	struct scmi_notifier nb;
	pthread_mutex_t mtx;
	pthread_cond_t cond;
	size_t report_sz;
	unsigned int count;
	uint8_t seen[MAX_SEEN][MAX_REPORT];
};

static int on_event(struct scmi_notifier *nb, uint8_t evt_id,
		    const void *report)
{
	struct listener *l = (struct listener *)(void *)((char *)nb -
					  offsetof(struct listener, nb));

	pthread_mutex_lock(&l->mtx);
	if (l->count < MAX_SEEN)
		memcpy(l->seen[l->count], report, l->report_sz);
	l->count++;
	pthread_cond_broadcast(&l->cond);
	pthread_mutex_unlock(&l->mtx);
	return SCMI_NOTIFY_OK;
}

/* Listen to (proto, evt, src) on @a, with reports of @report_sz bytes. */
static void listen_to(struct listener *l, struct scmi_agent *a, uint8_t proto,
		      uint8_t evt, uint32_t src, size_t report_sz)
{
	assert_true(report_sz <= MAX_REPORT);
	memset(l, 0, sizeof(*l));
	l->nb.cb = on_event;
	l->report_sz = report_sz;
	pthread_mutex_init(&l->mtx, NULL);
	pthread_cond_init(&l->cond, NULL);
	assert_int_equal(scmi_event_notifier_register(scmi_agent_notify(a), proto,
						      evt, &src, &l->nb), 0);
}

static void listener_fini(struct listener *l, struct scmi_agent *a,
			  uint8_t proto, uint8_t evt, uint32_t src)
{
	assert_int_equal(scmi_event_notifier_unregister(scmi_agent_notify(a),
							proto, evt, &src,
							&l->nb), 0);
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

/* Exactly one event arrives: copy its report to @report. */
static void expect_one(struct listener *l, void *report)
{
	assert_int_equal(listener_wait(l, 1, WAIT_MS), 1);
	assert_int_equal(listener_wait(l, 2, QUIET_MS), 1);
	pthread_mutex_lock(&l->mtx);
	memcpy(report, l->seen[0], l->report_sz);
	pthread_mutex_unlock(&l->mtx);
}

/* ---- scmi-sim-ctl itself ---------------------------------------------- */

static void test_ctl_ok(void **state)
{
	struct fx *fx = *state;
	struct fx_run r;
	char ctl[256];

	CTL_OK(fx, &r, "ping");
	assert_string_equal(r.out, "pong\n");
	/* --control names the control socket itself */
	assert_true((size_t)snprintf(ctl, sizeof(ctl), "%s.ctl", fx->sim.sock) <
		    sizeof(ctl));
	CTL_OK(NULL, &r, "--control %s ping", ctl);
	assert_string_equal(r.out, "pong\n");
	/* -s is --socket */
	CTL_OK(NULL, &r, "-s %s ping", fx->sim.sock);
	assert_string_equal(r.out, "pong\n");
	/* a request that answers bare "ok" prints nothing */
	CTL_OK(fx, &r, "faults");
	assert_string_equal(r.out, "");
	/* numbers that look like options are words of the command */
	CTL_OK(fx, &r, "sensor set 0 -5");
	CTL_OK(fx, &r, "sensor get 0");
	assert_string_equal(line_of(&r), "-5");
	/* options after the command are its words too */
	CTL_OK(fx, &r, "state power --json");
	assert_int_equal(r.out[0], '{');
	/*
	 * The default socket: $XDG_RUNTIME_DIR/scmi-sim.sock.ctl. The
	 * harness's simulator listens on <dir>/sim.sock: a link of the
	 * default name in <dir> leads to its control socket.
	 */
	{
		pid_t pid;
		int status;

		assert_true((size_t)snprintf(ctl, sizeof(ctl), "%s/scmi-sim.sock.ctl",
					     fx->sim.dir) < sizeof(ctl));
		assert_int_equal(symlink("sim.sock.ctl", ctl), 0);
		fflush(NULL);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			int devnull = open("/dev/null", O_WRONLY);

			setenv("XDG_RUNTIME_DIR", fx->sim.dir, 1);
			dup2(devnull, 1);
			execl(ctl_exe(), ctl_exe(), "ping", (char *)NULL);
			_exit(127);
		}
		assert_int_equal(waitpid(pid, &status, 0), pid);
		unlink(ctl);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
}

static void test_ctl_error(void **state)
{
	struct fx *fx = *state;
	struct fx_run r;

	assert_int_equal(run_ctl(fx, &r, "power set 9 0"), 1);
	assert_string_equal(r.out, "");
	assert_non_null(strstr(r.err, "no domain 9"));
	assert_int_equal(run_ctl(fx, &r, "frobnicate 1"), 1);
	assert_non_null(strstr(r.err, "no protocol 'frobnicate'"));
	assert_int_equal(run_ctl(fx, &r, "power frob 1"), 1);
	assert_int_equal(run_ctl(fx, &r, "state bogus"), 1);
	assert_non_null(strstr(r.err, "bogus"));
	assert_int_equal(run_ctl(fx, &r, "fault drop 7"), 1);
	assert_non_null(strstr(r.err, "no agent 7"));
	/* an error stays an error with --json: text on stderr, nothing on stdout */
	assert_int_equal(run_ctl(fx, &r, "--json power set 9 0"), 1);
	assert_string_equal(r.out, "");
	assert_non_null(strstr(r.err, "no domain 9"));
}

static void test_ctl_unreachable(void **state)
{
	struct fx *fx = *state;
	char ctl[256];
	struct fx_run r;

	/* no such socket */
	assert_int_equal(run_ctl(NULL, &r, "--socket /nonexistent/sim.sock ping"), 3);
	assert_string_equal(r.out, "");
	assert_non_null(strstr(r.err, "/nonexistent/sim.sock.ctl"));
	assert_int_equal(run_ctl(NULL, &r, "--control /nonexistent/c ping"), 3);
	assert_non_null(strstr(r.err, "/nonexistent/c"));

	/* a simulator that does not answer */
	assert_true((size_t)snprintf(ctl, sizeof(ctl), "%s.ctl", fx->sim.sock) <
		    sizeof(ctl));
	assert_int_equal(sim_pause(&fx->sim), 0);
	assert_int_equal(run_ctl(fx, &r, "--timeout 200 ping"), 3);
	assert_non_null(strstr(r.err, ctl));
	assert_int_equal(sim_resume(&fx->sim), 0);
	CTL_OK(fx, &r, "ping");

	/* the agent socket given as the control socket: said so */
	assert_int_equal(run_ctl(NULL, &r, "--control %s ping", fx->sim.sock), 3);
	assert_string_equal(r.out, "");
	{
		char want[512];

		snprintf(want, sizeof(want),
			 "scmi-sim-ctl: %s is an agent socket of scmi-sim, not its control socket (give it with --socket, or --control %s)\n",
			 fx->sim.sock, ctl);
		assert_string_equal(r.err, want);
	}

	/* a socket nobody listens on any more */
	sim_crash(&fx->sim);
	assert_int_equal(run_ctl(fx, &r, "ping"), 3);
	assert_non_null(strstr(r.err, ctl));
	assert_non_null(strstr(r.err, "refused"));
	unlink(ctl); /* the dead simulator's; sim_stop() removes the rest */
}

/* Accept one connection on the listening socket *@arg, take its request, hang up. */
static void *hang_up_once(void *arg)
{
	int fd = accept(*(int *)arg, NULL, NULL);
	char req[64];

	if (fd >= 0) {
		if (recv(fd, req, sizeof(req), 0) < 0)
			perror("test-control: recv");
		close(fd);
	}
	return NULL;
}

/* A control socket that hangs up before its reply: exit status 4. */
static void test_ctl_gone(void **state)
{
	struct fx *fx = *state;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	pthread_t th;
	struct fx_run r;
	int lfd;

	assert_true((size_t)snprintf(sa.sun_path, sizeof(sa.sun_path),
				     "%s/hangup.ctl", fx->sim.dir) <
		    sizeof(sa.sun_path));
	lfd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	assert_true(lfd >= 0);
	assert_int_equal(bind(lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(lfd, 1), 0);
	assert_int_equal(pthread_create(&th, NULL, hang_up_once, &lfd), 0);
	assert_int_equal(run_ctl(NULL, &r, "--control %s ping", sa.sun_path), 4);
	assert_int_equal(pthread_join(th, NULL), 0);
	close(lfd);
	unlink(sa.sun_path);
	assert_string_equal(r.out, "");
	assert_non_null(strstr(r.err, sa.sun_path));
	assert_non_null(strstr(r.err, "hung up before it replied"));
}

/*
 * Its stdout's reader is gone (scmi-sim-ctl state | head -1): no SIGPIPE
 * death, no "Broken pipe", exit status 0; also for --help and
 * --version. A refused request still says why and exits 1.
 */
static void test_ctl_output_closed(void **state)
{
	static const char *const reqs[] = { "state", "help", "--help", "--version" };
	struct fx *fx = *state;
	struct fx_run r;

	for (size_t i = 0; i < sizeof(reqs) / sizeof(reqs[0]); i++) {
		if (run_ctl_words(fx, &r, true, reqs[i]) != 0)
			fail_msg("'%s' with stdout closed: status %d: %s", reqs[i],
				 r.status, r.err);
		assert_string_equal(r.err, "");
	}
	assert_int_equal(run_ctl_words(fx, &r, true, "power set 9 0"), 1);
	assert_non_null(strstr(r.err, "no domain 9"));
}

static void test_ctl_usage(void **state)
{
	struct fx *fx = *state;
	char big[1500];
	struct fx_run r;

	assert_int_equal(run_ctl(fx, &r, "%s", ""), 2);
	assert_non_null(strstr(r.err, "no command"));
	assert_int_equal(run_ctl(fx, &r, "--frob ping"), 2);
	assert_int_equal(run_ctl(fx, &r, "--timeout x ping"), 2);
	assert_int_equal(run_ctl(fx, &r, "--timeout 0 ping"), 2);
	assert_int_equal(run_ctl(fx, &r, "--timeout"), 2);
	assert_int_equal(run_ctl(fx, &r, "--control /x ping"), 2); /* and --socket */
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(run_ctl(fx, &r, "ping %s", big), 2);
	assert_non_null(strstr(r.err, "longer"));

	assert_int_equal(run_ctl(NULL, &r, "--version"), 0);
	assert_memory_equal(r.out, "scmi-sim-ctl ", 13);
	assert_int_equal(run_ctl(NULL, &r, "-V"), 0);
	assert_memory_equal(r.out, "scmi-sim-ctl ", 13);
}

/* --help: the options, and the simulator's commands when it is there. */
static void test_ctl_help(void **state)
{
	struct fx *fx = *state;
	struct fx_run r;

	CTL_OK(fx, &r, "--help");
	assert_non_null(strstr(r.out, "Usage: scmi-sim-ctl"));
	assert_non_null(strstr(r.out, "--json"));
	assert_non_null(strstr(r.out, "\nfault delay <agent> <ms>"));
	assert_non_null(strstr(r.out, "\nstate [<protocol>]"));
	assert_non_null(strstr(r.out, "\npower set <domain> <state>"));
	assert_non_null(strstr(r.out, "\npowercap attr "));
	assert_int_equal(run_ctl(fx, &r, "-h"), 0);
	assert_non_null(strstr(r.out, "\nsensor set <sensor> <value>"));

	/* without a simulator: the options, and where it looked */
	assert_int_equal(run_ctl(NULL, &r, "--socket /nonexistent/s --help"), 0);
	assert_non_null(strstr(r.out, "Usage: scmi-sim-ctl"));
	assert_null(strstr(r.out, "fault delay"));
	assert_non_null(strstr(r.err, "/nonexistent/s.ctl"));
}

static void test_ctl_json(void **state)
{
	struct fx *fx = *state;
	struct fx_run r, r2;
	struct mj *v;

	v = json_of(fx, &r, "ping");
	assert_string_equal(jstr(v, "reply"), "pong");
	mj_free(v);
	v = json_of(fx, &r, "power get 2");
	assert_string_equal(jstr(v, "reply"), "0x40000000");
	mj_free(v);
	v = json_of(fx, &r, "power set 2 0");
	assert_string_equal(jstr(v, "reply"), "");
	mj_free(v);
	v = json_of(fx, &r, "help");
	assert_non_null(strstr(jstr(v, "reply"), "\npower set <domain> <state>"));
	mj_free(v);
	v = json_of(fx, &r, "faults");
	assert_int_equal(jget(v, "faults", MJ_ARR)->n, 0);
	mj_free(v);
	v = json_of(fx, &r, "agents");
	assert_int_equal(jget(v, "agents", MJ_ARR)->n, 0);
	mj_free(v);
	/* the option and the request's word are the same */
	CTL_OK(fx, &r, "--json state");
	CTL_OK(fx, &r2, "state --json");
	assert_string_equal(r.out, r2.out);
	/* one line */
	line_of(&r);
}

/*
 * "help" lists each protocol that has control, and every verb it lists
 * is taken by its protocol: without its arguments it is refused as bad
 * words (-EINVAL), never as an unknown verb (-EOPNOTSUPP).
 */
static void test_help_verbs_accepted(void **state)
{
	static const char *const protos[] = { "power", "system", "perf", "clock",
					      "sensor", "reset", "voltage",
					      "powercap" };
	struct fx *fx = *state;
	unsigned int verbs[8] = { 0 };
	struct fx_run r;
	char *save = NULL;

	CTL_OK(fx, &r, "help");
	for (char *l = strtok_r(r.out, "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save)) {
		char proto[32], verb[32];

		if (sscanf(l, "%31s %31s", proto, verb) != 2)
			continue;
		for (size_t p = 0; p < 8; p++) {
			if (strcmp(proto, protos[p]))
				continue;
			if (sim_ctl(&fx->sim, NULL, 0, "%s %s", proto, verb) !=
			    -EINVAL)
				fail_msg("help lists '%s %s', which is not taken",
					 proto, verb);
			verbs[p]++;
		}
	}
	for (size_t p = 0; p < 8; p++) {
		if (!verbs[p])
			fail_msg("help lists no verb of %s", protos[p]);
		assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "%s frob 0", protos[p]),
				 -EOPNOTSUPP);
	}
	assert_int_equal(verbs[0], 2);  /* power set, get */
	assert_int_equal(verbs[2], 3);  /* perf level, limits, get */
	assert_int_equal(verbs[7], 4);  /* powercap measure, cap, pai, attr */
}

/* ---- every verb of every protocol, seen by an agent -------------------- */

static void test_power_verbs(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = agent_connected(fx, 0);
	struct scmi_power_state_changed_report rep;
	struct listener l;
	uint32_t st;
	struct fx_run r;

	listen_to(&l, a, SCMI_PROTOCOL_POWER, SCMI_EVENT_POWER_STATE_CHANGED, 1,
		  sizeof(rep));
	CTL_OK(fx, &r, "power set 1 0x40000000");
	expect_one(&l, &rep);
	assert_int_equal(rep.agent_id, 0);
	assert_int_equal(rep.domain_id, 1);
	assert_int_equal(rep.power_state, OFF);
	assert_int_equal(scmi_power_state_get(a, 1, &st), 0);
	assert_int_equal(st, OFF);
	CTL_OK(fx, &r, "power get 1");
	assert_string_equal(line_of(&r), "0x40000000");
	/* what the agent sets, the control reads */
	assert_int_equal(scmi_power_state_set(a, 1, ON), 0);
	CTL_OK(fx, &r, "power get 1");
	assert_string_equal(line_of(&r), "0x00000000");
	listener_fini(&l, a, SCMI_PROTOCOL_POWER, SCMI_EVENT_POWER_STATE_CHANGED, 1);
}

static void test_system_verbs(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = agent_connected(fx, 0);
	struct scmi_system_power_state_notifier_report rep;
	struct scmi_system_power_info si;
	struct listener l;
	uint32_t st;
	struct fx_run r;

	listen_to(&l, a, SCMI_PROTOCOL_SYSTEM,
		  SCMI_EVENT_SYSTEM_POWER_STATE_NOTIFIER, 0, sizeof(rep));
	CTL_OK(fx, &r, "system request shutdown graceful 250");
	expect_one(&l, &rep);
	assert_int_equal(rep.agent_id, 0);
	assert_int_equal(rep.flags, SCMI_SYSTEM_GRACEFUL);
	assert_int_equal(rep.system_state, SCMI_SYSTEM_SHUTDOWN);
	assert_int_equal(rep.timeout, 250);
	assert_int_equal(scmi_system_power_state_get(a, &st), 0);
	assert_int_equal(st, SCMI_SYSTEM_SHUTDOWN);
	listener_fini(&l, a, SCMI_PROTOCOL_SYSTEM,
		      SCMI_EVENT_SYSTEM_POWER_STATE_NOTIFIER, 0);

	/* support: what an agent discovers from now on */
	assert_int_equal(scmi_system_power_info_get(a, &si), 0);
	assert_false(si.suspend);
	CTL_OK(fx, &r, "system support suspend on");
	a = agent_reconnected(fx, 0);
	assert_int_equal(scmi_system_power_info_get(a, &si), 0);
	assert_true(si.suspend);
	assert_int_equal(scmi_system_power_state_set(a, 0, SCMI_SYSTEM_SUSPEND), 0);
	assert_int_equal(scmi_system_power_state_get(a, &st), 0);
	assert_int_equal(st, SCMI_SYSTEM_SUSPEND);
}

static void test_perf_verbs(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = agent_connected(fx, 0);
	struct scmi_perf_level_report lev;
	struct scmi_perf_limits_report lim;
	struct listener ll, lm;
	uint32_t v, mx, mn;
	struct fx_run r;

	listen_to(&ll, a, SCMI_PROTOCOL_PERF,
		  SCMI_EVENT_PERFORMANCE_LEVEL_CHANGED, 0,
		  sizeof(lev));
	listen_to(&lm, a, SCMI_PROTOCOL_PERF,
		  SCMI_EVENT_PERFORMANCE_LIMITS_CHANGED, 0,
		  sizeof(lim));

	CTL_OK(fx, &r, "perf level 0 1400");
	expect_one(&ll, &lev);
	assert_int_equal(lev.agent_id, 0);
	assert_int_equal(lev.domain_id, 0);
	assert_int_equal(lev.performance_level, 1400);
	assert_int_equal(scmi_perf_level_get(a, 0, &v), 0);
	assert_int_equal(v, 1400);

	CTL_OK(fx, &r, "perf limits 0 1400 1000");
	expect_one(&lm, &lim);
	assert_int_equal(lim.agent_id, 0);
	assert_int_equal(lim.domain_id, 0);
	assert_int_equal(lim.range_max, 1400);
	assert_int_equal(lim.range_min, 1000);
	assert_int_equal(scmi_perf_limits_get(a, 0, &mx, &mn), 0);
	assert_int_equal(mx, 1400);
	assert_int_equal(mn, 1000);
	assert_int_equal(listener_wait(&ll, 2, QUIET_MS), 1); /* level kept */

	CTL_OK(fx, &r, "perf get 0");
	assert_string_equal(line_of(&r), "level 1400 max 1400 min 1000");
	listener_fini(&ll, a, SCMI_PROTOCOL_PERF,
		      SCMI_EVENT_PERFORMANCE_LEVEL_CHANGED, 0);
	listener_fini(&lm, a, SCMI_PROTOCOL_PERF,
		      SCMI_EVENT_PERFORMANCE_LIMITS_CHANGED, 0);
}

static void test_clock_verbs(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = agent_connected(fx, 0);
	struct scmi_clock_rate_notif_report rep;
	struct listener l;
	uint64_t rate;
	struct fx_run r;

	listen_to(&l, a, SCMI_PROTOCOL_CLOCK, SCMI_EVENT_CLOCK_RATE_CHANGED, 0,
		  sizeof(rep));
	CTL_OK(fx, &r, "clock rate 0 1200000000");
	expect_one(&l, &rep);
	assert_int_equal(rep.agent_id, 0);
	assert_int_equal(rep.clock_id, 0);
	assert_int_equal(rep.rate, 1200000000ull);
	assert_int_equal(scmi_clock_rate_get(a, 0, &rate), 0);
	assert_int_equal(rate, 1200000000ull);
	listener_fini(&l, a, SCMI_PROTOCOL_CLOCK, SCMI_EVENT_CLOCK_RATE_CHANGED, 0);
}

static void test_sensor_verbs(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = agent_connected(fx, 0);
	struct scmi_sensor_trip_point_report trip;
	struct scmi_sensor_update_report upd;
	struct listener lt, lu;
	int64_t value;
	struct fx_run r;

	listen_to(&lt, a, SCMI_PROTOCOL_SENSOR,
		  SCMI_EVENT_SENSOR_TRIP_POINT_EVENT, 0,
		  sizeof(trip));
	listen_to(&lu, a, SCMI_PROTOCOL_SENSOR, SCMI_EVENT_SENSOR_UPDATE, 0,
		  sizeof(upd));
	/* up across trip point 0 (70000) of soc-temp */
	CTL_OK(fx, &r, "sensor set 0 75000");
	expect_one(&lt, &trip);
	assert_int_equal(trip.agent_id, 0);
	assert_int_equal(trip.sensor_id, 0);
	assert_int_equal(SCMI_SENSOR_TRIP_DESC_ID(trip.trip_point_desc), 0);
	assert_true(trip.trip_point_desc & SCMI_SENSOR_TRIP_DESC_UP);
	expect_one(&lu, &upd);
	assert_int_equal(upd.sensor_id, 0);
	assert_int_equal(upd.readings_count, 1);
	assert_int_equal(upd.readings[0].value, 75000);
	assert_int_equal(scmi_sensor_reading_get(a, 0, &value, NULL), 0);
	assert_int_equal(value, 75000);
	CTL_OK(fx, &r, "sensor get 0");
	assert_string_equal(line_of(&r), "75000");
	listener_fini(&lt, a, SCMI_PROTOCOL_SENSOR,
		      SCMI_EVENT_SENSOR_TRIP_POINT_EVENT, 0);
	listener_fini(&lu, a, SCMI_PROTOCOL_SENSOR, SCMI_EVENT_SENSOR_UPDATE, 0);
}

static void test_reset_verbs(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = agent_connected(fx, 0);
	struct scmi_reset_issued_report rep;
	struct listener l;
	struct fx_run r;

	listen_to(&l, a, SCMI_PROTOCOL_RESET, SCMI_EVENT_RESET_ISSUED, 0,
		  sizeof(rep));
	CTL_OK(fx, &r, "reset issue 0");
	expect_one(&l, &rep);
	assert_int_equal(rep.agent_id, 0);
	assert_int_equal(rep.domain_id, 0);
	assert_int_equal(rep.reset_state, 0);
	CTL_OK(fx, &r, "reset get 0");
	assert_string_equal(line_of(&r), "deasserted");
	/* what the agent asserts, the control reads */
	assert_int_equal(scmi_reset_domain_assert(a, 1), 0);
	CTL_OK(fx, &r, "reset get 1");
	assert_string_equal(line_of(&r), "asserted");
	listener_fini(&l, a, SCMI_PROTOCOL_RESET, SCMI_EVENT_RESET_ISSUED, 0);
}

/* Voltage has no events: the agent sees the new state through its gets. */
static void test_voltage_verbs(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = agent_connected(fx, 0);
	uint32_t config;
	int32_t uv;
	struct fx_run r;

	CTL_OK(fx, &r, "voltage level 0 800000");
	assert_int_equal(scmi_voltage_level_get(a, 0, &uv), 0);
	assert_int_equal(uv, 800000);
	CTL_OK(fx, &r, "voltage config 0 0");
	assert_int_equal(scmi_voltage_config_get(a, 0, &config), 0);
	assert_int_equal(config, 0);
	CTL_OK(fx, &r, "voltage get 0");
	assert_string_equal(line_of(&r), "level 800000 config 0x0");
}

static void test_powercap_verbs(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = agent_connected(fx, 0);
	struct scmi_powercap_cap_changed_report cap;
	struct scmi_powercap_meas_changed_report meas;
	struct scmi_powercap_info info;
	struct listener lc, lm;
	uint32_t v, pai;
	struct fx_run r;

	listen_to(&lc, a, SCMI_PROTOCOL_POWERCAP, SCMI_EVENT_POWERCAP_CAP_CHANGED,
		  0, sizeof(cap));
	assert_int_equal(scmi_powercap_measurements_threshold_set(a, 0, 5000,
								  7000), 0);
	listen_to(&lm, a, SCMI_PROTOCOL_POWERCAP,
		  SCMI_EVENT_POWERCAP_MEASUREMENTS_CHANGED, 0, sizeof(meas));

	CTL_OK(fx, &r, "powercap cap 0 10000");
	expect_one(&lc, &cap);
	assert_int_equal(cap.agent_id, 0);
	assert_int_equal(cap.domain_id, 0);
	assert_int_equal(cap.power_cap, 10000);
	assert_int_equal(cap.pai, 1000);
	assert_int_equal(scmi_powercap_cap_get(a, 0, &v), 0);
	assert_int_equal(v, 10000);

	CTL_OK(fx, &r, "powercap pai 0 2000");
	assert_int_equal(listener_wait(&lc, 2, WAIT_MS), 2);
	pthread_mutex_lock(&lc.mtx);
	memcpy(&cap, lc.seen[1], sizeof(cap));
	pthread_mutex_unlock(&lc.mtx);
	assert_int_equal(cap.power_cap, 10000);
	assert_int_equal(cap.pai, 2000);
	assert_int_equal(scmi_powercap_pai_get(a, 0, &v), 0);
	assert_int_equal(v, 2000);

	CTL_OK(fx, &r, "powercap measure 0 20000");
	expect_one(&lm, &meas);
	assert_int_equal(meas.agent_id, 0);
	assert_int_equal(meas.domain_id, 0);
	assert_int_equal(meas.power, 20000);
	assert_int_equal(scmi_powercap_measurements_get(a, 0, &v, &pai), 0);
	assert_int_equal(v, 20000);
	assert_int_equal(pai, 2000);
	listener_fini(&lc, a, SCMI_PROTOCOL_POWERCAP,
		      SCMI_EVENT_POWERCAP_CAP_CHANGED, 0);
	listener_fini(&lm, a, SCMI_PROTOCOL_POWERCAP,
		      SCMI_EVENT_POWERCAP_MEASUREMENTS_CHANGED, 0);

	/* attr: what an agent discovers from now on */
	CTL_OK(fx, &r, "powercap attr 0 max_cap 20000");
	a = agent_reconnected(fx, 0);
	assert_int_equal(scmi_powercap_info_get(a, 0, &info), 0);
	assert_int_equal(info.max_power_cap, 20000);
	assert_int_equal(scmi_powercap_cap_set(a, 0, 18000), 0);
	assert_int_equal(scmi_powercap_cap_get(a, 0, &v), 0);
	assert_int_equal(v, 18000);
}

/* ---- state, agents, faults -------------------------------------------- */

static void test_state_text(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = agent_connected(fx, 0);
	struct fx_run r;

	CTL_OK(fx, &r, "state");
	assert_non_null(strstr(r.out, "power 2 gpu: off (0x40000000)\n"));
	assert_non_null(strstr(r.out, "perf 0 cpu-little: level 1000, limits 600..1800\n"));
	assert_non_null(strstr(r.out, "clock 0 cpu-pll: on, 800000000 Hz\n"));
	assert_non_null(strstr(r.out, "sensor 0 soc-temp: 45000 x 10^-3, enabled"));
	assert_non_null(strstr(r.out, "reset 0 gpu-reset: deasserted\n"));
	assert_non_null(strstr(r.out, "voltage 1 vdd-io: 3300000 uV, config 0x7\n"));
	assert_non_null(strstr(r.out, "powercap 0 soc-cap: cap 12000 mW, pai 1000 us, power 6000 mW\n"));
	assert_non_null(strstr(r.out, "system: power-up (3)"));

	assert_int_equal(scmi_power_state_set(a, 2, ON), 0);
	CTL_OK(fx, &r, "state power");
	assert_string_equal(r.out,
			    "power 0 cpu-cluster0: on (0x00000000)\n"
			    "power 1 cpu-cluster1: on (0x00000000)\n"
			    "power 2 gpu: on (0x00000000)\n"
			    "power 3 always-on-peripherals: on (0x00000000)\n");
}

static void test_state_json(void **state)
{
	static const char *const protos[] = { "power", "system", "perf", "clock",
					      "sensor", "reset", "voltage",
					      "powercap" };
	struct fx *fx = *state;
	struct scmi_agent *a = agent_connected(fx, 0);
	struct fx_run r;
	struct mj *v;

	v = json_of(fx, &r, "state");
	assert_int_equal(v->type, MJ_OBJ);
	assert_int_equal(v->n, 8);
	for (size_t i = 0; i < 8; i++)
		assert_non_null(mj_get(v, protos[i]));
	/* the default topology */
	assert_int_equal(jget(v, "power", MJ_ARR)->n, 4);
	assert_string_equal(jstr(v, "power.0.name"), "cpu-cluster0");
	assert_int_equal(jint(v, "power.2.id"), 2);
	assert_int_equal(jint(v, "power.2.state"), OFF);
	assert_false(jbool(v, "power.2.on"));
	assert_true(jbool(v, "power.3.on"));
	assert_int_equal(jint(v, "system.state"), SCMI_SYSTEM_POWERUP);
	assert_string_equal(jstr(v, "system.state_name"), "power-up");
	assert_true(jbool(v, "system.warm_reset"));
	assert_false(jbool(v, "system.suspend"));
	assert_int_equal(jint(v, "system.timeout_ms"), 1000);
	assert_int_equal(jget(v, "perf", MJ_ARR)->n, 3);
	assert_int_equal(jint(v, "perf.1.level"), 1600);
	assert_int_equal(jint(v, "perf.1.range_min"), 800);
	assert_int_equal(jint(v, "perf.1.range_max"), 2400);
	assert_int_equal(jget(v, "perf.1.levels", MJ_ARR)->n, 5);
	assert_int_equal(jint(v, "perf.1.levels.4"), 2400);
	assert_int_equal(jint(v, "clock.1.rate"), 1066000000);
	assert_false(jbool(v, "clock.2.enabled"));
	assert_int_equal(jint(v, "sensor.0.value"), 45000);
	assert_int_equal(jint(v, "sensor.0.scale"), -3);
	assert_true(jbool(v, "sensor.0.enabled"));
	assert_int_equal(jint(v, "sensor.0.trips.1.value"), 90000);
	assert_string_equal(jstr(v, "sensor.1.trips.0.direction"), "both");
	assert_false(jbool(v, "sensor.2.trips.1.enabled"));
	assert_false(jbool(v, "reset.0.asserted"));
	assert_int_equal(jint(v, "voltage.1.level_uv"), 3300000);
	assert_int_equal(jint(v, "voltage.1.config"), 7);
	assert_int_equal(jint(v, "powercap.0.cap"), 12000);
	assert_int_equal(jint(v, "powercap.0.pai"), 1000);
	assert_int_equal(jint(v, "powercap.1.power"), 2000);
	mj_free(v);

	/* changes, by an agent and by control, show */
	assert_int_equal(scmi_power_state_set(a, 2, ON), 0);
	assert_int_equal(scmi_perf_level_set(a, 1, 2000), 0);
	assert_int_equal(scmi_reset_domain_assert(a, 1), 0);
	CTL_OK(fx, &r, "sensor set 2 -12");
	CTL_OK(fx, &r, "clock rate 1 533000000");
	v = json_of(fx, &r, "state");
	assert_true(jbool(v, "power.2.on"));
	assert_int_equal(jint(v, "power.2.state"), ON);
	assert_int_equal(jint(v, "perf.1.level"), 2000);
	assert_true(jbool(v, "reset.1.asserted"));
	assert_int_equal(jint(v, "sensor.2.value"), -12);
	assert_int_equal(jint(v, "clock.1.rate"), 533000000);
	mj_free(v);

	/* one protocol */
	v = json_of(fx, &r, "state perf");
	assert_int_equal(v->type, MJ_OBJ);
	assert_int_equal(v->n, 1);
	assert_int_equal(jint(v, "perf.1.level"), 2000);
	mj_free(v);
	assert_int_equal(run_ctl(fx, &r, "--json state base"), 1);
}

static void test_agents(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = agent_connected(fx, 0);
	struct scmi_agent *b = agent_connected(fx, 1);
	struct scmi_power_state_changed_report rep;
	int64_t cmds, power_cmds;
	const struct mj *e;
	struct listener l;
	struct fx_run r;
	uint32_t st;
	struct mj *v;

	v = json_of(fx, &r, "agents");
	assert_int_equal(jget(v, "agents", MJ_ARR)->n, 2);
	e = mj_get(v, "agents.0");
	assert_int_equal(jint(e, "id"), scmi_agent_id(a));
	assert_int_equal(jint(v, "agents.1.id"), scmi_agent_id(b));
	cmds = jint(e, "commands");
	assert_true(cmds > 0); /* discovery */
	power_cmds = mj_get(e, "protocols.power") ?
			     jint(e, "protocols.power.commands") : 0;
	assert_int_equal(jint(e, "subscriptions"), 0);
	assert_int_equal(jint(e, "notifications_sent"), 0);
	assert_string_equal(jstr(e, "policy"), "queue");
	assert_int_equal(jint(e, "queue_len"), 64);
	assert_false(jbool(e, "stalled"));
	assert_int_equal(jint(e, "malformed"), 0);
	mj_free(v);

	/* three commands, one subscription (one more command), one event */
	for (int i = 0; i < 3; i++)
		assert_int_equal(scmi_power_state_get(a, 0, &st), 0);
	listen_to(&l, a, SCMI_PROTOCOL_POWER, SCMI_EVENT_POWER_STATE_CHANGED, 2,
		  sizeof(rep));
	CTL_OK(fx, &r, "power set 2 0");
	expect_one(&l, &rep);
	v = json_of(fx, &r, "agents");
	e = mj_get(v, "agents.0");
	assert_int_equal(jint(e, "commands"), cmds + 4);
	assert_int_equal(jint(e, "protocols.power.commands"), power_cmds + 4);
	assert_int_equal(jint(e, "subscriptions"), 1);
	assert_int_equal(jint(e, "notifications_sent"), 1);
	assert_int_equal(jint(e, "protocols.power.notifications_sent"), 1);
	assert_int_equal(jint(e, "notifications_dropped"), 0);
	assert_int_equal(jint(e, "faults.drop"), 0);
	/* the other agent is counted apart */
	assert_int_equal(jint(v, "agents.1.subscriptions"), 0);
	assert_int_equal(jint(v, "agents.1.notifications_sent"), 0);
	mj_free(v);

	/* the text form: a line per agent, a line per protocol used */
	CTL_OK(fx, &r, "agents");
	assert_non_null(strstr(r.out, "agent 1: commands "));
	assert_non_null(strstr(r.out, "1 subscriptions"));
	assert_non_null(strstr(r.out, "\n  power: commands "));
	assert_non_null(strstr(r.out, "\nagent 2: commands "));
	listener_fini(&l, a, SCMI_PROTOCOL_POWER, SCMI_EVENT_POWER_STATE_CHANGED, 2);
}

static void test_faults_listing(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = agent_connected(fx, 0);
	uint32_t id = scmi_agent_id(a);
	struct fx_run r;
	struct mj *v;

	CTL_OK(fx, &r, "fault delay %u 5000", id);
	assert_non_null(strstr(r.out, "delay 5000 ms armed"));
	CTL_OK(fx, &r, "fault stall %u on", id);
	CTL_OK(fx, &r, "faults");
	assert_non_null(strstr(r.out, "agent 1: delay 5000 ms (armed)\n"));
	assert_non_null(strstr(r.out, "agent 1: stall (on, 0 waiting)\n"));
	v = json_of(fx, &r, "faults");
	assert_int_equal(jget(v, "faults", MJ_ARR)->n, 2);
	assert_int_equal(jint(v, "faults.0.agent"), id);
	assert_string_equal(jstr(v, "faults.0.fault"), "delay");
	assert_int_equal(jint(v, "faults.0.ms"), 5000);
	assert_string_equal(jstr(v, "faults.1.fault"), "stall");
	mj_free(v);
	CTL_OK(fx, &r, "fault clear %u", id);
	CTL_OK(fx, &r, "faults");
	assert_string_equal(r.out, "");
	assert_int_equal(scmi_power_state_get(a, 0, &(uint32_t){ 0 }), 0);
}

/*
 * Sixteen control connections stay open. To make room for more, the
 * simulator closes those that never sent a request, the oldest first, and
 * keeps those that did: a client that opens connections in a loop only
 * evicts its own, and one that sent its request before the flood is
 * answered. With sixteen clients that all spoke, a new one is turned
 * away (-EBUSY), until one of them has been silent for 2 s.
 */
static void test_ctl_connections_evicted(void **state)
{
	struct fx *fx = *state;
	struct fx_ctlc *c = calloc(16, sizeof(*c));
	struct fx_ctlc *flood = calloc(200, sizeof(*flood));
	struct fx_ctlc late, extra;
	char buf[128];
	ssize_t n;

	assert_non_null(c);
	assert_non_null(flood);
	for (int i = 0; i < 16; i++)
		fx_ctlc_open(fx, &c[i]);
	for (int i = 0; i < 8; i++)
		fx_ctlc_req(&c[i], "ping");   /* c[8..15] never speak */

	/* a client sends its request, then the flood comes */
	fx_ctlc_open(fx, &late);
	assert_int_equal(send(late.fd, "ping", 4, MSG_NOSIGNAL), 4);
	for (int i = 0; i < 200; i++)
		fx_ctlc_open(fx, &flood[i]);
	n = recv(late.fd, buf, sizeof(buf) - 1, 0);
	assert_int_equal(n, 7);
	assert_memory_equal(buf, "ok pong", 7);
	for (int i = 0; i < 8; i++)
		fx_ctlc_req(&c[i], "ping");
	for (int i = 8; i < 16; i++)
		assert_int_equal(recv(c[i].fd, buf, sizeof(buf), 0), 0);

	/* sixteen that spoke: c[0..7], late, and seven more */
	for (int i = 0; i < 200; i++)
		fx_ctlc_close(&flood[i]);
	for (int i = 8; i < 15; i++) {
		fx_ctlc_close(&c[i]);
		fx_ctlc_open(fx, &c[i]);
		fx_ctlc_req(&c[i], "ping");
	}
	fx_ctlc_open(fx, &extra);
	n = recv(extra.fd, buf, sizeof(buf) - 1, 0);
	assert_true(n > 0);
	buf[n] = '\0';
	if (strncmp(buf, "error -16 ", 10))
		fail_msg("a 17th connection, all 16 in use: '%s'", buf);
	assert_int_equal(recv(extra.fd, buf, sizeof(buf), 0), 0);
	fx_ctlc_close(&extra);

	/* c[0] silent for 2 s: the one to go */
	sim_sleep_ms(2200);
	for (int i = 1; i < 15; i++)
		fx_ctlc_req(&c[i], "ping");
	fx_ctlc_req(&late, "ping");
	fx_ctlc_open(fx, &extra);
	fx_ctlc_req(&extra, "ping");
	assert_int_equal(recv(c[0].fd, buf, sizeof(buf), 0), 0);
	fx_ctlc_req(&c[1], "ping");

	fx_ctlc_close(&extra);
	fx_ctlc_close(&late);
	for (int i = 0; i < 16; i++)
		fx_ctlc_close(&c[i]);
	free(flood);
	free(c);
}

/*
 * A request longer than a message may be (1024 bytes) is refused whole
 * (-EMSGSIZE) and never run: not even its first 1024 bytes, which here
 * would be a request of their own. One of exactly 1024 bytes runs.
 */
static void test_ctl_request_too_long(void **state)
{
	struct fx *fx = *state;
	char req[SIM_CTL_MAX_MSG + 16];
	struct fx_ctlc c;
	size_t n;

	fx_ctlc_open(fx, &c);
	fx_ctlc_req(&c, "power get 2");
	assert_string_equal(c.rep, "ok 0x40000000");

	/* "power set 2 0", blanks up to 1024 bytes, then a fifth word */
	memset(req, ' ', sizeof(req));
	memcpy(req, "power set 2 0", 13);
	memcpy(req + SIM_CTL_MAX_MSG, "extra", 5);
	n = fx_ctlc_raw(&c, req, SIM_CTL_MAX_MSG + 5);
	assert_true(n > 0);
	if (strncmp(c.rep, "error -90 ", 10) || !strstr(c.rep, "1024"))
		fail_msg("a request of 1029 bytes: '%s'", c.rep);
	fx_ctlc_req(&c, "power get 2");
	assert_string_equal(c.rep, "ok 0x40000000");

	/* 1024 bytes exactly: a request like any other */
	fx_ctlc_raw(&c, req, SIM_CTL_MAX_MSG);
	assert_string_equal(c.rep, "ok");
	fx_ctlc_req(&c, "power get 2");
	assert_string_equal(c.rep, "ok 0x00000000");
	fx_ctlc_close(&c);
}

/*
 * Numbers are decimal or 0x hex, never octal (scmi-sim-ctl(1)): in
 * requests, in scmi-sim-ctl's options and in scmi-sim's (test_numbers_cli).
 */
static void test_numbers(void **state)
{
	static const struct {
		const char *word;
		const char *value;    /* "sensor get 0" after it, NULL refused */
	} cases[] = {
		{ "0100", "100" }, { "08", "8" }, { "0009", "9" }, { "-0100", "-100" },
		{ "0x10", "16" }, { "0X1f", "31" }, { "-0x10", "-16" }, { "0", "0" },
		{ "-9223372036854775808", "-9223372036854775808" },
		{ "9223372036854775807", "9223372036854775807" },
		{ "9223372036854775808", NULL }, { "0x", NULL }, { "+5", NULL },
		{ "0b1", NULL }, { "1e3", NULL }, { "0x0x5", NULL }, { "--5", NULL },
		{ "5u", NULL }, { "-", NULL }, { "0x-5", NULL },
	};
	struct fx *fx = *state;
	struct fx_ctlc c;
	char want[64];
	struct fx_run r;

	fx_ctlc_open(fx, &c);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fx_ctlc_req(&c, "sensor set 0 7");
		fx_ctlc_raw(&c, want, (size_t)snprintf(want, sizeof(want),
						       "sensor set 0 %s",
						       cases[i].word));
		if (!cases[i].value) {
			if (strncmp(c.rep, "error -22 ", 10))
				fail_msg("'%s': '%s', not refused", cases[i].word,
					 c.rep);
			snprintf(want, sizeof(want), "ok 7");
		} else {
			snprintf(want, sizeof(want), "ok %s", cases[i].value);
		}
		fx_ctlc_req(&c, "sensor get 0");
		if (strcmp(c.rep, want))
			fail_msg("sensor set 0 %s: then '%s', not '%s'",
				 cases[i].word, c.rep, want);
	}
	/* an id: 010 is domain ten, which the default topology lacks */
	fx_ctlc_raw(&c, "power set 010 0", 15);
	if (!strstr(c.rep, "no domain 10 "))
		fail_msg("power set 010 0: '%s'", c.rep);
	fx_ctlc_req(&c, "power set 02 0");
	fx_ctlc_req(&c, "power get 2");
	assert_string_equal(c.rep, "ok 0x00000000");
	fx_ctlc_req(&c, "system request 03 forceful 010");
	assert_string_equal(c.rep, "ok system power-up forceful timeout 10");
	fx_ctlc_close(&c);

	/* scmi-sim-ctl's --timeout reads numbers the same way */
	CTL_OK(fx, &r, "--timeout 0x3e8 ping");
	CTL_OK(fx, &r, "--timeout 09000 ping"); /* 9 s: not octal */
	assert_int_equal(run_ctl(fx, &r, "--timeout 0x ping"), 2);
}

static int setup_numbers_cli(void **state)
{
	return fx_start(state, (const char *const[]){ "--queue-len", "010",
						      "--max-agents", "0x2",
						      NULL });
}

/* scmi-sim's options: --queue-len 010 is ten, --max-agents 0x2 two. */
static void test_numbers_cli(void **state)
{
	struct fx *fx = *state;
	struct mj *v = NULL;
	struct fx_ctlc c;

	agent_connected(fx, 0);
	agent_connected(fx, 1);
	assert_int_equal(scmi_agent_connect(fx_agent(fx, 2, TIMEOUT_MS),
					    fx->sim.sock), -ECONNREFUSED);
	fx_ctlc_open(fx, &c);
	fx_ctlc_req(&c, "agents --json");
	assert_int_equal(mj_parse(c.rep + 3, &v), 0);
	assert_int_equal(jint(v, "agents.0.queue_len"), 10);
	mj_free(v);
	fx_ctlc_close(&c);
}

/* An empty message is a request too: it gets an error, and the connection stays. */
static void test_ctl_empty_request(void **state)
{
	struct fx *fx = *state;
	struct fx_ctlc c;

	fx_ctlc_open(fx, &c);
	fx_ctlc_raw(&c, "", 0);
	assert_string_equal(c.rep, "error -22 empty request");
	fx_ctlc_raw(&c, " \t", 2);
	assert_string_equal(c.rep, "error -22 empty request");
	fx_ctlc_req(&c, "ping");
	assert_string_equal(c.rep, "ok pong");
	fx_ctlc_close(&c);
}

/* ---- long replies, and clients that do not read them ------------------ */

#define MAX_AGENTS 255

static int setup_max_agents(void **state)
{
	return fx_start(state, (const char *const[]){ "--max-agents", "255",
						      NULL });
}

/*
 * "agents" with 255 agents connected: a reply far over 64 KiB comes
 * whole, in parts, to scmi-sim-ctl and to a client of the socket's own,
 * as text and as JSON.
 */
static void test_agents_max(void **state)
{
	struct fx *fx = *state;
	int socks[MAX_AGENTS];
	struct mj *v = NULL;
	struct fx_ctlc c;
	unsigned int lines = 0;
	struct fx_run r;

	for (size_t i = 0; i < MAX_AGENTS; i++)
		socks[i] = fx_sock_connect(fx);
	/* each has its hello: each is an agent of the simulator's */
	for (size_t i = 0; i < MAX_AGENTS; i++) {
		struct pollfd p = { .fd = socks[i], .events = POLLIN };

		assert_int_equal(poll(&p, 1, 5000), 1);
	}

	fx_ctlc_open(fx, &c);
	fx_ctlc_req(&c, "agents --json");
	printf("agents --json, %d agents: %zu bytes\n", MAX_AGENTS,
	       strlen(c.rep));
	assert_true(strlen(c.rep) > 65536);
	/* in parts of 64 KiB: '+' and 65535 bytes, then the rest */
	assert_int_equal(c.parts, (strlen(c.rep) + 65534) / 65535);
	assert_int_equal(mj_parse(c.rep + 3, &v), 0);
	assert_int_equal(jget(v, "agents", MJ_ARR)->n, MAX_AGENTS);
	assert_int_equal(jint(v, "agents.254.id"), MAX_AGENTS);
	mj_free(v);
	fx_ctlc_req(&c, "ping");
	assert_string_equal(c.rep, "ok pong");
	fx_ctlc_close(&c);

	v = json_of(fx, &r, "agents");
	assert_int_equal(jget(v, "agents", MJ_ARR)->n, MAX_AGENTS);
	mj_free(v);
	CTL_OK(fx, &r, "agents");
	for (char *p = r.out; (p = strstr(p, "agent ")); p++)
		lines += p == r.out || p[-1] == '\n';
	assert_int_equal(lines, MAX_AGENTS);

	for (size_t i = 0; i < MAX_AGENTS; i++)
		close(socks[i]);
}

static int setup_logged(void **state)
{
	return fx_start_logged(state, NULL, 0);
}

/*
 * A client that sends requests and does not read the replies: the
 * simulator stops reading its requests while a reply waits (the client's
 * sends then block), loses no reply, and logs nothing about it.
 */
static void test_ctl_unread_replies(void **state)
{
	struct fx *fx = *state;
	unsigned int sent = 0, got = 0;
	struct fx_ctlc c;
	char rep[64];
	char *log;

	fx_ctlc_open(fx, &c);
	/* as many as the simulator takes, until it takes none for 500 ms */
	while (sent < 5000) {
		struct pollfd p = { .fd = c.fd, .events = POLLOUT };

		if (send(c.fd, "ping", 4, MSG_DONTWAIT | MSG_NOSIGNAL) == 4)
			sent++;
		else if (errno != EAGAIN || poll(&p, 1, 500) != 1)
			break;
	}
	printf("%u requests taken before the simulator stopped reading\n", sent);
	for (;;) {
		struct pollfd p = { .fd = c.fd, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, got < sent ? 2000 : 200) != 1)
			break;
		n = recv(c.fd, rep, sizeof(rep) - 1, 0);
		assert_true(n > 0);
		rep[n] = '\0';
		assert_string_equal(rep, "ok pong");
		got++;
	}
	assert_int_equal(got, sent);
	fx_ctlc_req(&c, "ping");
	fx_ctlc_close(&c);
	log = fx_log_text(fx);
	if (log[0])
		fail_msg("the simulator logged: %.300s", log);
	free(log);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown_crash)
	const struct CMUnitTest tests[] = {
		T(test_ctl_ok),
		T(test_ctl_error),
		T(test_ctl_unreachable),
		T(test_ctl_gone),
		T(test_ctl_output_closed),
		T(test_ctl_usage),
		T(test_ctl_help),
		T(test_ctl_connections_evicted),
		T(test_ctl_request_too_long),
		T(test_numbers),
		T(test_ctl_empty_request),
		cmocka_unit_test_setup_teardown(test_agents_max,
						setup_max_agents,
						fx_teardown_crash),
		cmocka_unit_test_setup_teardown(test_ctl_unread_replies,
						setup_logged,
						fx_teardown_crash),
		cmocka_unit_test_setup_teardown(test_numbers_cli,
						setup_numbers_cli,
						fx_teardown_crash),
		T(test_ctl_json),
		T(test_help_verbs_accepted),
		T(test_power_verbs),
		T(test_system_verbs),
		T(test_perf_verbs),
		T(test_clock_verbs),
		T(test_sensor_verbs),
		T(test_reset_verbs),
		T(test_voltage_verbs),
		T(test_powercap_verbs),
		T(test_state_text),
		T(test_state_json),
		T(test_agents),
		T(test_faults_listing),
	};
#undef T

	if (!sim_exe() || !ctl_exe()) {
		fprintf(stderr, "no simulator or scmi-sim-ctl: set SCMI_SIM and SCMI_SIM_CTL\n");
		return 77;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
