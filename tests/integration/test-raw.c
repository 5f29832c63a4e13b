/* SPDX-License-Identifier: MIT */
/*
 * The raw interface (include/scmi/raw.h) against the real simulator:
 *  - statuses as the platform wrote them, where the errno mapping would
 *    merge or hide them: NOT_FOUND for an undefined message id,
 *    PROTOCOL_ERROR for a payload of the wrong size or a header of
 *    another type, DENIED for a perf domain whose limits may not be set;
 *    the header echoed with the library's token, whatever token bits the
 *    caller wrote; a header with a reserved bit refused as the platform
 *    echoes it (-EPROTO), its word still given;
 *  - raw_only: connect sends nothing (no discovery, no protocol, no
 *    *_NOTIFY), the drivers' calls are -EOPNOTSUPP, and the user drives
 *    the platform message by message;
 *  - an asynchronous reset of domain 0 (scmi-sim --async-delay): the
 *    immediate response, then the delayed one, blocking or through a
 *    callback; an immediate error awaits none; a delayed response later
 *    than the caller's own timeout reaches the raw queue, as does the
 *    delayed response to a reset sent as a plain command;
 *  - raw P2A notifications: enabled with a raw RESET_NOTIFY in raw_only
 *    mode, caused through the control socket, read raw (header word and
 *    payload); alongside the notifiers and instead of them; from the
 *    queue or a raw_fn callback; the queue full drops the oldest;
 *  - every P2A test in both modes, threaded and event loop (where the
 *    agent's fd stays readable while raw messages wait);
 *  - a destroy from raw_fn, carried out once it returned, no call after;
 *  - the arguments each call refuses.
 *
 * Default topology: reset domain 0 resets asynchronously and notifies,
 * reset domain 1 is synchronous; perf domain 2 may not have its limits
 * set.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <scmi/raw.h>
#include <scmi/reset.h>
#include <scmi/wire.h>

#include "fixture.h"

#define WAIT_MS 5000
#define ASYNC_DELAY_MS 200
#define QUIET_MS 200

/* Message ids this test sends. */
#define BASE_DISCOVER_VENDOR 0x3
#define BASE_UNDEFINED 0xC
#define PERF_LIMITS_SET 0x5
#define RESET_RESET 0x4
#define RESET_NOTIFY 0x5
#define RESET_AUTONOMOUS 0x1u
#define RESET_ASYNC 0x4u

static const char *const async_args[] = { "--async-delay", "200", NULL };

static int setup_async(void **state)
{
	return fx_start(state, async_args);
}

/* ---- helpers ---------------------------------------------------------- */

/*
 * An agent in @slot with @cfg (its timeout FX_TIMEOUT_MS unless set;
 * event-loop mode when @loop), connected.
 */
static struct scmi_agent *raw_agent(struct fx *fx, size_t slot,
				    struct scmi_agent_config cfg, bool loop)
{
	struct scmi_agent *a = NULL;

	if (!cfg.timeout_ms)
		cfg.timeout_ms = FX_TIMEOUT_MS;
	cfg.event_loop = loop;
	assert_int_equal(scmi_agent_create(&a, &cfg), 0);
	fx->agents[slot] = a;
	return fx_connect(fx, a);
}

/* raw_only, its notifications to the raw queue alone. */
static struct scmi_agent *raw_only_agent(struct fx *fx, size_t slot, bool loop)
{
	struct scmi_agent_config cfg = { .raw_only = true,
					 .raw_p2a = SCMI_RAW_P2A_INSTEAD };

	return raw_agent(fx, slot, cfg, loop);
}

/* A command of @proto/@msg with @n payload words (little-endian). */
struct cmd {
	struct scmi_raw_cmd c;
	uint8_t tx[16];
};

static void cmd_init(struct cmd *c, uint8_t proto, uint8_t msg,
		     const uint32_t *words, size_t n)
{
	assert_true(n <= 4);
	memset(c, 0, sizeof(*c));
	c->c.hdr.proto_id = proto;
	c->c.hdr.msg_id = msg;
	for (size_t i = 0; i < n; i++)
		scmi_put_le32(c->tx + 4 * i, words[i]);
	c->c.payld = n ? c->tx : NULL;
	c->c.payld_sz = 4 * n;
}

/* A reply with room for @cap bytes in @buf. */
static struct scmi_raw_reply reply_in(void *buf, size_t cap)
{
	return (struct scmi_raw_reply){ .payld = buf, .payld_cap = cap };
}

/* Send @proto/@msg with @n words: scmi_raw_xfer()'s result; *@r its reply. */
static int xfer(struct scmi_agent *a, uint8_t proto, uint8_t msg,
		const uint32_t *words, size_t n, struct scmi_raw_reply *r)
{
	struct cmd c;

	cmd_init(&c, proto, msg, words, n);
	return scmi_raw_xfer(a, &c.c, r);
}

/* The status @proto/@msg gets, asserted answered. */
static int32_t status_of(struct scmi_agent *a, uint8_t proto, uint8_t msg,
			 const uint32_t *words, size_t n)
{
	uint8_t buf[128];
	struct scmi_raw_reply r = reply_in(buf, sizeof(buf));

	assert_int_equal(xfer(a, proto, msg, words, n, &r), 0);
	assert_true(r.received);
	assert_int_equal(r.hdr.proto_id, proto);
	assert_int_equal(r.hdr.msg_id, msg);
	assert_int_equal(r.hdr.type, SCMI_MSG_TYPE_COMMAND);
	return r.status;
}

