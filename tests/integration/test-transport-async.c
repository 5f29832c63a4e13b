/* SPDX-License-Identifier: MIT */
/*
 * Asynchronous commands (scmi_agent_xfer_async()) against the fake
 * platform (fake-platform.c) in its delayed modes: the delayed response
 * (type 2 on P2A) after the immediate one or overtaking it, a delayed or
 * an immediate error, a delayed response that never comes (and comes
 * late), one with the wrong token, a hang-up during the wait; and what
 * goes on beside a waiting command: synchronous commands on the A2P
 * channel, tokens never reused, 16 asynchronous commands at once; and
 * that delayed_responses counts a response before its caller returns.
 *
 * The asynchronous commands go to protocol 0x14, message 0x5 (as a
 * CLOCK_RATE_SET would), with a payload the fake echoes after the delayed
 * status, so that each caller can check it got its own return values.
 * Commands that must wait run on threads of their own (struct call); the
 * main thread alone asserts. The teardown hangs the fake up first, so
 * that a test that failed with callers still waiting has them return
 * (-ECONNRESET) before the agent is destroyed.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <scmi/agent.h>
#include <scmi/protocols.h>
#include <scmi/wire.h>

#include "fake-platform.h"

#define ASYNC_PROTO 0x14
#define ASYNC_MSG 0x5
#define REQ_SZ 16          /* the payload of each asynchronous command */
#define RX_CAP 64          /* room for its echo, and some to spare */
#define RX_FILL 0xEE       /* what rx holds where nothing was copied */
#define ASYNC_MAX 16       /* asynchronous commands that may wait at once */

/* Generous: valgrind runs these tests too, on loaded machines. */
#define CMD_TIMEOUT_MS 2000
/* A wait that would show: the results that must come without one. */
#define LONG_DELAY_MS 5000
/* For the tests that wait through many commands. */
#define VERY_LONG_DELAY_MS 30000
/* The tests that time out. */
#define SHORT_DELAY_MS 200
/* "At once", "well before the timeout": bounds for a loaded machine. */
#define PROMPT_MS 2000

#define MS(ms) ((uint64_t)(ms) * 1000000ull)

/* One asynchronous command on a thread of its own. */
struct call {
	struct scmi_agent *a;
	uint8_t tx[REQ_SZ];
	uint8_t rx[RX_CAP];
	size_t rx_sz;
	int ret;
	atomic_bool done;
	pthread_t th;
	bool started;
};

struct ctx {
	struct fake *f;
	struct scmi_agent *a;
	struct call calls[ASYNC_MAX];
	/* test_hangup_while_waiting's helper */
	pthread_t hangup_th;
	bool hangup_started;
	int hangup_sync_ret;
	uint8_t hangup_sync_rx[4];
};

/* ---- the fixture ------------------------------------------------------ */

static int setup(void **state)
{
	struct ctx *c = calloc(1, sizeof(*c));
	void *fs;

	if (!c || fake_setup(&fs)) {
		free(c);
		return -1;
	}
	c->f = fs;
	*state = c;
	return 0;
}

static void call_join(struct call *call)
{
	if (call->started)
		pthread_join(call->th, NULL);
	call->started = false;
}

static int teardown(void **state)
{
	struct ctx *c = *state;
	void *fs = c->f;

	/* the platform hangs up: every caller still waiting returns */
	fake_join(c->f);
	for (int i = 0; i < ASYNC_MAX; i++)
		call_join(&c->calls[i]);
	if (c->hangup_started)
		pthread_join(c->hangup_th, NULL);
	scmi_agent_destroy(c->a);
	fake_teardown(&fs);
	free(c);
	return 0;
}

/*
 * An agent whose asynchronous commands wait @delayed_ms for their delayed
 * response, connected to the fake; then the fake answers asynchronously
 * in @mode (not before: discovery must see a plain Base platform).
 */
static struct scmi_agent *connect_async(struct ctx *c, uint32_t delayed_ms,
					int mode)
{
	struct scmi_agent_config cfg = {
		.timeout_ms = CMD_TIMEOUT_MS,
		.delayed_timeout_ms = delayed_ms,
	};

	assert_int_equal(scmi_agent_create(&c->a, &cfg), 0);
	fake_start(c->f);
	assert_int_equal(scmi_agent_connect(c->a, c->f->sock), 0);
	atomic_store(&c->f->delayed, mode);
	return c->a;
}

/* ---- helpers ---------------------------------------------------------- */

