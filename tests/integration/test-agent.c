/* SPDX-License-Identifier: MIT */
/*
 * The agent against the real simulator (scmi-sim): Base discovery, many
 * agents at once, a stopped platform (timeouts and recovery), a dead
 * platform (hang-up), an agent killed mid-command, BASE_ERROR_EVENT end to
 * end, the agent limit, and a protocol whose events cannot be registered.
 *
 * Each test starts its own simulator in its setup and kills it in its
 * teardown (which runs even when the test fails), and the harness reaps
 * any simulator left at exit.
 */
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <scmi/paths.h>
#include <scmi/wire.h>

#include "fixture.h"

#define MAX_AGENTS 8
#define WAIT_MS 5000          /* bound of every wait for an event */

#define BASE_DISCOVER_AGENT 0x7
#define BASE_NOTIFY_ERRORS 0x8
#define EVT SCMI_EVENT_BASE_ERROR_EVENT

static uint32_t version_of(struct scmi_agent *a)
{
	uint8_t rx[4];
	size_t n = 0;

	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_BASE,
					 SCMI_PROTOCOL_VERSION, NULL, 0, rx,
					 sizeof(rx), &n), 0);
	assert_int_equal(n, 4);
	return scmi_get_le32(rx);
}

/* ---- Base discovery -------------------------------------------------- */

