/* SPDX-License-Identifier: MIT */
/*
 * libscmi-notify/delayed.c: which delayed responses a waiting command
 * takes and which it refuses, a response that overtakes its wait, the
 * timeout, a late response, hang-up and the connection after it, token
 * reservation, a full table and truncation; callback-style slots, the
 * raw interface's among them, which hand over the response as received.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <scmi/wire.h>

#include "delayed.h"
#include "log.h"

#define PROTO SCMI_PROTOCOL_CLOCK
#define MSG 0x5
#define LONG_NS 10000000000ull /* a deadline no test reaches */

static int setup(void **state)
{
	struct delayed_table *t = calloc(1, sizeof(*t));

	if (!t || delayed_init(t))
		return -1;
	delayed_revive(t);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct delayed_table *t = *state;

	for (int i = 0; i < DELAYED_MAX; i++)
		assert_false(t->slots[i].used); /* every slot given back */
	delayed_fini(t);
	free(t);
	return 0;
}

static struct scmi_msg_hdr dhdr(uint8_t proto, uint8_t msg, uint16_t token)
{
	return (struct scmi_msg_hdr){ .msg_id = msg,
				      .type = SCMI_MSG_TYPE_DELAYED_RESP,
				      .proto_id = proto, .token = token };
}

/* status, then @n return words 0x11, 0x22, ... */
static size_t payload(uint8_t *p, int32_t status, unsigned int n)
{
	scmi_put_le32(p, (uint32_t)status);
	for (unsigned int i = 0; i < n; i++)
		scmi_put_le32(p + 4 + 4 * i, 0x11u * (i + 1));
	return 4 + 4 * (size_t)n;
}

/* delayed responses taken, as the channel counts them */
static _Atomic uint64_t taken;

static int complete(struct delayed_table *t, const struct scmi_msg_hdr *h,
		    const uint8_t *p, size_t sz)
{
	return delayed_complete(t, h, p, sz, &taken);
}

static uint64_t soon(unsigned int ms)
{
	return scmi_now_ns() + ms * 1000000ull;
}

static void test_taken_after_wait_begins_or_before(void **state)
{
	struct delayed_table *t = *state;
	struct scmi_msg_hdr h = dhdr(PROTO, MSG, 7);
	uint8_t p[16], rx[12] = { 0 };
	size_t rx_sz = 0;
	int32_t status = 1;
	int idx = delayed_reserve(t, PROTO, MSG, 7, sizeof(rx));
	uint64_t n = atomic_load(&taken);

	assert_true(idx >= 0);
	/* it overtakes the wait (the immediate response is not in yet) */
	assert_int_equal(complete(t, &h, p, payload(p, 0, 3)), 0);
	assert_true(atomic_load(&taken) == n + 1); /* counted before the wake */
	assert_int_equal(delayed_wait(t, idx, soon(10), &status, rx, sizeof(rx),
				      &rx_sz), 0);
	assert_int_equal(status, 0);
	assert_int_equal(rx_sz, 12);
	assert_int_equal(scmi_get_le32(rx), 0x11);
	assert_int_equal(scmi_get_le32(rx + 8), 0x33);
}