/* Assert that @w is the header word of @h (an unpack of it). */
static void assert_hdr(uint32_t w, uint8_t msg, uint8_t type, uint8_t proto,
		       uint16_t token)
{
	assert_int_equal(w, scmi_hdr_pack(msg, type, proto, token));
}

/*
 * The next raw message within WAIT_MS into *@m (room for @cap bytes at
 * @buf): scmi_raw_recv_wait() in threaded mode; in event-loop mode, turns
 * of the loop (poll, dispatch) between scmi_raw_recv() calls. Its result.
 */
static int next_msg(struct scmi_agent *a, bool loop, struct scmi_raw_msg *m,
		    void *buf, size_t cap)
{
	uint64_t t0 = sim_now_ns();
	int ret;

	*m = (struct scmi_raw_msg){ .payld = buf, .payld_cap = cap };
	if (!loop)
		return scmi_raw_recv_wait(a, m, WAIT_MS);
	while ((ret = scmi_raw_recv(a, m)) == -EAGAIN &&
	       fx_ms_since(t0) < WAIT_MS)
		assert_true(fx_loop_turn(a, 10) >= 0);
	return ret;
}

/* Let @ms pass, the loop turning in event-loop mode. */
static void idle(struct scmi_agent *a, bool loop, unsigned int ms)
{
	uint64_t t0 = sim_now_ns();

	if (!loop) {
		sim_sleep_ms(ms);
		return;
	}
	while (fx_ms_since(t0) < ms)
		assert_true(fx_loop_turn(a, 10) >= 0);
}

/* A raw RESET_ISSUED of domain 0 caused by the platform (agent 0). */
static void assert_reset_issued(const struct scmi_raw_msg *m, const void *buf)
{
	const uint8_t *p = buf;

	assert_hdr(m->hdr_word, SCMI_EVENT_RESET_ISSUED,
		   SCMI_MSG_TYPE_NOTIFICATION, SCMI_PROTOCOL_RESET, 0);
	assert_int_equal(m->hdr.type, SCMI_MSG_TYPE_NOTIFICATION);
	assert_int_equal(m->hdr.proto_id, SCMI_PROTOCOL_RESET);
	assert_int_equal(m->payld_sz, 12);
	assert_int_equal(scmi_get_le32(p), 0);     /* agent: the platform */
	assert_int_equal(scmi_get_le32(p + 4), 0); /* domain 0 */
	assert_int_equal(scmi_get_le32(p + 8), SCMI_RESET_STATE_COLD);
	assert_true(m->timestamp_ns > 0 && m->timestamp_ns <= sim_now_ns());
}

/* ---- commands --------------------------------------------------------- */

static void test_statuses_as_written(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = raw_only_agent(fx, 0, false);
	const uint32_t limits[3] = { 2, 800, 200 };
	const uint32_t version_of_nothing = 0xC;

	/* NOT_FOUND (errno mapping: -ENOENT, as a missing domain's) */
	assert_int_equal(status_of(a, SCMI_PROTOCOL_BASE, BASE_UNDEFINED,
				   NULL, 0),
			 SCMI_ERR_ENTRY);
	/* PROTOCOL_ERROR (-EPROTO, as a malformed response): no message id */
	assert_int_equal(status_of(a, SCMI_PROTOCOL_BASE,
				   SCMI_PROTOCOL_MESSAGE_ATTRIBUTES, NULL, 0),
			 SCMI_ERR_PROTOCOL);
	/* ... a word too many for PROTOCOL_VERSION */
	assert_int_equal(status_of(a, SCMI_PROTOCOL_BASE, SCMI_PROTOCOL_VERSION,
				   &version_of_nothing, 1),
			 SCMI_ERR_PROTOCOL);
	/* DENIED (-EACCES): perf domain 2 may not have its limits set */
	assert_int_equal(status_of(a, SCMI_PROTOCOL_PERF, PERF_LIMITS_SET,
				   limits, 3),
			 SCMI_ERR_ACCESS);
	/* the decoded path says only -EPROTO for that PROTOCOL_ERROR */
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_BASE,
					 SCMI_PROTOCOL_MESSAGE_ATTRIBUTES,
					 NULL, 0, NULL, 0, NULL),
			 -EPROTO);
	assert_int_equal(fx_stats(a).proto_errors, 0); /* all answered */
}

static void test_success_and_truncation(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = raw_only_agent(fx, 0, false);
	uint8_t buf[8];
	struct scmi_raw_reply r = reply_in(buf, 4);

	memset(buf, 0xA5, sizeof(buf));
	assert_int_equal(xfer(a, SCMI_PROTOCOL_BASE, BASE_DISCOVER_VENDOR, NULL,
			      0, &r),
			 0);
	assert_int_equal(r.status, SCMI_SUCCESS);
	assert_int_equal(r.payld_sz, 16);   /* as sent: a 16-byte name */
	assert_memory_equal(buf, "libs", 4); /* the first 4 copied ... */
	assert_int_equal(buf[4], 0xA5);      /* ... and no more */

	r = reply_in(NULL, 0);
	assert_int_equal(xfer(a, SCMI_PROTOCOL_BASE, SCMI_PROTOCOL_VERSION, NULL,
			      0, &r),
			 0);
	assert_int_equal(r.status, SCMI_SUCCESS);
	assert_int_equal(r.payld_sz, 4);
}

