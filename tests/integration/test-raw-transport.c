/* SPDX-License-Identifier: MIT */
/*
 * The raw interface (include/scmi/raw.h) against the fake platform
 * (fake-platform.c), for what the simulator never does:
 *  - statuses the errno mapping merges into -EIO (GENERIC_ERROR, IN_USE,
 *    a value SCMI does not define) given apart, as written;
 *  - a response that echoes another message id given as received (the
 *    decoded path refuses it); one with another token refused (-EPROTO)
 *    with its header word given;
 *  - P2A messages nobody asked for: a delayed response to a plain
 *    command (and one with a token no command holds) reaches the raw
 *    queue, which the decoded path drops; a notification of a protocol
 *    the agent does not know reaches it as posted; a malformed one (its
 *    payload beyond max_msg_size, a delayed response without status)
 *    does not: dropped and counted, as on the decoded path.
 * And raw_only: the hello is checked as always, and nothing is sent.
 * The fake's thread serves A2P; the test posts P2A messages itself
 * (fake_post_p2a(), which returns once the agent took each one).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <scmi/agent.h>
#include <scmi/raw.h>
#include <scmi/wire.h>

#include "fake-platform.h"

#define CMD_TIMEOUT_MS 2000
#define PROTO 0x13     /* not Base: answered in the fake's delayed modes */
#define MSG 0x7

/*
 * A raw_only agent (the raw queue @raw_p2a) connected to the fake; each
 * test destroys it at its end, before the fake's teardown.
 */
static struct scmi_agent *connect_raw(struct fake *f, enum scmi_raw_p2a raw_p2a)
{
	struct scmi_agent_config cfg = {
		.timeout_ms = CMD_TIMEOUT_MS,
		.raw_only = true,
		.raw_p2a = raw_p2a,
	};
	struct scmi_agent *a = NULL;

	assert_int_equal(scmi_agent_create(&a, &cfg), 0);
	fake_start(f);
	assert_int_equal(scmi_agent_connect(a, f->sock), 0);
	return a;
}

static struct scmi_agent_stats stats(struct scmi_agent *a)
{
	struct scmi_agent_stats st;

	assert_int_equal(scmi_agent_get_stats(a, &st), 0);
	return st;
}

static void test_statuses_merged_by_errno_apart(void **state)
{
	struct fake *f = *state;
	struct scmi_agent *a = connect_raw(f, SCMI_RAW_P2A_OFF);
	const int32_t statuses[] = { SCMI_ERR_GENERIC, SCMI_ERR_IN_USE, 7, -42 };
	struct scmi_raw_cmd cmd = { .hdr = { .msg_id = MSG, .proto_id = PROTO } };

	/* answered with imm_status and no delayed response */
	atomic_store(&f->delayed, D_NONE);
	for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++) {
		struct scmi_raw_reply r = { 0 };

		atomic_store(&f->imm_status, statuses[i]);
		assert_int_equal(scmi_raw_xfer(a, &cmd, &r), 0);
		assert_int_equal(r.status, statuses[i]);
		assert_int_equal(r.hdr.proto_id, PROTO);
		assert_int_equal(r.hdr.msg_id, MSG);
		/* the decoded path: -EIO for each */
		assert_int_equal(scmi_agent_xfer(a, PROTO, MSG, NULL, 0, NULL, 0,
						 NULL),
				 -EIO);
	}
	scmi_agent_destroy(a);
}