/* A payload of its own for each @seed: flags (async), an id, a value. */
static void make_req(uint8_t tx[REQ_SZ], unsigned int seed)
{
	scmi_put_le32(tx, 1);
	scmi_put_le32(tx + 4, seed);
	scmi_put_le32(tx + 8, 0x11223344u ^ (seed * 0x01010101u));
	scmi_put_le32(tx + 12, 0xA0000000u + seed);
}

static struct scmi_agent_stats stats(struct scmi_agent *a)
{
	struct scmi_agent_stats st;

	assert_int_equal(scmi_agent_get_stats(a, &st), 0);
	return st;
}

/* Wait until *@ctr reaches @n (WAIT_MS at most); its value then. */
static unsigned int wait_count(atomic_uint *ctr, unsigned int n)
{
	uint64_t deadline = now_ns() + MS(WAIT_MS);

	while (atomic_load(ctr) < n && now_ns() < deadline)
		usleep(1000);
	return atomic_load(ctr);
}

/*
 * The fake has seen the agent ack @n delayed responses it posted: the
 * agent's counters include them (the rx thread counts a P2A message
 * before it acks it). A caller woken by a delayed response may return
 * before that (see test_stats_current_on_return).
 */
static void settle(struct fake *f, unsigned int n)
{
	assert_int_equal(wait_count(&f->delayed_posted, n), n);
}

/* rx holds the echo of tx, and nothing was written beyond it. */
static void assert_echo(const uint8_t *tx, const uint8_t *rx, size_t rx_sz)
{
	assert_int_equal(rx_sz, REQ_SZ);
	assert_memory_equal(rx, tx, REQ_SZ);
	for (size_t i = REQ_SZ; i < RX_CAP; i++)
		assert_int_equal(rx[i], RX_FILL);
}

/* One asynchronous command; with @check, its success and echo asserted. */
static int async_once(struct scmi_agent *a, unsigned int seed, bool check)
{
	uint8_t tx[REQ_SZ], rx[RX_CAP];
	size_t rx_sz = 0;
	int ret;

	make_req(tx, seed);
	memset(rx, RX_FILL, sizeof(rx));
	ret = scmi_agent_xfer_async(a, ASYNC_PROTO, ASYNC_MSG, tx, sizeof(tx),
				    rx, sizeof(rx), &rx_sz);
	if (check) {
		assert_int_equal(ret, 0);
		assert_echo(tx, rx, rx_sz);
	}
	return ret;
}

/* Base PROTOCOL_VERSION, synchronous: 0 and the fake's version. */
static void assert_sync_command(struct scmi_agent *a)
{
	uint8_t rx[4] = { 0 };
	size_t rx_sz = 0;

	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_BASE, 0x0, NULL, 0,
					 rx, sizeof(rx), &rx_sz), 0);
	assert_int_equal(rx_sz, 4);
	assert_int_equal(scmi_get_le32(rx), 0x20000);
}

static void *call_main(void *arg)
{
	struct call *call = arg;

	call->ret = scmi_agent_xfer_async(call->a, ASYNC_PROTO, ASYNC_MSG,
					  call->tx, sizeof(call->tx), call->rx,
					  sizeof(call->rx), &call->rx_sz);
	atomic_store(&call->done, true);
	return NULL;
}

static void call_start(struct call *call, struct scmi_agent *a,
		       unsigned int seed)
{
	call->a = a;
	make_req(call->tx, seed);
	memset(call->rx, RX_FILL, sizeof(call->rx));
	call->rx_sz = 0;
	call->ret = 1; /* no errno: "not returned" */
	atomic_init(&call->done, false);
	assert_int_equal(pthread_create(&call->th, NULL, call_main, call), 0);
	call->started = true;
}

/* Post, by hand, the delayed response (SUCCESS, the echo) to async_log[i]. */
static void post_for(struct fake *f, unsigned int i)
{
	const struct fake_async *l = &f->async_log[i];

	assert_int_equal(fake_post_delayed(f, l->proto_id, l->msg_id, l->token,
					   SCMI_SUCCESS, l->req, l->req_sz), 0);
}

/* ---- the delayed response -------------------------------------------- */