static void test_token_is_the_librarys(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = raw_only_agent(fx, 0, false);
	struct scmi_raw_cmd c = {
		.flags = SCMI_RAW_HDR_WORD,
		/* PROTOCOL_VERSION of Base, every token bit set */
		.hdr_word = scmi_hdr_pack(0, 0, SCMI_PROTOCOL_BASE, 0x3FF),
	};
	struct scmi_raw_reply r;

	/* raw_only sent nothing: the tokens start at 0, one per command */
	for (uint16_t t = 0; t < 4; t++) {
		r = reply_in(NULL, 0);
		assert_int_equal(scmi_raw_xfer(a, &c, &r), 0);
		assert_hdr(r.hdr_word, 0, 0, SCMI_PROTOCOL_BASE, t);
		assert_int_equal(r.hdr.token, t);
		assert_int_equal(r.status, SCMI_SUCCESS);
	}
	c.flags = 0;
	c.hdr = (struct scmi_msg_hdr){ .proto_id = SCMI_PROTOCOL_BASE,
				       .token = 0x155 };
	assert_int_equal(scmi_raw_xfer(a, &c, &r), 0);
	assert_int_equal(r.hdr.token, 4);
	assert_int_equal(fx_commands(a), 5);
}

static void test_header_of_another_type_or_reserved_bits(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = raw_only_agent(fx, 0, false);
	struct scmi_raw_cmd c = {
		.hdr = { .msg_id = SCMI_PROTOCOL_VERSION,
			 .type = SCMI_MSG_TYPE_NOTIFICATION,
			 .proto_id = SCMI_PROTOCOL_BASE },
	};
	struct scmi_raw_reply r = reply_in(NULL, 0);
	uint32_t w;

	/* type 3 on A2P: PROTOCOL_ERROR, the header echoed as sent */
	assert_int_equal(scmi_raw_xfer(a, &c, &r), 0);
	assert_int_equal(r.status, SCMI_ERR_PROTOCOL);
	assert_hdr(r.hdr_word, 0, SCMI_MSG_TYPE_NOTIFICATION,
		   SCMI_PROTOCOL_BASE, 0);

	/* a reserved bit: the platform echoes it, the library refuses that */
	w = scmi_hdr_pack(0, 0, SCMI_PROTOCOL_BASE, 0) | 1u << 30;
	c = (struct scmi_raw_cmd){ .flags = SCMI_RAW_HDR_WORD, .hdr_word = w };
	assert_int_equal(scmi_raw_xfer(a, &c, &r), -EPROTO);
	assert_false(r.received);
	assert_int_equal(r.hdr_word, w | 1u << SCMI_HDR_TOKEN_SHIFT);
	assert_int_equal(fx_stats(a).proto_errors, 1);
	/* and the channel goes on */
	r = reply_in(NULL, 0);
	assert_int_equal(status_of(a, SCMI_PROTOCOL_BASE, SCMI_PROTOCOL_VERSION,
				   NULL, 0),
			 SCMI_SUCCESS);
}

static void test_raw_only_sends_nothing_of_its_own(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = raw_only_agent(fx, 0, false);
	struct scmi_agent *plain = fx_agent_connected(fx, 1);
	struct scmi_base_info bi;
	uint32_t st;

	assert_int_equal(fx_commands(a), 0);
	assert_true(fx_commands(plain) > 0); /* discovery */
	assert_int_equal(scmi_agent_get_state(a), SCMI_AGENT_CONNECTED);
	assert_true(scmi_agent_id(a) > 0);
	assert_int_equal(scmi_agent_base_info(a, &bi), -EOPNOTSUPP);
	assert_int_equal(scmi_reset_domain_count(a), -EOPNOTSUPP);
	assert_int_equal(scmi_power_state_get(a, 0, &st), -EOPNOTSUPP);
	assert_int_equal(scmi_raw_max_payload(a), 128);
	assert_int_equal(fx_commands(a), 0);
	scmi_agent_disconnect(a);
	assert_int_equal(fx_commands(a), 0);
	assert_int_equal(scmi_raw_max_payload(a), -ENOTCONN);
}

/* ---- asynchronous commands ------------------------------------------- */

/* RESET of domain @dom: autonomous, asynchronous when @async. */
static void reset_cmd(struct cmd *c, uint32_t dom, bool async)
{
	const uint32_t w[3] = {
		dom, RESET_AUTONOMOUS | (async ? RESET_ASYNC : 0),
		SCMI_RESET_STATE_COLD,
	};

	cmd_init(c, SCMI_PROTOCOL_RESET, RESET_RESET, w, 3);
}