static void test_base_discovery(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	struct scmi_base_info bi;
	struct scmi_agent_stats st;
	uint8_t rx[8], tx[4];
	char name[16];
	uint32_t id;
	size_t n;

	assert_int_equal(scmi_agent_id(a), 1);
	memset(&bi, 0xAA, sizeof(bi));
	assert_int_equal(scmi_agent_base_info(a, &bi), 0);
	assert_int_equal(bi.version, 0x20000);
	assert_int_equal(bi.num_agents, MAX_AGENTS);
	/* every protocol the simulator implements, in its table's order */
	static const uint8_t protos[] = {
		SCMI_PROTOCOL_POWER, SCMI_PROTOCOL_SYSTEM, SCMI_PROTOCOL_PERF,
		SCMI_PROTOCOL_CLOCK, SCMI_PROTOCOL_SENSOR, SCMI_PROTOCOL_RESET,
		SCMI_PROTOCOL_VOLTAGE, SCMI_PROTOCOL_POWERCAP,
	};
	assert_int_equal(bi.num_protocols, sizeof(protos));
	assert_memory_equal(bi.protocols, protos, sizeof(protos));
	assert_string_equal(bi.vendor, "libscmi-sim");
	assert_string_equal(bi.sub_vendor, "simulator");
	assert_int_equal(bi.impl_version, 0x00000100);

	/* agents: the platform, this one, another, and one too far */
	assert_int_equal(scmi_base_discover_agent(a, 0, &id, name), 0);
	assert_int_equal(id, 0);
	assert_string_equal(name, "platform");
	assert_int_equal(scmi_base_discover_agent(a, 0xFFFFFFFFu, &id, name), 0);
	assert_int_equal(id, 1);
	assert_string_equal(name, "agent-1");
	assert_int_equal(scmi_base_discover_agent(a, 5, &id, NULL), 0);
	assert_int_equal(id, 5);
	assert_int_equal(scmi_base_discover_agent(a, 5, NULL, name), 0);
	assert_string_equal(name, "agent-5");
	assert_int_equal(scmi_base_discover_agent(a, MAX_AGENTS, &id, name), 0);
	assert_string_equal(name, "agent-8");
	assert_int_equal(scmi_base_discover_agent(a, MAX_AGENTS + 1, &id, name),
			 -ENOENT);

	/* raw commands: the full reply, a truncated one, the errors */
	assert_int_equal(version_of(a), 0x20000);
	n = 0;
	memset(rx, 0, sizeof(rx));
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_BASE,
					 SCMI_PROTOCOL_VERSION, NULL, 0, rx, 2,
					 &n), 0);
	assert_int_equal(n, 4);
	assert_int_equal(rx[0], 0x00);
	assert_int_equal(rx[1], 0x00);
	assert_int_equal(rx[2], 0x00); /* not written: beyond rx_cap */
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_BASE,
					 SCMI_PROTOCOL_VERSION, NULL, 0, NULL,
					 0, NULL), 0);
	/* PROTOCOL_MESSAGE_ATTRIBUTES: implemented, and not */
	scmi_put_le32(tx, BASE_DISCOVER_AGENT);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_BASE,
					 SCMI_PROTOCOL_MESSAGE_ATTRIBUTES, tx,
					 4, rx, sizeof(rx), &n), 0);
	assert_int_equal(n, 4);
	scmi_put_le32(tx, 0x55);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_BASE,
					 SCMI_PROTOCOL_MESSAGE_ATTRIBUTES, tx,
					 4, rx, sizeof(rx), &n), -ENOENT);
	/* a message Base does not define (NOT_FOUND), an unknown protocol */
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_BASE, 0x55, NULL, 0,
					 NULL, 0, NULL), -ENOENT);
	assert_int_equal(scmi_agent_xfer(a, 0x99, 0, NULL, 0, NULL, 0, NULL),
			 -EOPNOTSUPP);
	/* BASE_NOTIFY_ERRORS with a reserved bit: INVALID_PARAMETERS */
	scmi_put_le32(tx, 2);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_BASE,
					 BASE_NOTIFY_ERRORS, tx, 4, NULL, 0,
					 NULL), -EINVAL);

	/* too large to send: refused before anything is sent */
	{
		uint8_t big[129] = { 0 };
		struct scmi_agent_stats before;

		assert_int_equal(scmi_agent_get_stats(a, &before), 0);
		assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_BASE, 0, big,
						 sizeof(big), NULL, 0, NULL),
				 -ERANGE);
		assert_int_equal(scmi_agent_get_stats(a, &st), 0);
		assert_true(st.commands == before.commands);
		/* exactly max_msg_size is sent (and refused by the platform) */
		assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_BASE, 0, big,
						 128, NULL, 0, NULL),
				 -EPROTO);
	}
	/* bad arguments */
	assert_int_equal(scmi_agent_xfer(NULL, 0x10, 0, NULL, 0, NULL, 0, NULL),
			 -EINVAL);
	assert_int_equal(scmi_agent_xfer(a, 0x10, 0, NULL, 4, NULL, 0, NULL),
			 -EINVAL);
	assert_int_equal(scmi_agent_xfer(a, 0x10, 0, NULL, 0, NULL, 4, NULL),
			 -EINVAL);
	assert_int_equal(scmi_agent_base_info(a, NULL), -EINVAL);
	assert_int_equal(scmi_agent_get_stats(a, NULL), -EINVAL);

	assert_int_equal(scmi_agent_get_stats(a, &st), 0);
	assert_true(st.commands >= 20);
	assert_true(st.timeouts == 0);
	assert_true(st.proto_errors == 0);
	assert_true(st.notify_refused == 0);

	/* connected twice: refused; the session still works */
	assert_int_equal(scmi_agent_connect(a, fx->sim.sock), -EISCONN);
	assert_int_equal(version_of(a), 0x20000);

	/* disconnected: everything says so; then connected again */
	scmi_agent_disconnect(a);
	scmi_agent_disconnect(a);
	assert_int_equal(scmi_agent_id(a), 0);
	assert_int_equal(scmi_agent_xfer(a, 0x10, 0, NULL, 0, NULL, 0, NULL),
			 -ENOTCONN);
	assert_int_equal(scmi_agent_base_info(a, &bi), -ENOTCONN);
	assert_int_equal(scmi_base_discover_agent(a, 0, &id, name), -ENOTCONN);
	assert_int_equal(scmi_agent_connect(a, fx->sim.sock), 0);
	/* 1 again, or 2 if the platform has not seen the hang-up yet */
	assert_in_range(scmi_agent_id(a), 1, 2);
	assert_int_equal(version_of(a), 0x20000);
	assert_int_equal(scmi_agent_base_info(a, &bi), 0);
	assert_string_equal(bi.vendor, "libscmi-sim");
}

static void test_connect_errors(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_new(fx, 0);
	char path[sizeof(fx->sim.sock) + 8];
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char longpath[200];
	int fd;

	assert_int_equal(scmi_agent_connect(NULL, fx->sim.sock), -EINVAL);
	/* a NULL path is the default one: test_connect_default_path */
	/* no such socket */
	snprintf(path, sizeof(path), "%s/none", fx->sim.dir);
	assert_int_equal(scmi_agent_connect(a, path), -ENOENT);
	/* a socket nobody listens on */
	snprintf(path, sizeof(path), "%s/deaf", fx->sim.dir);
	fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	assert_true(fd >= 0);
	strcpy(sa.sun_path, path);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(scmi_agent_connect(a, path), -ECONNREFUSED);
	close(fd);
	unlink(path);
	/* a path too long for a socket */
	memset(longpath, 'x', sizeof(longpath) - 1);
	longpath[0] = '/';
	longpath[sizeof(longpath) - 1] = '\0';
	assert_int_equal(scmi_agent_connect(a, longpath), -EINVAL);
	/* after all that, a good connect */
	assert_int_equal(scmi_agent_id(a), 0);
	assert_int_equal(scmi_agent_connect(a, fx->sim.sock), 0);
	assert_int_equal(scmi_agent_id(a), 1);
	assert_null(scmi_agent_notify(NULL));
	assert_non_null(scmi_agent_notify(a));
}

