/* SPDX-License-Identifier: MIT */
/*
 * A platform that attacks the agent through the descriptors it hands over
 * (transport.h, section 2), against the fake platform of fake-platform.c:
 *  - a hello whose memfd is not sealed, or whose eventfds are something
 *    else (a pipe, /dev/null, a timerfd) or come without O_NONBLOCK: the
 *    agent refuses it with -EPROTO, before it maps or waits on anything;
 *  - a platform that fills the doorbells' counters and clears O_NONBLOCK
 *    on the descriptions it shares with the agent, before commands
 *    (whose ring then could block while holding the command lock) or
 *    before P2A messages (whose ack the rx thread rings): the agent never
 *    blocks, catches it within SCMI_DOORBELL_CHECK_EVERY rings, and ends
 *    the session with -EPROTO; every later command fails at once and
 *    destroy returns at once.
 * Every wait of the test itself is bounded: a call that would hang is
 * run on a thread of its own and given up on after a while.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <scmi/agent.h>
#include <scmi/protocols.h>
#include <scmi/transport.h>
#include <scmi/wire.h>

#include "fake-platform.h"

#define TIMEOUT_MS 100
/* A call that has not returned after this long is taken as hung. */
#define HANG_MS 3000

/* What the state callback saw last. */
struct seen {
	_Atomic int state;
	_Atomic int err;
	atomic_uint calls;
};

static void on_state(void *userdata, enum scmi_agent_state state, int err)
{
	struct seen *s = userdata;

	atomic_store(&s->state, (int)state);
	atomic_store(&s->err, err);
	atomic_fetch_add(&s->calls, 1);
}

static struct scmi_agent *agent_seen(struct seen *s)
{
	struct scmi_agent_config cfg = {
		.timeout_ms = TIMEOUT_MS,
		.state_fn = on_state,
		.state_userdata = s,
	};
	struct scmi_agent *a = NULL;

	atomic_init(&s->state, -1);
	atomic_init(&s->err, 1);
	atomic_init(&s->calls, 0);
	assert_int_equal(scmi_agent_create(&a, &cfg), 0);
	return a;
}

static void test_hello_hostile_descriptors(void **state)
{
	struct fake *f = *state;

#define REFUSED(err, stmt)                                                    \
	do {                                                                  \
		f->memfd_unsealed = false;                                    \
		f->efd_kind = EFD_OK;                                         \
		f->efd_blocking = false;                                      \
		stmt;                                                         \
		assert_int_equal(fake_connect_once(f, TIMEOUT_MS), err);      \
	} while (0)

	/* a file the platform could shrink under the mapping (SIGBUS) */
	REFUSED(-EPROTO, f->memfd_unsealed = true);
	/* doorbells that are not eventfds */
	REFUSED(-EPROTO, f->efd_kind = EFD_PIPE);
	REFUSED(-EPROTO, f->efd_kind = EFD_DEVNULL);
	REFUSED(-EPROTO, f->efd_kind = EFD_TIMERFD);
	/* eventfds with O_NONBLOCK cleared on their shared description */
	REFUSED(-EPROTO, f->efd_blocking = true);
	/* and the good one still works */
	REFUSED(0, (void)0);
#undef REFUSED
}

/* Fill @fd's counter to its maximum (a write of 1 would now block). */
static void fill(int fd)
{
	uint64_t v = 0xFFFFFFFFFFFFFFFEull;
	uint64_t old;

	/* whatever it held, drain it first (the fd is ours: non-blocking) */
	while (read(fd, &old, sizeof(old)) == sizeof(old))
		;
	assert_int_equal(write(fd, &v, sizeof(v)), sizeof(v));
}

static void clear_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	assert_true(fl >= 0);
	assert_int_equal(fcntl(fd, F_SETFL, fl & ~O_NONBLOCK), 0);
}

/* A command, run on a thread of its own so that a hang is seen. */
struct job {
	struct scmi_agent *a;
	int ret;
	atomic_bool done;
};

static void *xfer_job(void *arg)
{
	struct job *j = arg;
	uint8_t rx[4];

	j->ret = scmi_agent_xfer(j->a, SCMI_PROTOCOL_BASE, 0, NULL, 0, rx,
				 sizeof(rx), NULL);
	atomic_store(&j->done, true);
	return NULL;
}