/* Assert @d is domain 0's RESET_COMPLETE for the command of token @token. */
static void assert_reset_complete(uint32_t hdr_word, int32_t status,
				  const uint8_t *payld, size_t sz,
				  uint16_t token)
{
	assert_hdr(hdr_word, RESET_RESET, SCMI_MSG_TYPE_DELAYED_RESP,
		   SCMI_PROTOCOL_RESET, token);
	assert_int_equal(status, SCMI_SUCCESS);
	assert_int_equal(sz, 4);
	assert_int_equal(scmi_get_le32(payld), 0); /* the domain */
}

static void async_blocking(void **state, bool loop)
{
	struct fx *fx = *state;
	struct scmi_agent *a = raw_only_agent(fx, 0, loop);
	uint8_t ibuf[16], dbuf[16], mbuf[16];
	struct scmi_raw_reply imm = reply_in(ibuf, sizeof(ibuf));
	struct scmi_raw_reply del = reply_in(dbuf, sizeof(dbuf));
	struct scmi_raw_msg m;
	uint64_t t0 = sim_now_ns();
	struct cmd c;

	reset_cmd(&c, 0, true);
	assert_int_equal(scmi_raw_xfer_async(a, &c.c, &imm, &del, WAIT_MS), 0);
	assert_true(fx_ms_since(t0) >= ASYNC_DELAY_MS - 10);
	assert_true(imm.received && del.received);
	assert_hdr(imm.hdr_word, RESET_RESET, 0, SCMI_PROTOCOL_RESET,
		   imm.hdr.token);
	assert_int_equal(imm.status, SCMI_SUCCESS);
	assert_int_equal(imm.payld_sz, 0);
	assert_reset_complete(del.hdr_word, del.status, dbuf, del.payld_sz,
			      imm.hdr.token);
	assert_int_equal(del.hdr.type, SCMI_MSG_TYPE_DELAYED_RESP);

	/* an immediate error: no delayed response awaited, *del untouched */
	reset_cmd(&c, 1, true);
	del = reply_in(dbuf, sizeof(dbuf));
	t0 = sim_now_ns();
	assert_int_equal(scmi_raw_xfer_async(a, &c.c, &imm, &del, WAIT_MS), 0);
	assert_int_equal(imm.status, SCMI_ERR_SUPPORT);
	assert_false(del.received);
	assert_int_equal(del.hdr_word, 0); /* untouched */
	assert_true(fx_ms_since(t0) < ASYNC_DELAY_MS);

	/* a timeout of its own, shorter than the platform: -ETIMEDOUT ... */
	reset_cmd(&c, 0, true);
	assert_int_equal(scmi_raw_xfer_async(a, &c.c, &imm, &del, 20),
			 -ETIMEDOUT);
	assert_true(imm.received);
	assert_false(del.received);
	assert_int_equal(imm.status, SCMI_SUCCESS);
	/* ... and the delayed response, nobody's now, reaches the raw queue */
	assert_int_equal(next_msg(a, loop, &m, mbuf, sizeof(mbuf)), 0);
	assert_reset_complete(m.hdr_word, (int32_t)scmi_get_le32(mbuf),
			      mbuf + 4, m.payld_sz - 4, imm.hdr.token);
}

static void test_async_blocking(void **state)
{
	async_blocking(state, false);
}

static void test_async_blocking_loop(void **state)
{
	async_blocking(state, true);
}

/* What a raw completion received. */
struct done {
	atomic_int calls;
	int result;
	uint32_t hdr_word;
	int32_t status;
	uint8_t payld[16];
	size_t payld_sz;
	pthread_t thread;
};

static void on_done(void *userdata, int result,
		    const struct scmi_raw_reply *d)
{
	struct done *dn = userdata;

	dn->result = result;
	dn->thread = pthread_self();
	if (d) {
		dn->hdr_word = d->hdr_word;
		dn->status = d->status;
		dn->payld_sz = d->payld_sz;
		memcpy(dn->payld, d->payld,
		       d->payld_sz < sizeof(dn->payld) ? d->payld_sz :
							 sizeof(dn->payld));
	}
	atomic_fetch_add(&dn->calls, 1);
}

/* Wait for @dn's call (turning the loop in event-loop mode). */
static void wait_done(struct scmi_agent *a, bool loop, struct done *dn)
{
	uint64_t t0 = sim_now_ns();

	while (!atomic_load(&dn->calls) && fx_ms_since(t0) < WAIT_MS)
		idle(a, loop, 10);
	assert_int_equal(atomic_load(&dn->calls), 1);
}