/* ---- many agents ----------------------------------------------------- */

struct worker {
	struct scmi_agent *a;
	uint32_t id;
	bool writer;          /* writes a pattern of its own into its area */
	atomic_bool *stop;
	unsigned int rounds;
	int err;              /* first failure, 0 if none */
	char what[96];
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	uint8_t pattern[128];

	memset(pattern, 0xC0 | (int)w->id, sizeof(pattern));
	while (!atomic_load(w->stop) && !w->err) {
		char name[16], want[16];
		uint32_t id = 0;
		int ret;

		if (w->writer) {
			/* a full area of pattern: refused by the platform */
			ret = scmi_agent_xfer(w->a, SCMI_PROTOCOL_BASE,
					      BASE_DISCOVER_AGENT, pattern,
					      sizeof(pattern), NULL, 0, NULL);
			if (ret != -EPROTO) {
				w->err = ret ? ret : -1;
				snprintf(w->what, sizeof(w->what),
					 "pattern command: %d", ret);
				break;
			}
		}
		ret = scmi_base_discover_agent(w->a, 0xFFFFFFFFu, &id, name);
		snprintf(want, sizeof(want), "agent-%u", w->id);
		if (ret || id != w->id || strcmp(name, want)) {
			w->err = ret ? ret : -1;
			snprintf(w->what, sizeof(w->what),
				 "agent %u: discover self: %d, id %u, \"%.15s\"",
				 w->id, ret, id, name);
			break;
		}
		w->rounds++;
	}
	return NULL;
}

static void test_eight_agents(void **state)
{
	struct fx *fx = *state;
	struct worker w[MAX_AGENTS];
	pthread_t th[MAX_AGENTS];
	atomic_bool stop = false;
	bool seen[MAX_AGENTS + 1] = { false };

	for (size_t i = 0; i < MAX_AGENTS; i++) {
		struct scmi_agent *a = fx_agent_connected(fx, i);
		uint32_t id = scmi_agent_id(a);

		assert_in_range(id, 1, MAX_AGENTS);
		assert_false(seen[id]);
		seen[id] = true;
		w[i] = (struct worker){ .a = a, .id = id, .stop = &stop,
					.writer = (i % 2) == 0 };
	}
	for (size_t i = 0; i < MAX_AGENTS; i++)
		assert_int_equal(pthread_create(&th[i], NULL, worker_main, &w[i]), 0);
	sim_sleep_ms(500);
	atomic_store(&stop, true);
	for (size_t i = 0; i < MAX_AGENTS; i++) {
		pthread_join(th[i], NULL);
		if (w[i].err)
			fail_msg("%s", w[i].what);
		assert_true(w[i].rounds > 0);
	}
	for (size_t i = 0; i < MAX_AGENTS; i++) {
		struct scmi_agent_stats st;

		assert_int_equal(scmi_agent_get_stats(w[i].a, &st), 0);
		assert_true(st.timeouts == 0);
		assert_true(st.proto_errors == 0);
	}
}

/* ---- a stopped platform ---------------------------------------------- */