static void test_refused_unless_all_match(void **state)
{
	struct delayed_table *t = *state;
	struct scmi_msg_hdr bad[] = {
		dhdr(PROTO, MSG, 8),          /* another token */
		dhdr(PROTO, MSG + 1, 7),      /* another message */
		dhdr(PROTO + 1, MSG, 7),      /* another protocol */
		{ .msg_id = MSG, .type = SCMI_MSG_TYPE_COMMAND,
		  .proto_id = PROTO, .token = 7 }, /* not a delayed response */
	};
	struct scmi_msg_hdr good = dhdr(PROTO, MSG, 7);
	uint8_t p[8];
	int32_t status = 0;
	int idx = delayed_reserve(t, PROTO, MSG, 7, 0);
	uint64_t n = atomic_load(&taken);

	assert_true(idx >= 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(complete(t, &bad[i], p,
						  payload(p, 0, 0)),
				 -ENOENT);
	assert_int_equal(complete(t, &good, p, 3), -EPROTO);
	assert_true(atomic_load(&taken) == n); /* none of those counted */
	assert_int_equal(complete(t, &good, p,
					  payload(p, SCMI_ERR_RANGE, 0)), 0);
	/* a second one for the same command finds nobody */
	assert_int_equal(complete(t, &good, p, payload(p, 0, 0)),
			 -ENOENT);
	assert_int_equal(delayed_wait(t, idx, soon(10), &status, NULL, 0, NULL),
			 0);
	assert_int_equal(status, SCMI_ERR_RANGE);
}

static void test_timeout_then_late_response_dropped(void **state)
{
	struct delayed_table *t = *state;
	struct scmi_msg_hdr h = dhdr(PROTO, MSG, 9);
	uint8_t p[8];
	int32_t status = 5;
	uint64_t t0 = scmi_now_ns();
	int idx = delayed_reserve(t, PROTO, MSG, 9, 0);

	assert_true(idx >= 0);
	assert_int_equal(delayed_wait(t, idx, soon(20), &status, NULL, 0, NULL),
			 -ETIMEDOUT);
	assert_true(scmi_now_ns() - t0 >= 20000000ull);
	assert_int_equal(status, 5); /* untouched */
	assert_false(delayed_token_busy(t, 9));
	assert_int_equal(complete(t, &h, p, payload(p, 0, 0)), -ENOENT);
}

struct waiter {
	struct delayed_table *t;
	int idx;
	int ret;
};

static void *wait_main(void *arg)
{
	struct waiter *w = arg;
	int32_t status;

	w->ret = delayed_wait(w->t, w->idx, soon(LONG_NS / 1000000),
			      &status, NULL, 0, NULL);
	return NULL;
}

static void test_kill_wakes_waiters_and_revive_starts_afresh(void **state)
{
	struct delayed_table *t = *state;
	struct scmi_msg_hdr h = dhdr(PROTO, MSG, 3);
	struct waiter w[2] = { { .t = t }, { .t = t } };
	pthread_t th[2];
	uint8_t p[8];
	int idx;

	for (int i = 0; i < 2; i++) {
		w[i].idx = delayed_reserve(t, PROTO, MSG, (uint16_t)(3 + i), 0);
		assert_true(w[i].idx >= 0);
		assert_int_equal(pthread_create(&th[i], NULL, wait_main, &w[i]),
				 0);
	}
	usleep(20000); /* let them wait (not needed for correctness) */
	delayed_kill(t);
	for (int i = 0; i < 2; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(w[i].ret, -ECONNRESET);
	}
	/* over: nothing is reserved or taken until the next connection */
	assert_int_equal(delayed_reserve(t, PROTO, MSG, 3, 0), -ECONNRESET);

	/* a slot of the old connection, not yet given back by its waiter */
	delayed_revive(t);
	idx = delayed_reserve(t, PROTO, MSG, 3, 0);
	assert_true(idx >= 0);
	delayed_kill(t);
	delayed_revive(t);
	assert_false(delayed_token_busy(t, 3));
	assert_int_equal(complete(t, &h, p, payload(p, 0, 0)), -ENOENT);
	assert_int_equal(delayed_wait(t, idx, soon(10), NULL, NULL, 0, NULL),
			 -ECONNRESET);
}

static void test_tokens_held_and_table_full(void **state)
{
	struct delayed_table *t = *state;
	int idx[DELAYED_MAX];

	for (int i = 0; i < DELAYED_MAX; i++) {
		idx[i] = delayed_reserve(t, PROTO, MSG, (uint16_t)(100 + i), 0);
		assert_true(idx[i] >= 0);
		assert_true(delayed_token_busy(t, (uint16_t)(100 + i)));
	}
	assert_false(delayed_token_busy(t, 99));
	assert_int_equal(delayed_reserve(t, PROTO, MSG, 200, 0), -EBUSY);
	delayed_release(t, idx[3]);
	assert_false(delayed_token_busy(t, 103));
	idx[3] = delayed_reserve(t, PROTO, MSG, 200, 0);
	assert_true(idx[3] >= 0);
	for (int i = 0; i < DELAYED_MAX; i++)
		delayed_release(t, idx[i]);
}

static void test_truncated_to_the_room_given(void **state)
{
	struct delayed_table *t = *state;
	struct scmi_msg_hdr h = dhdr(PROTO, MSG, 1);
	uint8_t p[4 + 4 * 8], rx[8] = { 0 }, canary[8];
	size_t rx_sz = 0;
	int32_t status = 1;
	int idx = delayed_reserve(t, PROTO, MSG, 1, 4);

	assert_true(idx >= 0);
	memset(canary, 0xA5, sizeof(canary));
	memcpy(rx, canary, sizeof(rx));
	assert_int_equal(complete(t, &h, p, payload(p, 0, 8)), 0);
	assert_int_equal(delayed_wait(t, idx, soon(10), &status, rx, 4, &rx_sz),
			 0);
	assert_int_equal(rx_sz, 32);          /* as sent */
	assert_int_equal(scmi_get_le32(rx), 0x11);
	assert_memory_equal(rx + 4, canary + 4, 4); /* nothing past rx_cap */
}

static void raw_fn(void *userdata, int result,
		   const struct scmi_raw_reply *delayed)
{
	(void)userdata;
	(void)result;
	(void)delayed;
}

/*
 * A raw callback slot: due once its response came, with the header and
 * the status as written (not mapped: IN_USE and GENERIC_ERROR both map to
 * -EIO); due with -ETIMEDOUT once its deadline passed; due with
 * -ECONNRESET once the connection ended; a raw slot and the drivers' are
 * told apart.
 */
static void test_raw_cb_slot_keeps_the_response_as_written(void **state)
{
	struct delayed_table *t = *state;
	struct scmi_msg_hdr h = dhdr(PROTO, MSG, 11);
	struct delayed_cb cb;
	uint8_t p[16];
	int ud;

	assert_true(delayed_reserve_raw_cb(t, PROTO, MSG, 11, 8, raw_fn, &ud,
					   soon(10000)) >= 0);
	assert_int_equal(delayed_reserve_raw_cb(t, PROTO, MSG, 12, 0, NULL,
						&ud, soon(1)),
			 -EINVAL);
	assert_false(delayed_next_cb(t, scmi_now_ns(), &cb));
	assert_int_equal(complete(t, &h, p, payload(p, SCMI_ERR_IN_USE, 3)), 1);
	assert_true(delayed_next_cb(t, scmi_now_ns(), &cb));
	assert_ptr_equal(cb.raw_fn, raw_fn);
	assert_null(cb.fn);
	assert_ptr_equal(cb.userdata, &ud);
	assert_true(cb.responded);
	assert_int_equal(cb.status, SCMI_ERR_IN_USE);
	assert_int_equal(cb.result, -EIO);
	assert_int_equal(cb.hdr.type, h.type);
	assert_int_equal(cb.hdr.proto_id, h.proto_id);
	assert_int_equal(cb.hdr.msg_id, h.msg_id);
	assert_int_equal(cb.hdr.token, h.token);
	assert_int_equal(cb.ret_sz, 8); /* the room given */
	assert_int_equal(scmi_get_le32(cb.ret + 4), 0x22);
	free(cb.mem);

	/* past its deadline */
	assert_true(delayed_reserve_raw_cb(t, PROTO, MSG, 13, 8, raw_fn, &ud,
					   soon(5)) >= 0);
	assert_true(delayed_cb_deadline(t) > scmi_now_ns());
	assert_false(delayed_next_cb(t, scmi_now_ns(), &cb));
	assert_true(delayed_next_cb(t, soon(10), &cb));
	assert_false(cb.responded);
	assert_int_equal(cb.result, -ETIMEDOUT);
	assert_null(cb.ret);

	/* the connection ended */
	assert_true(delayed_reserve_raw_cb(t, PROTO, MSG, 14, 8, raw_fn, &ud,
					   soon(10000)) >= 0);
	assert_true(delayed_kill(t));
	assert_true(delayed_next_cb(t, scmi_now_ns(), &cb));
	assert_false(cb.responded);
	assert_int_equal(cb.result, -ECONNRESET);
	delayed_revive(t);
}

static void drv_fn(void *userdata, int result, const void *ret, size_t ret_sz)
{
	(void)userdata;
	(void)result;
	(void)ret;
	(void)ret_sz;
}

/*
 * A done completion (delayed_add_done()): due at once (the deadline is
 * 0), handed out before any slot and in the order added, with a copy of
 * what it was given and result 0; it holds no slot, so a full table
 * still takes one, and the end of the connection does not cut it short;
 * one never handed out is freed by delayed_fini() (ASan, valgrind).
 */
static void test_done_completion_first_and_never_cut_short(void **state)
{
	struct delayed_table *t = *state;
	struct scmi_msg_hdr h = dhdr(PROTO, MSG, 21);
	uint8_t ret[3] = { 1, 2, 3 }, p[16];
	struct delayed_cb cb;
	int ud[3];

	assert_int_equal(delayed_cb_deadline(t), UINT64_MAX);
	assert_true(delayed_reserve_cb(t, PROTO, MSG, 21, 8, drv_fn, &ud[0],
				       soon(10000)) >= 0);
	assert_int_equal(complete(t, &h, p, payload(p, 0, 2)), 1);
	assert_int_equal(delayed_add_done(t, drv_fn, &ud[1], ret, sizeof(ret)),
			 0);
	ret[0] = 9; /* copied */
	assert_int_equal(delayed_add_done(t, drv_fn, &ud[2], NULL, 0), 0);
	assert_true(delayed_kill(t));
	assert_int_equal(delayed_cb_deadline(t), 0);

	assert_true(delayed_next_cb(t, 0, &cb));
	assert_ptr_equal(cb.userdata, &ud[1]);
	assert_int_equal(cb.result, 0);
	assert_false(cb.timed_out);
	assert_int_equal(cb.ret_sz, 3);
	assert_int_equal(cb.ret[0], 1);
	assert_int_equal(cb.ret[2], 3);
	free(cb.mem);
	assert_true(delayed_next_cb(t, 0, &cb));
	assert_ptr_equal(cb.userdata, &ud[2]);
	assert_int_equal(cb.result, 0);
	assert_int_equal(cb.ret_sz, 0);
	free(cb.mem);
	/* then the slot, whose response came before the end */
	assert_true(delayed_next_cb(t, 0, &cb));
	assert_ptr_equal(cb.userdata, &ud[0]);
	free(cb.mem);
	assert_false(delayed_next_cb(t, 0, &cb));
	delayed_revive(t);

	/* the slots all taken: a done completion still goes in */
	for (uint16_t k = 0; k < DELAYED_MAX; k++)
		assert_true(delayed_reserve_cb(t, PROTO, MSG, 30 + k, 0,
					       drv_fn, &ud[0],
					       soon(10000)) >= 0);
	assert_int_equal(delayed_add_done(t, drv_fn, &ud[1], ret, 1), 0);
	assert_true(delayed_kill(t));
	for (int k = 0; k < DELAYED_MAX + 1; k++) {
		assert_true(delayed_next_cb(t, 0, &cb));
		assert_int_equal(cb.result, k ? -ECONNRESET : 0);
		free(cb.mem);
	}
	delayed_revive(t);
	/* left for delayed_fini() */
	assert_int_equal(delayed_add_done(t, drv_fn, &ud[1], ret, 1), 0);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_taken_after_wait_begins_or_before),
		T(test_refused_unless_all_match),
		T(test_timeout_then_late_response_dropped),
		T(test_kill_wakes_waiters_and_revive_starts_afresh),
		T(test_tokens_held_and_table_full),
		T(test_truncated_to_the_room_given),
		T(test_raw_cb_slot_keeps_the_response_as_written),
		T(test_done_completion_first_and_never_cut_short),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