static void async_cb(void **state, bool loop)
{
	struct fx *fx = *state;
	struct scmi_agent *a = raw_only_agent(fx, 0, loop);
	struct scmi_raw_reply imm = reply_in(NULL, 0);
	struct done dn = { 0 }, late = { 0 }, never = { 0 };
	uint64_t t0 = sim_now_ns(), usec;
	struct cmd c;

	reset_cmd(&c, 0, true);
	assert_int_equal(scmi_raw_xfer_async_cb(a, &c.c, &imm, WAIT_MS,
						on_done, &dn),
			 0);
	assert_true(fx_ms_since(t0) < ASYNC_DELAY_MS); /* returned at once */
	assert_int_equal(imm.status, SCMI_SUCCESS);
	if (loop) { /* its deadline is the loop's */
		assert_int_equal(scmi_agent_get_timeout(a, &usec), 0);
		assert_true(usec != UINT64_MAX);
	}
	wait_done(a, loop, &dn);
	assert_int_equal(dn.result, 0);
	assert_reset_complete(dn.hdr_word, dn.status, dn.payld, dn.payld_sz,
			      imm.hdr.token);
	assert_true(!!pthread_equal(dn.thread, pthread_self()) == loop);

	/* a timeout of its own: -ETIMEDOUT, the response to the raw queue */
	assert_int_equal(scmi_raw_xfer_async_cb(a, &c.c, &imm, 20, on_done,
						&late),
			 0);
	wait_done(a, loop, &late);
	assert_int_equal(late.result, -ETIMEDOUT);

	/* an immediate error: never called */
	reset_cmd(&c, 1, true);
	assert_int_equal(scmi_raw_xfer_async_cb(a, &c.c, &imm, WAIT_MS,
						on_done, &never),
			 0);
	assert_int_equal(imm.status, SCMI_ERR_SUPPORT);
	idle(a, loop, QUIET_MS);
	assert_int_equal(atomic_load(&never.calls), 0);
	assert_int_equal(scmi_raw_xfer_async_cb(a, &c.c, &imm, 0, NULL, NULL),
			 -EINVAL);
}

static void test_async_cb(void **state)
{
	async_cb(state, false);
}

static void test_async_cb_loop(void **state)
{
	async_cb(state, true);
}

/* A reset sent as a plain command: its delayed response to the raw queue. */
static void plain_command_delayed(void **state, bool loop)
{
	struct fx *fx = *state;
	struct scmi_agent *a = raw_only_agent(fx, 0, loop);
	struct scmi_raw_reply r = reply_in(NULL, 0);
	struct scmi_raw_msg m;
	uint8_t buf[16];
	struct cmd c;

	reset_cmd(&c, 0, true);
	assert_int_equal(scmi_raw_xfer(a, &c.c, &r), 0);
	assert_int_equal(r.status, SCMI_SUCCESS);
	assert_int_equal(next_msg(a, loop, &m, buf, sizeof(buf)), 0);
	assert_reset_complete(m.hdr_word, (int32_t)scmi_get_le32(buf), buf + 4,
			      m.payld_sz - 4, r.hdr.token);
	assert_int_equal(fx_stats(a).notify_refused, 0);
}

static void test_plain_command_delayed(void **state)
{
	plain_command_delayed(state, false);
}

static void test_plain_command_delayed_loop(void **state)
{
	plain_command_delayed(state, true);
}

/* Without the raw P2A path, the decoded path drops it (and counts it). */
static void test_plain_command_delayed_dropped_without_raw(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent_config cfg = { .raw_only = true };
	struct scmi_agent *a = raw_agent(fx, 0, cfg, false);
	struct scmi_raw_reply r = reply_in(NULL, 0);
	struct scmi_raw_msg m = { 0 };
	uint64_t t0 = sim_now_ns();
	struct cmd c;

	reset_cmd(&c, 0, true);
	assert_int_equal(scmi_raw_xfer(a, &c.c, &r), 0);
	while (!fx_stats(a).notify_refused && fx_ms_since(t0) < WAIT_MS)
		sim_sleep_ms(10);
	assert_int_equal(fx_stats(a).notify_refused, 1);
	assert_int_equal(scmi_raw_recv(a, &m), -EOPNOTSUPP);
}

/* ---- P2A ---------------------------------------------------------------- */

/* Enable RESET_ISSUED of domain 0 with a raw RESET_NOTIFY: SUCCESS. */
static void raw_reset_notify(struct scmi_agent *a)
{
	const uint32_t w[2] = { 0, 1 };

	assert_int_equal(status_of(a, SCMI_PROTOCOL_RESET, RESET_NOTIFY, w, 2),
			 SCMI_SUCCESS);
}

static void p2a_raw_only(void **state, bool loop)
{
	struct fx *fx = *state;
	struct scmi_agent *a = raw_only_agent(fx, 0, loop);
	struct scmi_raw_stats st;
	struct scmi_raw_msg m;
	uint8_t buf[128];

	raw_reset_notify(a);
	for (int i = 0; i < 3; i++) {
		fx_ctl(fx, "reset issue 0");
		assert_int_equal(next_msg(a, loop, &m, buf, sizeof(buf)), 0);
		assert_reset_issued(&m, buf);
	}
	assert_int_equal(scmi_raw_get_stats(a, &st), 0);
	assert_int_equal(st.queued, 3);
	assert_int_equal(st.delivered, 3);
	assert_int_equal(st.dropped, 0);
	assert_int_equal(st.waiting, 0);
	assert_int_equal(fx_stats(a).notifications, 3);
	assert_int_equal(fx_commands(a), 1); /* the RESET_NOTIFY alone */
}

static void test_p2a_raw_only(void **state)
{
	p2a_raw_only(state, false);
}

static void test_p2a_raw_only_loop(void **state)
{
	p2a_raw_only(state, true);
}