static void test_timeout_and_recovery(void **state)
{
	const uint32_t tmo = 100;
	struct fx *fx = *state;
	struct scmi_agent *a = fx_connect(fx, fx_agent(fx, 0, tmo));
	struct scmi_agent_stats st;
	uint64_t t0, dt;

	assert_int_equal(version_of(a), 0x20000);
	assert_int_equal(sim_pause(&fx->sim), 0);

	t0 = sim_now_ns();
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_BASE,
					 SCMI_PROTOCOL_VERSION, NULL, 0, NULL,
					 0, NULL), -ETIMEDOUT);
	dt = sim_now_ns() - t0;
	assert_true(dt >= tmo * 1000000ull);
	if (dt >= 2 * tmo * 1000000ull)
		fail_msg("the timeout took %llu ns, more than twice %u ms",
			 (unsigned long long)dt, tmo);

	/* the area is still busy with the first one: this one times out too */
	t0 = sim_now_ns();
	assert_int_equal(scmi_base_discover_agent(a, 0, NULL, NULL), -ETIMEDOUT);
	dt = sim_now_ns() - t0;
	assert_true(dt < 2 * tmo * 1000000ull);
	assert_int_equal(scmi_agent_get_stats(a, &st), 0);
	assert_true(st.timeouts == 2);

	/* the platform comes back: the late response is not taken for a new one */
	assert_int_equal(sim_resume(&fx->sim), 0);
	assert_int_equal(version_of(a), 0x20000);
	for (int i = 0; i < 50; i++) {
		char name[16];
		uint32_t id;

		assert_int_equal(scmi_base_discover_agent(a, 0xFFFFFFFFu, &id,
							  name), 0);
		assert_int_equal(id, 1);
		assert_string_equal(name, "agent-1");
		assert_int_equal(version_of(a), 0x20000);
	}
	assert_int_equal(scmi_agent_get_stats(a, &st), 0);
	assert_true(st.timeouts == 2);
	assert_true(st.proto_errors == 0);

	/* the default timeout (30 ms, as Linux), on an agent of its own */
	{
		struct scmi_agent *b = fx_connect(fx, fx_agent(fx, 1, 0));
		const uint64_t dflt = SCMI_AGENT_DEFAULT_TIMEOUT_MS * 1000000ull;

		assert_int_equal(version_of(b), 0x20000);
		assert_int_equal(sim_pause(&fx->sim), 0);
		t0 = sim_now_ns();
		assert_int_equal(scmi_agent_xfer(b, SCMI_PROTOCOL_BASE,
						 SCMI_PROTOCOL_VERSION, NULL, 0,
						 NULL, 0, NULL), -ETIMEDOUT);
		dt = sim_now_ns() - t0;
		assert_true(dt >= dflt);
		if (dt >= 2 * dflt)
			fail_msg("the default timeout took %llu ns",
				 (unsigned long long)dt);
		assert_int_equal(sim_resume(&fx->sim), 0);
		assert_int_equal(version_of(b), 0x20000);
		assert_int_equal(version_of(a), 0x20000);
	}

	/* again, with the platform resuming while a command waits */
	assert_int_equal(sim_pause(&fx->sim), 0);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_BASE,
					 SCMI_PROTOCOL_VERSION, NULL, 0, NULL,
					 0, NULL), -ETIMEDOUT);
	assert_int_equal(sim_resume(&fx->sim), 0);
	for (int i = 0; i < 50; i++)
		assert_int_equal(version_of(a), 0x20000);
}

/* ---- a dead platform ------------------------------------------------- */

static void test_platform_killed(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	struct scmi_agent *idle = fx_agent_connected(fx, 1);
	uint64_t t0, dt;

	assert_int_equal(version_of(a), 0x20000);
	sim_crash(&fx->sim);

	for (int i = 0; i < 5; i++) {
		t0 = sim_now_ns();
		assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_BASE,
						 SCMI_PROTOCOL_VERSION, NULL, 0,
						 NULL, 0, NULL), -ECONNRESET);
		dt = sim_now_ns() - t0;
		/* at once: nowhere near the timeout */
		if (dt > FX_TIMEOUT_MS * 1000000ull / 10)
			fail_msg("-ECONNRESET after %llu ns", (unsigned long long)dt);
	}
	assert_int_equal(scmi_base_discover_agent(a, 0, NULL, NULL), -ECONNRESET);
	/* the agent that sent nothing learns it from its rx thread */
	assert_int_equal(scmi_agent_xfer(idle, SCMI_PROTOCOL_BASE, 0, NULL, 0,
					 NULL, 0, NULL), -ECONNRESET);
	/* still "connected" until disconnect, which cleans up */
	assert_int_equal(scmi_agent_connect(a, fx->sim.sock), -EISCONN);
	scmi_agent_disconnect(a);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_BASE, 0, NULL, 0,
					 NULL, 0, NULL), -ENOTCONN);
	/* and a new platform can be joined again */
	sim_stop(&fx->sim);
	assert_int_equal(sim_start(&fx->sim, NULL), 0);
	assert_int_equal(scmi_agent_connect(a, fx->sim.sock), 0);
	assert_int_equal(version_of(a), 0x20000);
}