static void *destroy_job(void *arg)
{
	struct job *j = arg;

	scmi_agent_destroy(j->a);
	atomic_store(&j->done, true);
	return NULL;
}

/* Run @fn(@j) on a thread; true if it returned within HANG_MS. */
static bool run_bounded(void *(*fn)(void *), struct job *j)
{
	pthread_t th;
	uint64_t deadline = now_ns() + HANG_MS * 1000000ull;

	atomic_store(&j->done, false);
	assert_int_equal(pthread_create(&th, NULL, fn, j), 0);
	while (!atomic_load(&j->done) && now_ns() < deadline)
		usleep(1000);
	if (!atomic_load(&j->done)) {
		pthread_detach(th); /* hung: the test fails and exits */
		return false;
	}
	pthread_join(th, NULL);
	return true;
}

/*
 * Full counters alone cannot block the agent (a ring is a write of 0):
 * commands and P2A messages flow as before, many times over.
 */
static void test_full_counters_do_not_block(void **state)
{
	struct fake *f = *state;
	struct seen s;
	struct scmi_agent *a = agent_seen(&s);
	struct job j = { .a = a };

	fake_start(f);
	assert_int_equal(scmi_agent_connect(a, f->sock), 0);
	fill(f->fds[SCMI_FD_A2P_DOORBELL]);
	fill(f->fds[SCMI_FD_P2A_ACK]);
	for (int i = 0; i < 100; i++) {
		assert_true(run_bounded(xfer_job, &j));
		assert_int_equal(j.ret, 0);
	}
	/* P2A: a delayed response nobody waits for; the agent acks it */
	for (int i = 0; i < 20; i++)
		assert_int_equal(fake_post_delayed(f, 0x13, 7, 9, 0, NULL, 0),
				 0);
	assert_int_equal(scmi_agent_get_state(a), SCMI_AGENT_CONNECTED);
	scmi_agent_destroy(a);
}

/*
 * Before a command: the command's ring is where a v1 agent blocked for
 * good, holding the command lock. Now it is caught: -EPROTO, the session
 * over (state DISCONNECTED, -EPROTO), later commands fail at once.
 */
static void test_blocking_a2p_doorbell(void **state)
{
	struct fake *f = *state;
	struct seen s;
	struct scmi_agent *a = agent_seen(&s);
	struct job j = { .a = a };
	uint64_t t0;

	fake_start(f);
	assert_int_equal(scmi_agent_connect(a, f->sock), 0);
	fill(f->fds[SCMI_FD_A2P_DOORBELL]);
	clear_nonblock(f->fds[SCMI_FD_A2P_DOORBELL]);

	/* each command returns; within the check interval one is -EPROTO */
	for (unsigned int i = 0; i <= SCMI_DOORBELL_CHECK_EVERY; i++) {
		assert_true(run_bounded(xfer_job, &j));
		if (j.ret)
			break;
	}
	assert_int_equal(j.ret, -EPROTO);
	/* the supervisor reports it, with the reason */
	t0 = now_ns();
	while (atomic_load(&s.state) != SCMI_AGENT_DISCONNECTED &&
	       now_ns() - t0 < HANG_MS * 1000000ull)
		usleep(1000);
	assert_int_equal(atomic_load(&s.state), SCMI_AGENT_DISCONNECTED);
	assert_int_equal(atomic_load(&s.err), -EPROTO);
	t0 = now_ns();
	assert_true(run_bounded(xfer_job, &j));
	assert_int_equal(j.ret, -ECONNRESET);
	assert_true(now_ns() - t0 < TIMEOUT_MS * 1000000ull);
	assert_true(run_bounded(destroy_job, &j));
}

/*
 * Before P2A messages that ask for the ack: the rx thread's ring is where
 * a v1 agent blocked for good (and destroy, joining it, with it).
 */