/* Event loop: the fd is readable as long as raw messages wait. */
static void test_loop_fd_readable_while_raw_waits(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = raw_only_agent(fx, 0, true);
	struct pollfd p = { .fd = scmi_agent_get_fd(a), .events = POLLIN };
	struct scmi_raw_msg m = { 0 };
	struct scmi_raw_stats st;
	uint64_t t0;

	raw_reset_notify(a);
	assert_int_equal(scmi_agent_dispatch(a), 0);
	fx_ctl(fx, "reset issue 0");
	fx_ctl(fx, "reset issue 0");
	t0 = sim_now_ns();
	do {
		assert_true(fx_loop_turn(a, 10) >= 0);
		assert_int_equal(scmi_raw_get_stats(a, &st), 0);
	} while (st.waiting < 2 && fx_ms_since(t0) < WAIT_MS);
	assert_int_equal(st.waiting, 2);
	/* dispatched, not read: still readable, and again after a dispatch */
	assert_int_equal(poll(&p, 1, 0), 1);
	assert_true(scmi_agent_dispatch(a) >= 0);
	assert_int_equal(poll(&p, 1, 0), 1);
	assert_int_equal(scmi_raw_recv(a, &m), 0);
	assert_int_equal(poll(&p, 1, 0), 1);
	assert_int_equal(scmi_raw_recv(a, &m), 0);
	assert_int_equal(poll(&p, 1, 0), 0);
	assert_int_equal(scmi_raw_recv(a, &m), -EAGAIN);
	assert_int_equal(m.payld_sz, 12); /* none copied: no room given */
}

/*
 * A decoded agent (its reset driver enables RESET_ISSUED for the
 * notifier) with the raw path @how: the raw queue and the notifier
 * each get what @how says.
 */
static void alongside_or_instead(void **state, bool loop,
				 enum scmi_raw_p2a how)
{
	struct fx *fx = *state;
	struct scmi_agent_config cfg = { .raw_p2a = how };
	struct scmi_agent *a = raw_agent(fx, 0, cfg, loop);
	unsigned int want = how == SCMI_RAW_P2A_ALONGSIDE ? 2 : 0;
	struct fx_recorder rec;
	struct scmi_raw_msg m;
	uint32_t dom = 0;
	uint8_t buf[128];
	uint64_t t0;

	fx_rec_init(&rec, SCMI_PROTOCOL_RESET);
	assert_int_equal(fx_rec_register(&rec, a, SCMI_EVENT_RESET_ISSUED, &dom),
			 0);
	for (int i = 0; i < 2; i++) {
		fx_ctl(fx, "reset issue 0");
		assert_int_equal(next_msg(a, loop, &m, buf, sizeof(buf)), 0);
		assert_reset_issued(&m, buf);
	}
	t0 = sim_now_ns();
	while (fx_rec_count(&rec) < want && fx_ms_since(t0) < WAIT_MS)
		idle(a, loop, 10);
	idle(a, loop, want ? 0 : QUIET_MS);
	assert_int_equal(fx_rec_count(&rec), want);
	if (want)
		assert_int_equal(fx_rec_last(&rec).r.reset.domain_id, 0);
	assert_int_equal(fx_rec_unregister(&rec, a, SCMI_EVENT_RESET_ISSUED,
					   &dom),
			 0);
	fx_rec_fini(&rec);
}

static void test_alongside(void **state)
{
	alongside_or_instead(state, false, SCMI_RAW_P2A_ALONGSIDE);
}

static void test_alongside_loop(void **state)
{
	alongside_or_instead(state, true, SCMI_RAW_P2A_ALONGSIDE);
}

static void test_instead(void **state)
{
	alongside_or_instead(state, false, SCMI_RAW_P2A_INSTEAD);
}

static void test_instead_loop(void **state)
{
	alongside_or_instead(state, true, SCMI_RAW_P2A_INSTEAD);
}

/* What raw_fn received. */
struct seen {
	atomic_uint count;
	uint32_t hdr_words[8];
	uint32_t domains[8];
	int32_t cmd_status;           /* of a raw command sent from raw_fn */
	bool on_test_thread;
	pthread_t test_thread;
	struct scmi_agent *a;
};

static void on_raw(void *userdata, const struct scmi_raw_msg *m)
{
	struct seen *s = userdata;
	unsigned int n = atomic_load(&s->count);
	struct scmi_raw_reply r = { 0 };
	struct scmi_raw_cmd c = {
		.hdr = { .proto_id = SCMI_PROTOCOL_BASE },
	};

	if (n < 8) {
		s->hdr_words[n] = m->hdr_word;
		s->domains[n] = m->payld_sz == 12 ?
					scmi_get_le32((const uint8_t *)m->payld + 4) :
					UINT32_MAX;
	}
	s->on_test_thread = !!pthread_equal(pthread_self(), s->test_thread);
	/* a command from the callback */
	s->cmd_status = scmi_raw_xfer(s->a, &c, &r) ? -1000 : r.status;
	atomic_fetch_add(&s->count, 1);
}