/* After the immediate response: the echo, counted as a delayed response. */
static void test_delayed_after_immediate(void **state)
{
	struct ctx *c = *state;
	struct fake *f = c->f;
	struct scmi_agent *a = connect_async(c, LONG_DELAY_MS, D_AFTER);
	struct scmi_agent_stats before = stats(a), after;
	uint8_t tx[REQ_SZ];

	assert_int_equal(async_once(a, 1, true), 0);
	settle(f, 1);
	after = stats(a);
	assert_true(after.delayed_responses == before.delayed_responses + 1);
	assert_true(after.notify_refused == before.notify_refused);
	assert_true(after.notifications == before.notifications);
	assert_true(after.timeouts == before.timeouts);
	assert_true(after.proto_errors == before.proto_errors);
	assert_true(after.commands == before.commands + 1);
	/* the fake saw what was sent, under the command's ids */
	make_req(tx, 1);
	assert_int_equal(wait_count(&f->async_served, 1), 1);
	assert_int_equal(f->async_log[0].proto_id, ASYNC_PROTO);
	assert_int_equal(f->async_log[0].msg_id, ASYNC_MSG);
	assert_int_equal(f->async_log[0].req_sz, REQ_SZ);
	assert_memory_equal(f->async_log[0].req, tx, REQ_SZ);
}

/*
 * Before it (out of order): the fake posts the delayed response, waits
 * for the agent's ack, and only then writes the immediate one.
 */
static void test_delayed_before_immediate(void **state)
{
	struct ctx *c = *state;
	struct fake *f = c->f;
	struct scmi_agent *a = connect_async(c, LONG_DELAY_MS, D_BEFORE);
	struct scmi_agent_stats before = stats(a), after;

	assert_int_equal(async_once(a, 2, true), 0);
	/* acked before the immediate response was written (no wait here) */
	assert_int_equal(atomic_load(&f->delayed_posted), 1);
	after = stats(a);
	assert_true(after.delayed_responses == before.delayed_responses + 1);
	assert_true(after.notify_refused == before.notify_refused);
	assert_true(after.timeouts == before.timeouts);
	assert_true(after.proto_errors == before.proto_errors);
	/* and again: the slot of the first is gone */
	assert_int_equal(async_once(a, 3, true), 0);
	assert_int_equal(atomic_load(&f->delayed_posted), 2);
	after = stats(a);
	assert_true(after.delayed_responses == before.delayed_responses + 2);
	assert_true(after.notify_refused == before.notify_refused);
}

/* The delayed response's status decides: OUT_OF_RANGE is -ERANGE. */
static void test_delayed_status_error(void **state)
{
	struct ctx *c = *state;
	struct fake *f = c->f;
	struct scmi_agent *a = connect_async(c, LONG_DELAY_MS, D_AFTER);
	struct scmi_agent_stats before = stats(a), after;

	atomic_store(&f->delayed_status, SCMI_ERR_RANGE);
	assert_int_equal(async_once(a, 4, false), -ERANGE);
	settle(f, 1);
	after = stats(a);
	assert_true(after.delayed_responses == before.delayed_responses + 1);
	assert_true(after.notify_refused == before.notify_refused);
	assert_true(after.timeouts == before.timeouts);
	assert_true(after.proto_errors == before.proto_errors);
	atomic_store(&f->delayed_status, SCMI_ERR_HARDWARE);
	assert_int_equal(async_once(a, 5, false), -EREMOTEIO);
	/* and a good one after */
	atomic_store(&f->delayed_status, SCMI_SUCCESS);
	assert_int_equal(async_once(a, 6, true), 0);
	settle(f, 3);
	after = stats(a);
	assert_true(after.delayed_responses == before.delayed_responses + 3);
}

/*
 * The immediate response's error (BUSY) is the result: no wait for a
 * delayed response, and the slot is given back (more than 16 such
 * commands all reach the platform).
 */
static void test_immediate_status_error(void **state)
{
	struct ctx *c = *state;
	struct fake *f = c->f;
	struct scmi_agent *a = connect_async(c, LONG_DELAY_MS, D_AFTER);
	struct scmi_agent_stats before = stats(a), after;
	const unsigned int n = ASYNC_MAX + 4;
	uint64_t t0;

	atomic_store(&f->imm_status, SCMI_ERR_BUSY);
	for (unsigned int i = 0; i < n; i++) {
		t0 = now_ns();
		assert_int_equal(async_once(a, 10 + i, false), -EBUSY);
		assert_true(now_ns() - t0 < MS(PROMPT_MS));
		/* the platform's BUSY, not the agent's full table */
		assert_int_equal(wait_count(&f->async_served, i + 1), i + 1);
	}
	assert_int_equal(atomic_load(&f->delayed_posted), 0);
	assert_true(status_load(p2a(f)) & SCMI_SMT_STATUS_FREE);
	after = stats(a);
	assert_true(after.commands == before.commands + n);
	assert_true(after.delayed_responses == before.delayed_responses);
	assert_true(after.timeouts == before.timeouts);
	assert_true(after.notify_refused == before.notify_refused);
	/* the next one works */
	atomic_store(&f->imm_status, SCMI_SUCCESS);
	assert_int_equal(async_once(a, 99, true), 0);
}