static void test_header_as_received(void **state)
{
	struct fake *f = *state;
	struct scmi_agent *a = connect_raw(f, SCMI_RAW_P2A_OFF);
	struct scmi_raw_cmd cmd = {
		.hdr = { .msg_id = SCMI_PROTOCOL_VERSION,
			 .proto_id = SCMI_PROTOCOL_BASE },
	};
	struct scmi_raw_reply r = { 0 };
	uint8_t buf[8];

	/* another message id echoed: given as received */
	atomic_store(&f->corrupt, C_MSG_ID);
	r = (struct scmi_raw_reply){ .payld = buf, .payld_cap = sizeof(buf) };
	assert_int_equal(scmi_raw_xfer(a, &cmd, &r), 0);
	assert_int_equal(r.hdr.msg_id, SCMI_PROTOCOL_VERSION + 1);
	assert_int_equal(r.hdr.token, 0);
	assert_int_equal(r.status, SCMI_SUCCESS);
	assert_int_equal(r.payld_sz, 4);
	assert_int_equal(scmi_get_le32(buf), 0x20000);
	/* the decoded path refuses it */
	atomic_store(&f->corrupt, C_MSG_ID);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_BASE,
					 SCMI_PROTOCOL_VERSION, NULL, 0, NULL, 0,
					 NULL),
			 -EPROTO);
	assert_int_equal(stats(a).proto_errors, 1);

	/* another token: refused by both; its header given */
	atomic_store(&f->corrupt, C_TOKEN);
	r = (struct scmi_raw_reply){ 0 };
	assert_int_equal(scmi_raw_xfer(a, &cmd, &r), -EPROTO);
	assert_false(r.received);
	assert_int_equal(r.hdr_word,
			 scmi_hdr_pack(SCMI_PROTOCOL_VERSION, 0,
				       SCMI_PROTOCOL_BASE, 1));
	assert_int_equal(r.hdr.token, 1); /* token 2's response, as token 1 */
	assert_int_equal(stats(a).proto_errors, 2);
	scmi_agent_destroy(a);
}

/* Receive one raw message (it was taken before fake_post_p2a() returned). */
static void recv_now(struct scmi_agent *a, struct scmi_raw_msg *m, void *buf,
		     size_t cap)
{
	*m = (struct scmi_raw_msg){ .payld = buf, .payld_cap = cap };
	assert_int_equal(scmi_raw_recv_wait(a, m, 1000), 0);
}