static void raw_callback(void **state, bool loop)
{
	struct fx *fx = *state;
	struct seen s = { .test_thread = pthread_self() };
	struct scmi_agent_config cfg = {
		.raw_only = true,
		.raw_p2a = SCMI_RAW_P2A_INSTEAD,
		.raw_fn = on_raw,
		.raw_userdata = &s,
	};
	struct scmi_agent *a;
	struct scmi_raw_msg m = { 0 };
	uint64_t t0;

	s.a = a = raw_agent(fx, 0, cfg, loop);
	raw_reset_notify(a);
	for (int i = 0; i < 3; i++)
		fx_ctl(fx, "reset issue 0");
	t0 = sim_now_ns();
	while (atomic_load(&s.count) < 3 && fx_ms_since(t0) < WAIT_MS)
		idle(a, loop, 10);
	assert_int_equal(atomic_load(&s.count), 3);
	for (int i = 0; i < 3; i++) {
		assert_hdr(s.hdr_words[i], SCMI_EVENT_RESET_ISSUED,
			   SCMI_MSG_TYPE_NOTIFICATION, SCMI_PROTOCOL_RESET, 0);
		assert_int_equal(s.domains[i], 0);
	}
	assert_int_equal(s.cmd_status, SCMI_SUCCESS);
	assert_true(s.on_test_thread == loop);
	/* the queue is the callback's */
	assert_int_equal(scmi_raw_recv(a, &m), -EOPNOTSUPP);
}

static void test_raw_callback(void **state)
{
	raw_callback(state, false);
}

static void test_raw_callback_loop(void **state)
{
	raw_callback(state, true);
}

/* A raw_fn that destroys its agent; the destroy's DISCONNECTED seen. */
struct doomed {
	struct scmi_agent *a;
	atomic_uint calls;
	atomic_bool gone;
};

static void on_raw_destroy(void *userdata, const struct scmi_raw_msg *m)
{
	struct doomed *d = userdata;

	(void)m;
	atomic_fetch_add(&d->calls, 1);
	scmi_agent_destroy(d->a); /* carried out once this returned */
}

static void on_gone(void *userdata, enum scmi_agent_state st, int err)
{
	struct doomed *d = userdata;

	if (st == SCMI_AGENT_DISCONNECTED && !err)
		atomic_store(&d->gone, true);
}

/*
 * A destroy from raw_fn is carried out once it returned, and no raw_fn
 * call follows it, however many messages wait (ASan, TSan: nothing used
 * after it is freed).
 */
static void destroy_from_raw_fn(void **state, bool loop)
{
	struct fx *fx = *state;
	struct doomed d = { 0 };
	struct scmi_agent_config cfg = {
		.timeout_ms = FX_TIMEOUT_MS,
		.event_loop = loop,
		.raw_only = true,
		.raw_p2a = SCMI_RAW_P2A_INSTEAD,
		.raw_fn = on_raw_destroy,
		.raw_userdata = &d,
		.state_fn = on_gone,
		.state_userdata = &d,
	};
	uint64_t t0;

	/* not in the fixture: the callback destroys it */
	assert_int_equal(scmi_agent_create(&d.a, &cfg), 0);
	fx_connect(fx, d.a);
	raw_reset_notify(d.a);
	for (int i = 0; i < 3; i++)
		fx_ctl(fx, "reset issue 0");
	t0 = sim_now_ns();
	while (!atomic_load(&d.gone) && fx_ms_since(t0) < WAIT_MS) {
		/* in the loop, not once it is gone: d.a is freed then */
		if (loop)
			assert_true(fx_loop_turn(d.a, 10) >= 0);
		else
			sim_sleep_ms(10);
	}
	assert_true(atomic_load(&d.gone));
	sim_sleep_ms(QUIET_MS);
	assert_int_equal(atomic_load(&d.calls), 1);
}

static void test_destroy_from_raw_fn(void **state)
{
	destroy_from_raw_fn(state, false);
}

static void test_destroy_from_raw_fn_loop(void **state)
{
	destroy_from_raw_fn(state, true);
}

static void test_queue_full_drops_the_oldest(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent_config cfg = {
		.raw_only = true,
		.raw_p2a = SCMI_RAW_P2A_INSTEAD,
		.raw_queue_len = 2,
	};
	struct scmi_agent *a = raw_agent(fx, 0, cfg, false);
	struct scmi_raw_stats st = { 0 };
	struct scmi_raw_msg m;
	uint8_t buf[16];
	uint64_t t0, first;

	raw_reset_notify(a);
	for (int i = 0; i < 5; i++)
		fx_ctl(fx, "reset issue 0");
	t0 = sim_now_ns();
	while (st.queued < 5 && fx_ms_since(t0) < WAIT_MS) {
		sim_sleep_ms(10);
		assert_int_equal(scmi_raw_get_stats(a, &st), 0);
	}
	assert_int_equal(st.queued, 5);
	assert_int_equal(st.dropped, 3);
	assert_int_equal(st.waiting, 2);
	/* the last two, in order */
	assert_int_equal(next_msg(a, false, &m, buf, sizeof(buf)), 0);
	assert_reset_issued(&m, buf);
	first = m.timestamp_ns;
	assert_int_equal(next_msg(a, false, &m, buf, sizeof(buf)), 0);
	assert_true(m.timestamp_ns > first);
	assert_int_equal(scmi_raw_recv(a, &m), -EAGAIN);
}

/* ---- arguments ---------------------------------------------------------- */