/*
 * No delayed response: -ETIMEDOUT, not before delayed_timeout_ms. The one
 * that comes late is dropped (notify_refused), and the next command works.
 */
static void test_delayed_timeout(void **state)
{
	struct ctx *c = *state;
	struct fake *f = c->f;
	struct scmi_agent *a = connect_async(c, SHORT_DELAY_MS, D_NONE);
	struct scmi_agent_stats before = stats(a), after;
	uint8_t tx[REQ_SZ];
	uint64_t t0, dt;

	t0 = now_ns();
	assert_int_equal(async_once(a, 20, false), -ETIMEDOUT);
	dt = now_ns() - t0;
	assert_true(dt >= MS(SHORT_DELAY_MS));
	assert_true(dt < MS(SHORT_DELAY_MS + 3000));
	assert_int_equal(wait_count(&f->async_served, 1), 1);
	after = stats(a);
	assert_true(after.timeouts == before.timeouts + 1);
	assert_true(after.delayed_responses == before.delayed_responses);
	assert_true(after.notify_refused == before.notify_refused);

	/* late: dropped (counted before the ack fake_post_delayed() waits for) */
	make_req(tx, 20);
	assert_int_equal(fake_post_delayed(f, ASYNC_PROTO, ASYNC_MSG,
					   (uint16_t)atomic_load(&f->last_async_token),
					   SCMI_SUCCESS, tx, sizeof(tx)), 0);
	after = stats(a);
	assert_true(after.notify_refused == before.notify_refused + 1);
	assert_true(after.delayed_responses == before.delayed_responses);
	assert_true(after.notifications == before.notifications);

	/* the next one works */
	atomic_store(&f->delayed, D_AFTER);
	assert_int_equal(async_once(a, 21, true), 0);
	settle(f, 1);
	after = stats(a);
	assert_true(after.delayed_responses == before.delayed_responses + 1);
	assert_true(after.timeouts == before.timeouts + 1);
	assert_true(after.notify_refused == before.notify_refused + 1);
}

/* A delayed response for another token: dropped, and the command times out. */
static void test_delayed_wrong_token(void **state)
{
	struct ctx *c = *state;
	struct fake *f = c->f;
	struct scmi_agent *a = connect_async(c, SHORT_DELAY_MS, D_WRONG_TOKEN);
	struct scmi_agent_stats before = stats(a), after;
	uint64_t t0, dt;

	t0 = now_ns();
	assert_int_equal(async_once(a, 30, false), -ETIMEDOUT);
	dt = now_ns() - t0;
	assert_true(dt >= MS(SHORT_DELAY_MS));
	assert_true(dt < MS(SHORT_DELAY_MS + 3000));
	/* it was posted, and acked: counted by then */
	settle(f, 1);
	after = stats(a);
	assert_true(after.notify_refused == before.notify_refused + 1);
	assert_true(after.delayed_responses == before.delayed_responses);
	assert_true(after.timeouts == before.timeouts + 1);
	/* the next one, with the right token, works */
	atomic_store(&f->delayed, D_AFTER);
	assert_int_equal(async_once(a, 31, true), 0);
	settle(f, 2);
	after = stats(a);
	assert_true(after.delayed_responses == before.delayed_responses + 1);
	assert_true(after.notify_refused == before.notify_refused + 1);
}

/*
 * The helper of the hang-up test: once the fake answered the asynchronous
 * command, one synchronous command (the A2P channel is free: the caller
 * waits for its delayed response now), then, 50 ms into the wait, the
 * fake hangs up (closes its socket).
 */
static void *hangup_main(void *arg)
{
	struct ctx *c = arg;
	uint64_t one = 1;

	wait_count(&c->f->async_served, 1);
	c->hangup_sync_ret = scmi_agent_xfer(c->a, SCMI_PROTOCOL_BASE, 0x0,
					     NULL, 0, c->hangup_sync_rx,
					     sizeof(c->hangup_sync_rx), NULL);
	usleep(50 * 1000);
	if (write(c->f->stop_efd, &one, sizeof(one)) != sizeof(one))
		c->hangup_sync_ret = -EIO;
	return NULL;
}