static void test_blocking_p2a_ack(void **state)
{
	struct fake *f = *state;
	struct seen s;
	struct scmi_agent *a = agent_seen(&s);
	struct job j = { .a = a };
	uint8_t *area;
	uint64_t t0;

	fake_start(f);
	assert_int_equal(scmi_agent_connect(a, f->sock), 0);
	fill(f->fds[SCMI_FD_P2A_ACK]);
	clear_nonblock(f->fds[SCMI_FD_P2A_ACK]);

	/*
	 * notifications of an event Base has, each asking for the ack, until
	 * the agent stops acking (caught within the check interval)
	 */
	area = p2a(f);
	for (unsigned int i = 0; i <= SCMI_DOORBELL_CHECK_EVERY &&
				 atomic_load(&s.state) != SCMI_AGENT_DISCONNECTED;
	     i++) {
		put32(area + SCMI_SMT_FLAGS, SCMI_SMT_FLAGS_INTR);
		put32(area + SCMI_SMT_LENGTH, 4 + 12);
		put32(area + SCMI_SMT_MSG_HEADER,
		      scmi_hdr_pack(SCMI_EVENT_BASE_ERROR_EVENT,
				    SCMI_MSG_TYPE_NOTIFICATION,
				    SCMI_PROTOCOL_BASE, 0));
		status_store(area, 0);
		bell(f->fds[SCMI_FD_P2A_DOORBELL]);
		if (!wait_ack(f, 1000))
			break;
	}

	t0 = now_ns();
	while (atomic_load(&s.state) != SCMI_AGENT_DISCONNECTED &&
	       now_ns() - t0 < HANG_MS * 1000000ull)
		usleep(1000);
	assert_int_equal(atomic_load(&s.state), SCMI_AGENT_DISCONNECTED);
	assert_int_equal(atomic_load(&s.err), -EPROTO);
	/* the message itself was taken before the ring was tried */
	assert_true(status_load(area) & SCMI_SMT_STATUS_FREE);
	assert_true(run_bounded(xfer_job, &j));
	assert_int_equal(j.ret, -ECONNRESET);
	assert_true(run_bounded(destroy_job, &j));
}

/*
 * A platform that flips O_NONBLOCK on and off as fast as it can while
 * the agent sends commands: whatever the interleaving, no command blocks
 * (each returns 0 or, once caught, -EPROTO and then -ECONNRESET).
 */
struct flipper {
	int fd;
	atomic_bool stop;
};

static void *flip_main(void *arg)
{
	struct flipper *fl = arg;
	int base = fcntl(fl->fd, F_GETFL);

	while (!atomic_load(&fl->stop)) {
		/*
		 * As fast as it can, but not alone: valgrind runs one thread
		 * at a time, and a loop of syscalls alone keeps the others
		 * from running (commands time out); a yield in each state
		 * lets them see it cleared or set, half the time each.
		 */
		fcntl(fl->fd, F_SETFL, base & ~O_NONBLOCK);
		sched_yield();
		fcntl(fl->fd, F_SETFL, base | O_NONBLOCK);
		sched_yield();
	}
	return NULL;
}

static void test_flipping_nonblock(void **state)
{
	struct fake *f = *state;
	struct seen s;
	struct scmi_agent *a = agent_seen(&s);
	struct job j = { .a = a };
	struct flipper fl;
	pthread_t th;
	unsigned int ok = 0, caught = 0, reset = 0;

	fake_start(f);
	assert_int_equal(scmi_agent_connect(a, f->sock), 0);
	fill(f->fds[SCMI_FD_A2P_DOORBELL]);
	fl.fd = f->fds[SCMI_FD_A2P_DOORBELL];
	atomic_init(&fl.stop, false);
	assert_int_equal(pthread_create(&th, NULL, flip_main, &fl), 0);
	for (int i = 0; i < 2000; i++) {
		if (!run_bounded(xfer_job, &j)) {
			atomic_store(&fl.stop, true);
			pthread_join(th, NULL);
			fail_msg("command %d blocked", i);
		}
		if (j.ret == 0)
			ok++;
		else if (j.ret == -EPROTO)
			caught++;
		else if (j.ret == -ECONNRESET)
			reset++;
		else
			fail_msg("command %d: %d", i, j.ret);
	}
	atomic_store(&fl.stop, true);
	pthread_join(th, NULL);
	print_message("flipping O_NONBLOCK: %u ok, %u caught, %u after\n", ok,
		      caught, reset);
	/*
	 * caught once: each check sees the flag cleared about half the time,
	 * so within 2000 commands (31 checks) it cannot be missed in practice
	 */
	assert_int_equal(caught, 1);
	assert_true(run_bounded(destroy_job, &j));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, fake_setup, fake_teardown)
		T(test_hello_hostile_descriptors),
		T(test_full_counters_do_not_block),
		T(test_blocking_a2p_doorbell),
		T(test_blocking_p2a_ack),
		T(test_flipping_nonblock),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