static void test_config_refused(void **state)
{
	struct scmi_agent *a = NULL;
	struct scmi_agent_config bad[] = {
		{ .raw_p2a = (enum scmi_raw_p2a)3 },
		{ .raw_fn = on_raw },
		{ .raw_p2a = SCMI_RAW_P2A_ALONGSIDE,
		  .raw_queue_len = SCMI_RAW_MAX_QUEUE_LEN + 1 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(scmi_agent_create(&a, &bad[i]), -EINVAL);
		assert_null(a);
	}
}

static void test_arguments_refused(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent_config cfg = { .raw_p2a = SCMI_RAW_P2A_INSTEAD,
					 .raw_only = true };
	struct scmi_agent *off = fx_agent_new(fx, 1);
	struct scmi_agent *loop = raw_agent(fx, 2, cfg, true);
	struct scmi_agent *a;
	uint8_t big[129] = { 0 };
	struct scmi_raw_cmd c = { .hdr = { .proto_id = SCMI_PROTOCOL_BASE } };
	struct scmi_raw_reply r = reply_in(NULL, 0), no_room = { .payld_cap = 4 };
	struct scmi_raw_msg m = { 0 }, m_no_room = { .payld_cap = 4 };
	struct scmi_raw_stats st;

	/* not connected */
	assert_int_equal(scmi_raw_xfer(off, &c, &r), -ENOTCONN);
	assert_int_equal(scmi_raw_max_payload(off), -ENOTCONN);
	assert_int_equal(scmi_raw_recv(off, &m), -EOPNOTSUPP);
	assert_int_equal(scmi_raw_get_stats(off, &st), 0);
	assert_int_equal(st.queued, 0);

	a = raw_agent(fx, 0, cfg, false);
	assert_int_equal(scmi_raw_xfer(NULL, &c, &r), -EINVAL);
	assert_int_equal(scmi_raw_xfer(a, NULL, &r), -EINVAL);
	assert_int_equal(scmi_raw_xfer(a, &c, NULL), -EINVAL);
	assert_int_equal(scmi_raw_xfer(a, &c, &no_room), -EINVAL);
	c.flags = 2;
	assert_int_equal(scmi_raw_xfer(a, &c, &r), -EINVAL);
	c.flags = 0;
	c.payld_sz = 4;
	assert_int_equal(scmi_raw_xfer(a, &c, &r), -EINVAL);
	c.payld = big;
	c.payld_sz = sizeof(big);
	assert_int_equal(scmi_raw_xfer(a, &c, &r), -ERANGE);
	assert_int_equal(scmi_raw_xfer_async(a, &c, &r, NULL, 0), -EINVAL);
	assert_int_equal(scmi_raw_xfer_async(a, &c, &r, &r, 0), -ERANGE);
	c.payld_sz = 128; /* max_msg_size: sent (and PROTOCOL_ERROR) */
	assert_int_equal(scmi_raw_xfer(a, &c, &r), 0);
	assert_int_equal(r.status, SCMI_ERR_PROTOCOL);
	assert_int_equal(fx_commands(a), 1);

	assert_int_equal(scmi_raw_max_payload(NULL), -EINVAL);
	assert_int_equal(scmi_raw_recv(NULL, &m), -EINVAL);
	assert_int_equal(scmi_raw_recv(a, NULL), -EINVAL);
	assert_int_equal(scmi_raw_recv(a, &m_no_room), -EINVAL);
	assert_int_equal(scmi_raw_recv(a, &m), -EAGAIN);
	assert_int_equal(scmi_raw_recv_wait(a, &m, 20), -ETIMEDOUT);
	assert_int_equal(scmi_raw_recv_wait(loop, &m, 20), -EOPNOTSUPP);
	assert_int_equal(scmi_raw_get_stats(a, NULL), -EINVAL);
	assert_int_equal(scmi_raw_get_stats(NULL, &st), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_statuses_as_written),
		FX_TEST(test_success_and_truncation),
		FX_TEST(test_token_is_the_librarys),
		FX_TEST(test_header_of_another_type_or_reserved_bits),
		FX_TEST(test_raw_only_sends_nothing_of_its_own),
		FX_TEST_SETUP(test_async_blocking, setup_async),
		FX_TEST_SETUP(test_async_blocking_loop, setup_async),
		FX_TEST_SETUP(test_async_cb, setup_async),
		FX_TEST_SETUP(test_async_cb_loop, setup_async),
		FX_TEST_SETUP(test_plain_command_delayed, setup_async),
		FX_TEST_SETUP(test_plain_command_delayed_loop, setup_async),
		FX_TEST_SETUP(test_plain_command_delayed_dropped_without_raw,
			      setup_async),
		FX_TEST(test_p2a_raw_only),
		FX_TEST(test_p2a_raw_only_loop),
		FX_TEST(test_loop_fd_readable_while_raw_waits),
		FX_TEST(test_alongside),
		FX_TEST(test_alongside_loop),
		FX_TEST(test_instead),
		FX_TEST(test_instead_loop),
		FX_TEST(test_raw_callback),
		FX_TEST(test_raw_callback_loop),
		FX_TEST(test_destroy_from_raw_fn),
		FX_TEST(test_destroy_from_raw_fn_loop),
		FX_TEST(test_queue_full_drops_the_oldest),
		cmocka_unit_test(test_config_refused),
		FX_TEST(test_arguments_refused),
	};

	return fx_run_tests(tests);
}