/* Hang-up while waiting: -ECONNRESET at once, and for every later call. */
static void test_hangup_while_waiting(void **state)
{
	struct ctx *c = *state;
	struct scmi_agent *a = connect_async(c, LONG_DELAY_MS, D_NONE);
	struct scmi_agent_stats before = stats(a), after;
	uint64_t t0;

	t0 = now_ns();
	assert_int_equal(pthread_create(&c->hangup_th, NULL, hangup_main, c), 0);
	c->hangup_started = true;
	assert_int_equal(async_once(a, 40, false), -ECONNRESET);
	assert_true(now_ns() - t0 < MS(PROMPT_MS));
	pthread_join(c->hangup_th, NULL);
	c->hangup_started = false;
	assert_int_equal(c->hangup_sync_ret, 0);
	assert_int_equal(scmi_get_le32(c->hangup_sync_rx), 0x20000);
	assert_int_equal(atomic_load(&c->f->async_served), 1);

	/* later calls fail at once */
	t0 = now_ns();
	assert_int_equal(async_once(a, 41, false), -ECONNRESET);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_BASE, 0x0, NULL, 0,
					 NULL, 0, NULL), -ECONNRESET);
	assert_true(now_ns() - t0 < MS(PROMPT_MS));
	after = stats(a);
	assert_true(after.timeouts == before.timeouts);
	assert_true(after.delayed_responses == before.delayed_responses);
}

/* ---- beside a waiting command ---------------------------------------- */

/*
 * Synchronous commands go through while an asynchronous one waits. The
 * waiting one takes only its own delayed response: not one of another
 * message id or protocol with its token, nor (after it returned) a
 * duplicate.
 */
static void test_sync_while_async_waits(void **state)
{
	struct ctx *c = *state;
	struct fake *f = c->f;
	struct scmi_agent *a = connect_async(c, VERY_LONG_DELAY_MS, D_NONE);
	struct scmi_agent_stats before = stats(a), after;
	struct call *call = &c->calls[0];
	const struct fake_async *l = &f->async_log[0];

	call_start(call, a, 50);
	assert_int_equal(wait_count(&f->async_served, 1), 1);
	for (int i = 0; i < 10; i++)
		assert_sync_command(a);
	assert_false(atomic_load(&call->done));
	after = stats(a);
	assert_true(after.commands == before.commands + 11);

	assert_int_equal(atomic_load(&f->last_async_token), l->token);
	/* its token, but another message id, another protocol: dropped */
	assert_int_equal(fake_post_delayed(f, l->proto_id, l->msg_id + 1,
					   l->token, SCMI_SUCCESS, l->req,
					   l->req_sz), 0);
	assert_int_equal(fake_post_delayed(f, l->proto_id + 1, l->msg_id,
					   l->token, SCMI_SUCCESS, l->req,
					   l->req_sz), 0);
	after = stats(a);
	assert_true(after.notify_refused == before.notify_refused + 2);
	assert_true(after.delayed_responses == before.delayed_responses);
	assert_false(atomic_load(&call->done));

	post_for(f, 0);
	call_join(call);
	assert_int_equal(call->ret, 0);
	assert_echo(call->tx, call->rx, call->rx_sz);
	after = stats(a);
	assert_true(after.delayed_responses == before.delayed_responses + 1);
	assert_true(after.notify_refused == before.notify_refused + 2);
	assert_true(after.timeouts == before.timeouts);
	/* a duplicate: nobody waits for it any more */
	post_for(f, 0);
	after = stats(a);
	assert_true(after.delayed_responses == before.delayed_responses + 1);
	assert_true(after.notify_refused == before.notify_refused + 3);
}

/*
 * More synchronous commands than there are tokens go through while an
 * asynchronous command waits: none of them gets its token, though the
 * counter passes it (its neighbours are used).
 */