struct blocked_cmd {
	struct scmi_agent *a;
	int ret;
	uint64_t took_ns;
};

static void *blocked_cmd_main(void *arg)
{
	struct blocked_cmd *b = arg;
	uint64_t t0 = sim_now_ns();

	b->ret = scmi_agent_xfer(b->a, SCMI_PROTOCOL_BASE,
				 SCMI_PROTOCOL_VERSION, NULL, 0, NULL, 0, NULL);
	b->took_ns = sim_now_ns() - t0;
	return NULL;
}

static void test_platform_killed_mid_command(void **state)
{
	struct fx *fx = *state;
	struct blocked_cmd b = { .a = fx_connect(fx, fx_agent(fx, 0, 10000)) };
	pthread_t th;

	assert_int_equal(sim_pause(&fx->sim), 0);
	assert_int_equal(pthread_create(&th, NULL, blocked_cmd_main, &b), 0);
	sim_sleep_ms(100); /* the command is waiting for its response */
	sim_crash(&fx->sim);
	pthread_join(th, NULL);
	assert_int_equal(b.ret, -ECONNRESET);
	/* woken by the hang-up, not by its 10 s timeout */
	assert_true(b.took_ns < 2000000000ull);
	assert_int_equal(scmi_agent_xfer(b.a, SCMI_PROTOCOL_BASE, 0, NULL, 0,
					 NULL, 0, NULL), -ECONNRESET);
}

/* ---- an agent killed mid-command ------------------------------------- */

/* The child: connect, tell the parent, send commands until killed. */
static void __attribute__((noreturn)) child_agent(const char *sock, int wfd)
{
	struct scmi_agent_config cfg = { .timeout_ms = FX_TIMEOUT_MS,
					 .manual_dispatch = true };
	struct scmi_agent *a;
	uint32_t id;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (scmi_agent_create(&a, &cfg) || scmi_agent_connect(a, sock))
		_exit(1);
	id = scmi_agent_id(a);
	if (write(wfd, &id, sizeof(id)) != (ssize_t)sizeof(id))
		_exit(1);
	for (;;) {
		uint8_t big[128];

		memset(big, 0x77, sizeof(big));
		/* alternate good commands and full-area bad ones */
		if (scmi_agent_xfer(a, SCMI_PROTOCOL_BASE, SCMI_PROTOCOL_VERSION,
				    NULL, 0, NULL, 0, NULL) == -ECONNRESET ||
		    scmi_agent_xfer(a, SCMI_PROTOCOL_BASE, BASE_DISCOVER_AGENT,
				    big, sizeof(big), NULL, 0, NULL) == -ECONNRESET)
			_exit(2);
	}
}

static pid_t fork_child_agent(const char *sock, uint32_t *id)
{
	int p[2];
	pid_t pid;

	assert_int_equal(pipe(p), 0);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(p[0]);
		child_agent(sock, p[1]);
	}
	close(p[1]);
	assert_int_equal(read(p[0], id, sizeof(*id)), (ssize_t)sizeof(*id));
	close(p[0]);
	return pid;
}

static void test_agent_killed_mid_command(void **state)
{
	struct fx *fx = *state;
	pid_t kids[4];
	uint32_t ids[4];
	struct scmi_agent *a;
	int status;

	/* children first, so that none inherits this process's agent threads */
	for (int i = 0; i < 4; i++)
		kids[i] = fork_child_agent(fx->sim.sock, &ids[i]);
	a = fx_agent_connected(fx, 0);
	assert_int_equal(scmi_agent_id(a), 5);

	for (int i = 0; i < 4; i++) {
		/* let it run, then kill it wherever it is in its command */
		sim_sleep_ms(20 + 13 * (unsigned int)i);
		assert_int_equal(kill(kids[i], SIGKILL), 0);
		assert_int_equal(waitpid(kids[i], &status, 0), kids[i]);
		assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

		/* the platform goes on serving the others */
		assert_true(sim_alive(&fx->sim));
		for (int k = 0; k < 20; k++)
			assert_int_equal(version_of(a), 0x20000);
	}
	/* the dead agents' sessions were freed: a new agent takes id 1 again */
	for (int tries = 0;; tries++) {
		struct scmi_agent *b = fx_agent_connected(fx, 1);

		if (scmi_agent_id(b) == 1)
			break;
		fx_agent_destroy(fx, 1);
		assert_true(tries < 100);
		sim_sleep_ms(10);
	}
	assert_int_equal(version_of(fx->agents[1]), 0x20000);
	assert_int_equal(version_of(a), 0x20000);
}