static void test_delayed_response_nobody_waits_for(void **state)
{
	struct fake *f = *state;
	struct scmi_agent *a = connect_raw(f, SCMI_RAW_P2A_ALONGSIDE);
	struct scmi_raw_cmd cmd = { .hdr = { .msg_id = MSG, .proto_id = PROTO } };
	const uint8_t ret[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct scmi_raw_reply r = { 0 };
	struct scmi_raw_msg m;
	uint8_t buf[64];

	/* a plain command the fake answers SUCCESS, delayed response left to us */
	atomic_store(&f->delayed, D_NONE);
	atomic_store(&f->imm_status, SCMI_SUCCESS);
	assert_int_equal(scmi_raw_xfer(a, &cmd, &r), 0);
	assert_int_equal(r.status, SCMI_SUCCESS);
	assert_int_equal(fake_post_delayed(f, PROTO, MSG, r.hdr.token,
					   SCMI_ERR_HARDWARE, ret, sizeof(ret)),
			 0);
	recv_now(a, &m, buf, sizeof(buf));
	assert_int_equal(m.hdr_word,
			 scmi_hdr_pack(MSG, SCMI_MSG_TYPE_DELAYED_RESP, PROTO,
				       r.hdr.token));
	assert_int_equal(m.payld_sz, 12);
	assert_int_equal((int32_t)scmi_get_le32(buf), SCMI_ERR_HARDWARE);
	assert_memory_equal(buf + 4, ret, sizeof(ret));

	/* a token no command ever had */
	assert_int_equal(fake_post_delayed(f, 0x80, 0x1, 999, SCMI_SUCCESS,
					   NULL, 0),
			 0);
	recv_now(a, &m, buf, sizeof(buf));
	assert_int_equal(m.hdr.proto_id, 0x80);
	assert_int_equal(m.hdr.token, 999);
	assert_int_equal(m.payld_sz, 4);
	assert_int_equal(stats(a).notify_refused, 0);
	scmi_agent_destroy(a);
}

static void test_delayed_response_dropped_without_raw(void **state)
{
	struct fake *f = *state;
	struct scmi_agent *a = connect_raw(f, SCMI_RAW_P2A_OFF);
	struct scmi_raw_msg m = { 0 };

	assert_int_equal(fake_post_delayed(f, PROTO, MSG, 0, SCMI_SUCCESS,
					   NULL, 0),
			 0);
	assert_int_equal(stats(a).notify_refused, 1);
	assert_int_equal(scmi_raw_recv(a, &m), -EOPNOTSUPP);
	scmi_agent_destroy(a);
}

static void test_notifications_as_posted_malformed_dropped(void **state)
{
	struct fake *f = *state;
	struct scmi_agent *a = connect_raw(f, SCMI_RAW_P2A_INSTEAD);
	uint8_t payld[132], buf[200];
	struct scmi_raw_stats st;
	struct scmi_raw_msg m;
	uint32_t hdr = scmi_hdr_pack(0x5, SCMI_MSG_TYPE_NOTIFICATION, 0x80, 0x2A);

	for (size_t i = 0; i < sizeof(payld); i++)
		payld[i] = (uint8_t)i;
	/* a vendor protocol's event 5, 128 bytes: as posted, token bits too */
	assert_int_equal(fake_post_p2a(f, hdr, payld, 128), 0);
	recv_now(a, &m, buf, sizeof(buf));
	assert_int_equal(m.hdr_word, hdr);
	assert_int_equal(m.hdr.token, 0x2A);
	assert_int_equal(m.payld_sz, 128);
	assert_memory_equal(buf, payld, 128);
	/* a room too small: the size as sent, the room's worth copied */
	assert_int_equal(fake_post_p2a(f, hdr, payld, 7), 0);
	memset(buf, 0xEE, sizeof(buf));
	recv_now(a, &m, buf, 3);
	assert_int_equal(m.payld_sz, 7);
	assert_memory_equal(buf, payld, 3);
	assert_int_equal(buf[3], 0xEE);

	/* beyond max_msg_size; a delayed response without status; type 1 */
	assert_int_equal(fake_post_p2a(f, hdr, payld, 132), 0);
	assert_int_equal(fake_post_p2a(f,
				       scmi_hdr_pack(1, SCMI_MSG_TYPE_DELAYED_RESP,
						     PROTO, 3),
				       NULL, 0),
			 0);
	assert_int_equal(fake_post_p2a(f, scmi_hdr_pack(1, 1, PROTO, 3),
				       payld, 4),
			 0);
	assert_int_equal(stats(a).notify_refused, 3);
	assert_int_equal(scmi_raw_get_stats(a, &st), 0);
	assert_int_equal(st.queued, 2);
	assert_int_equal(st.waiting, 0);
	assert_int_equal(scmi_raw_recv(a, &m), -EAGAIN);
	scmi_agent_destroy(a);
}

/* raw_only connects with the handshake alone, checked as always. */
static void test_raw_only_checks_the_hello(void **state)
{
	struct fake *f = *state;
	struct scmi_agent_config cfg = { .timeout_ms = CMD_TIMEOUT_MS,
					 .raw_only = true };
	struct scmi_agent *a = NULL;

	assert_int_equal(scmi_agent_create(&a, &cfg), 0);
	f->h.max_msg_size = 4; /* below the smallest a hello may give */
	fake_start(f);
	assert_int_equal(scmi_agent_connect(a, f->sock), -EPROTO);
	fake_join(f);
	f->h.max_msg_size = 128;
	fake_start(f);
	assert_int_equal(scmi_agent_connect(a, f->sock), 0);
	assert_int_equal(atomic_load(&f->served), 0); /* nothing sent */
	scmi_agent_destroy(a);
}

int main(void)
{
#define T(name) \
	cmocka_unit_test_setup_teardown(name, fake_setup, fake_teardown)
	const struct CMUnitTest tests[] = {
		T(test_statuses_merged_by_errno_apart),
		T(test_header_as_received),
		T(test_delayed_response_nobody_waits_for),
		T(test_delayed_response_dropped_without_raw),
		T(test_notifications_as_posted_malformed_dropped),
		T(test_raw_only_checks_the_hello),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