static void test_token_not_reused(void **state)
{
	struct ctx *c = *state;
	struct fake *f = c->f;
	struct scmi_agent *a = connect_async(c, VERY_LONG_DELAY_MS, D_NONE);
	struct call *call = &c->calls[0];
	const unsigned int n = 2000;
	unsigned int first, prev = 0, next = 0;
	uint16_t tok;

	assert_true(n > SCMI_TOKEN_MAX);
	call_start(call, a, 60);
	assert_int_equal(wait_count(&f->async_served, 1), 1);
	tok = f->async_log[0].token;
	first = atomic_load(&f->served);
	assert_int_equal(atomic_load(&f->tokens[first - 1]), tok);
	assert_true(first + n <= FAKE_TOKEN_LOG);

	for (unsigned int i = 0; i < n; i++)
		assert_sync_command(a);
	assert_int_equal(wait_count(&f->served, first + n), first + n);
	for (unsigned int i = first; i < first + n; i++) {
		uint16_t t = atomic_load(&f->tokens[i]);

		if (t == tok)
			fail_msg("command %u got token %u, held by the waiting one",
				 i - first, tok);
		prev += t == (tok + SCMI_TOKEN_MAX - 1) % SCMI_TOKEN_MAX;
		next += t == (tok + 1) % SCMI_TOKEN_MAX;
	}
	assert_true(prev >= 1);
	assert_true(next >= 1);
	assert_false(atomic_load(&call->done));

	post_for(f, 0);
	call_join(call);
	assert_int_equal(call->ret, 0);
	assert_echo(call->tx, call->rx, call->rx_sz);
}

/*
 * 16 asynchronous commands wait at once: a 17th is refused (-EBUSY) at
 * once and sends nothing; then each of the 16 gets its own delayed
 * response, and a slot is free again.
 */
static void test_sixteen_waiting(void **state)
{
	struct ctx *c = *state;
	struct fake *f = c->f;
	struct scmi_agent *a = connect_async(c, VERY_LONG_DELAY_MS, D_NONE);
	struct scmi_agent_stats before, after;
	unsigned int served;
	uint64_t t0;

	for (unsigned int i = 0; i < ASYNC_MAX; i++)
		call_start(&c->calls[i], a, 100 + i);
	assert_int_equal(wait_count(&f->async_served, ASYNC_MAX), ASYNC_MAX);
	for (unsigned int i = 0; i < ASYNC_MAX; i++)
		for (unsigned int j = 0; j < i; j++)
			assert_int_not_equal(f->async_log[i].token,
					     f->async_log[j].token);

	before = stats(a);
	served = atomic_load(&f->served);
	t0 = now_ns();
	assert_int_equal(async_once(a, 200, false), -EBUSY);
	assert_true(now_ns() - t0 < MS(PROMPT_MS));
	after = stats(a);
	assert_true(after.commands == before.commands); /* nothing sent */
	assert_int_equal(atomic_load(&f->served), served);
	for (unsigned int i = 0; i < ASYNC_MAX; i++)
		assert_false(atomic_load(&c->calls[i].done));

	for (unsigned int i = 0; i < ASYNC_MAX; i++)
		post_for(f, i);
	for (unsigned int i = 0; i < ASYNC_MAX; i++) {
		struct call *call = &c->calls[i];

		call_join(call);
		assert_int_equal(call->ret, 0);
		assert_echo(call->tx, call->rx, call->rx_sz);
	}
	after = stats(a);
	assert_true(after.delayed_responses == before.delayed_responses + ASYNC_MAX);
	assert_true(after.notify_refused == before.notify_refused);
	assert_true(after.timeouts == before.timeouts);

	/* the slots are free again */
	atomic_store(&f->delayed, D_AFTER);
	assert_int_equal(async_once(a, 201, true), 0);
}

/*
 * The counters are current when scmi_agent_xfer_async() returns: a caller
 * that got its delayed response finds it counted in delayed_responses.
 * Checked right after each return (no settle()), many times, as the
 * window is a few instructions of the rx thread wide.
 */
static void test_stats_current_on_return(void **state)
{
	struct ctx *c = *state;
	struct fake *f = c->f;
	struct scmi_agent *a = connect_async(c, LONG_DELAY_MS, D_AFTER);
	struct scmi_agent_stats before = stats(a), after;
	const unsigned int n = 500;
	unsigned int late = 0;

	for (unsigned int i = 0; i < n; i++) {
		assert_int_equal(async_once(a, 300 + i, true), 0);
		after = stats(a);
		late += after.delayed_responses != before.delayed_responses + i + 1;
		settle(f, i + 1);
	}
	after = stats(a);
	assert_true(after.delayed_responses == before.delayed_responses + n);
	if (late)
		fail_msg("%u of %u delayed responses not counted yet when "
			 "their command returned", late, n);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_delayed_after_immediate),
		T(test_delayed_before_immediate),
		T(test_delayed_status_error),
		T(test_immediate_status_error),
		T(test_delayed_timeout),
		T(test_delayed_wrong_token),
		T(test_hangup_while_waiting),
		T(test_sync_while_async_waits),
		T(test_token_not_reused),
		T(test_sixteen_waiting),
		T(test_stats_current_on_return),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