/* ---- BASE_ERROR_EVENT ------------------------------------------------ */

/* A malformed command: DISCOVER_AGENT with 2 bytes instead of 4. */
static void send_malformed(struct scmi_agent *a)
{
	uint8_t tx[2] = { 1, 0 };

	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_BASE,
					 BASE_DISCOVER_AGENT, tx, sizeof(tx),
					 NULL, 0, NULL), -EPROTO);
}

static void check_report(struct fx_recorder *l, uint32_t agent_id, uint64_t t0,
			 uint64_t t1)
{
	struct fx_base_error r = fx_rec_last(l).r.base_error;
	struct scmi_msg_hdr h;

	assert_int_equal(r.agent_id, agent_id);
	assert_false(r.fatal);
	assert_int_equal(r.cmd_count, 1);
	fx_assert_time(r.timestamp, t0, t1);
	/* the simulator's entry: the header we sent, the status we got */
	assert_int_equal(scmi_hdr_unpack((uint32_t)r.reports[0], &h), 0);
	assert_int_equal(h.msg_id, BASE_DISCOVER_AGENT);
	assert_int_equal(h.proto_id, SCMI_PROTOCOL_BASE);
	assert_int_equal(h.type, SCMI_MSG_TYPE_COMMAND);
	assert_int_equal((uint32_t)(r.reports[0] >> 32),
			 (uint32_t)SCMI_ERR_PROTOCOL);
}

static void test_base_error_event(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	struct scmi_agent *other = fx_agent_connected(fx, 1);
	struct scmi_notify *ni = scmi_agent_notify(a);
	struct fx_recorder l, lo;
	struct scmi_notify_stats ns;
	struct scmi_agent_stats st;
	uint64_t t0, t1;
	const uint32_t src = 0, bad_src = 1;

	fx_rec_init(&l, SCMI_PROTOCOL_BASE);
	fx_rec_init(&lo, SCMI_PROTOCOL_BASE);
	/* Base has one source: 0 */
	assert_int_equal(fx_rec_register(&l, a, EVT, &bad_src), -EINVAL);
	assert_int_equal(fx_rec_register(&l, a, 1, NULL), -EINVAL);
	/* subscribing sends BASE_NOTIFY_ERRORS(1) */
	assert_int_equal(fx_rec_register(&l, a, EVT, NULL), 0);
	assert_int_equal(fx_rec_register(&lo, other, EVT, &src), 0);

	t0 = sim_now_ns();
	send_malformed(a);
	assert_int_equal(fx_rec_wait(&l, 1, WAIT_MS), 1);
	t1 = sim_now_ns();
	check_report(&l, scmi_agent_id(a), t0, t1);

	/* the other agent's errors reach only it */
	t0 = sim_now_ns();
	send_malformed(other);
	assert_int_equal(fx_rec_wait(&lo, 1, WAIT_MS), 1);
	check_report(&lo, scmi_agent_id(other), t0, sim_now_ns());
	assert_int_equal(fx_rec_count_after(&l, 50), 1);

	/* a good command is no error */
	assert_int_equal(version_of(a), 0x20000);
	assert_int_equal(fx_rec_count_after(&l, 50), 1);

	/* several errors, several events */
	for (int i = 0; i < 5; i++)
		send_malformed(a);
	assert_int_equal(fx_rec_wait(&l, 6, WAIT_MS), 6);

	assert_int_equal(scmi_agent_get_stats(a, &st), 0);
	assert_true(st.notifications == 6);
	assert_true(st.notify_refused == 0);
	assert_int_equal(scmi_notify_get_stats(ni, SCMI_PROTOCOL_BASE, &ns), 0);
	assert_true(ns.delivered == 6);
	assert_true(ns.dropped_report == 0);

	/*
	 * Unsubscribed (BASE_NOTIFY_ERRORS(0)): no more events. The disable
	 * is sent by whoever drops the handler last: the dispatcher, if it
	 * still held it when unregister returned (notify.c), so give it a
	 * moment before checking.
	 */
	assert_int_equal(fx_rec_unregister(&l, a, EVT, NULL), 0);
	sim_sleep_ms(100);
	send_malformed(a);
	assert_int_equal(fx_rec_count_after(&l, 100), 6);
	assert_int_equal(scmi_agent_get_stats(a, &st), 0);
	assert_true(st.notifications == 6);

	assert_int_equal(fx_rec_unregister(&lo, other, EVT, &src), 0);
	fx_rec_fini(&l);
	fx_rec_fini(&lo);
}

/* Registered before connect: pending, bound at connect, and again after a reconnect. */
static void test_base_error_pending(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_new(fx, 0);
	struct fx_recorder l;
	unsigned int seen = 0;

	fx_rec_init(&l, SCMI_PROTOCOL_BASE);
	assert_int_equal(fx_rec_register(&l, a, EVT, NULL), 0);
	for (int round = 0; round < 2; round++) {
		uint64_t t0;

		assert_int_equal(scmi_agent_connect(a, fx->sim.sock), 0);
		/*
		 * The worker binds the pending handler and enables the event
		 * on its own time: send errors until one comes back.
		 */
		for (int i = 0; i < 200 && !fx_rec_count(&l); i++) {
			send_malformed(a);
			fx_rec_wait(&l, 1, 20);
		}
		seen = fx_rec_wait(&l, 1, WAIT_MS);
		assert_true(seen >= 1);
		t0 = sim_now_ns();
		send_malformed(a);
		assert_true(fx_rec_wait(&l, seen + 1, WAIT_MS) >= seen + 1);
		check_report(&l, scmi_agent_id(a), t0, sim_now_ns());
		/* back to pending: the platform is told to stop */
		scmi_agent_disconnect(a);
		fx_rec_reset(&l);
	}
	assert_int_equal(fx_rec_unregister(&l, a, EVT, NULL), 0);
	fx_agent_destroy(fx, 0);
	fx_rec_fini(&l);
}

/* ---- the agent limit ------------------------------------------------- */

static void test_ninth_agent_refused(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *ninth;

	for (size_t i = 0; i < MAX_AGENTS; i++) {
		struct scmi_agent *a = fx_agent_connected(fx, i);

		assert_int_equal(scmi_agent_id(a), i + 1);
	}
	ninth = fx_agent_new(fx, MAX_AGENTS);
	assert_int_equal(scmi_agent_connect(ninth, fx->sim.sock), -ECONNREFUSED);
	assert_int_equal(scmi_agent_id(ninth), 0);
	assert_int_equal(scmi_agent_xfer(ninth, SCMI_PROTOCOL_BASE, 0, NULL, 0,
					 NULL, 0, NULL), -ENOTCONN);
	/* the others are unaffected */
	for (size_t i = 0; i < MAX_AGENTS; i++)
		assert_int_equal(version_of(fx->agents[i]), 0x20000);

	/* one leaves: the ninth gets its id */
	scmi_agent_disconnect(fx->agents[3]);
	for (int tries = 0;; tries++) {
		int ret = scmi_agent_connect(ninth, fx->sim.sock);

		if (!ret)
			break;
		assert_int_equal(ret, -ECONNREFUSED);
		assert_true(tries < 100);
		sim_sleep_ms(10);
	}
	assert_int_equal(scmi_agent_id(ninth), 4);
	assert_int_equal(version_of(ninth), 0x20000);
}

static int setup_two_agents(void **state)
{
	static const char *const args[] = { "--max-agents", "2", NULL };

	return fx_start(state, args);
}

static void test_max_agents_option(void **state)
{
	struct fx *fx = *state;
	struct scmi_base_info bi;
	struct scmi_agent *third;

	fx_agent_connected(fx, 0);
	fx_agent_connected(fx, 1);
	assert_int_equal(scmi_agent_base_info(fx->agents[1], &bi), 0);
	assert_int_equal(bi.num_agents, 2);
	assert_int_equal(scmi_agent_id(fx->agents[1]), 2);
	third = fx_agent_new(fx, 2);
	assert_int_equal(scmi_agent_connect(third, fx->sim.sock), -ECONNREFUSED);
}

/* ---- a protocol whose events cannot be registered -------------------- */

static int stub_set_notify_enabled(void *priv, uint8_t evt_id,
				   uint32_t src_id, bool enable)
{
	return 0;
}

static void *stub_fill_custom_report(void *priv, uint8_t evt_id,
				     uint64_t timestamp_ns, const void *payld,
				     size_t payld_sz, void *report,
				     uint32_t *src_id)
{
	return NULL;
}

/*
 * The power protocol's slot on the agent's notify instance is taken
 * before connect, so registering the power driver's events fails
 * (-EEXIST) after its discovery succeeded: the protocol stays down (its
 * calls return -EOPNOTSUPP, as after a failed discovery), the connect and
 * the other protocols go on. Freed, the slot lets the next connect bring
 * power up.
 */
static void test_events_refused(void **state)
{
	static const struct scmi_event evts[] = {
		{ .id = 0, .max_payld_sz = 12, .max_report_sz = 16 },
	};
	static const struct scmi_event_ops ops = {
		.set_notify_enabled = stub_set_notify_enabled,
		.fill_custom_report = stub_fill_custom_report,
	};
	static const struct scmi_protocol_events ee = {
		.ops = &ops, .evts = evts, .num_events = 1, .num_sources = 1,
	};
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_new(fx, 0);
	struct scmi_notify *ni = scmi_agent_notify(a);
	struct scmi_base_info bi;
	uint32_t st;

	assert_int_equal(scmi_register_protocol_events(ni, SCMI_PROTOCOL_POWER,
						       NULL, &ee), 0);
	assert_int_equal(scmi_agent_connect(a, fx->sim.sock), 0);
	assert_int_equal(scmi_power_domain_count(a), -EOPNOTSUPP);
	assert_int_equal(scmi_power_state_get(a, 0, &st), -EOPNOTSUPP);
	assert_int_equal(scmi_power_state_set(a, 0, SCMI_POWER_STATE_ON),
			 -EOPNOTSUPP);
	assert_int_equal(scmi_agent_base_info(a, &bi), 0);
	assert_int_equal(scmi_reset_domain_count(a), 2);
	scmi_agent_disconnect(a);

	scmi_deregister_protocol_events(ni, SCMI_PROTOCOL_POWER);
	assert_int_equal(scmi_agent_connect(a, fx->sim.sock), 0);
	assert_int_equal(scmi_power_domain_count(a), 4);
	assert_int_equal(scmi_power_state_get(a, 0, &st), 0);
}

/*
 * Every message id, as the reference platform answers: those Base 2.0
 * defines are implemented (the three of agent permissions, 0x9-0xB,
 * too); from 0xC on, NOT_FOUND.
 */
static void test_message_ids(void **state)
{
	static const struct fx_msg_ids ids = {
		SCMI_PROTOCOL_BASE, 0xB, NULL, 0,
	};
	struct scmi_agent *a = fx_agent_connected(*state, 0);

	assert_int_equal(fx_msg_ids_mismatches(a, &ids), 0);
}

/*
 * scmi_agent_connect() with a NULL path connects to the simulator's
 * default socket, $XDG_RUNTIME_DIR/scmi-sim.sock here (a link to the
 * test's simulator); with no such socket, -ENOENT.
 */
static void test_connect_default_path(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_new(fx, 0);
	char dir[] = "/tmp/scmi-xdg-XXXXXX", link[128];
	char *old = getenv("XDG_RUNTIME_DIR");
	char *saved = old ? strdup(old) : NULL;
	int ret, again;

	assert_non_null(mkdtemp(dir));
	snprintf(link, sizeof(link), "%s/%s", dir, SCMI_DEFAULT_SOCKET_NAME);
	setenv("XDG_RUNTIME_DIR", dir, 1);
	ret = scmi_agent_connect(a, NULL);
	assert_int_equal(symlink(fx->sim.sock, link), 0);
	again = scmi_agent_connect(a, NULL);
	unlink(link);
	rmdir(dir);
	if (saved)
		setenv("XDG_RUNTIME_DIR", saved, 1);
	else
		unsetenv("XDG_RUNTIME_DIR");
	free(saved);
	assert_int_equal(ret, -ENOENT);
	assert_int_equal(again, 0);
	assert_true(scmi_agent_id(a) > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_connect_default_path),
		FX_TEST(test_base_discovery),
		FX_TEST(test_message_ids),
		FX_TEST(test_connect_errors),
		FX_TEST(test_eight_agents),
		FX_TEST(test_timeout_and_recovery),
		FX_TEST(test_platform_killed),
		FX_TEST(test_platform_killed_mid_command),
		FX_TEST(test_agent_killed_mid_command),
		FX_TEST(test_base_error_event),
		FX_TEST(test_base_error_pending),
		FX_TEST(test_ninth_agent_refused),
		FX_TEST_SETUP(test_max_agents_option, setup_two_agents),
		FX_TEST(test_events_refused),
	};

	return fx_run_tests(tests);
}
