/* SPDX-License-Identifier: MIT */
/*
 * libscmi-notify/rawqueue.c: the raw interface's queue of P2A messages
 * keeps them in order with their header, payload and time; a full queue
 * drops the oldest and counts it; its eventfd is readable exactly while
 * a message waits; a pop waits until its deadline for a message another
 * thread queues, and no longer.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <scmi/wire.h>

#include "log.h"
#include "rawqueue.h"

#define CAP 4

static int setup_fd(void **state)
{
	struct rawq *q = calloc(1, sizeof(*q));

	if (!q || rawq_init(q, CAP, true)) {
		free(q);
		return -1;
	}
	*state = q;
	return 0;
}

static int teardown(void **state)
{
	struct rawq *q = *state;

	rawq_fini(q); /* frees what is still queued (ASan, valgrind) */
	free(q);
	return 0;
}

/* Queue notification @i of power (event 0): payload the word @i. */
static int push(struct rawq *q, uint32_t i)
{
	struct scmi_msg_hdr h = { .msg_id = 0, .type = 3,
				  .proto_id = SCMI_PROTOCOL_POWER };
	uint8_t p[4];

	scmi_put_le32(p, i);
	return rawq_push(q, scmi_hdr_pack(0, 3, SCMI_PROTOCOL_POWER, 0), &h, p,
			 sizeof(p), 1000 + i);
}

/* Pop one without waiting; assert it is notification @i. */
static void pop_is(struct rawq *q, uint32_t i)
{
	struct rawq_entry *e = rawq_pop(q, 0);

	assert_non_null(e);
	assert_int_equal(e->hdr_word, 0x4700);
	assert_int_equal(e->hdr.type, 3);
	assert_int_equal(e->hdr.proto_id, SCMI_PROTOCOL_POWER);
	assert_int_equal(e->payld_sz, 4);
	assert_int_equal(scmi_get_le32(e->payld), i);
	assert_int_equal(e->ts, 1000 + i);
	free(e);
}

static bool readable(const struct rawq *q)
{
	struct pollfd p = { .fd = q->efd, .events = POLLIN };

	return poll(&p, 1, 0) == 1;
}

static void test_in_order_and_fd_while_non_empty(void **state)
{
	struct rawq *q = *state;
	struct scmi_raw_stats st;

	assert_false(readable(q));
	assert_true(rawq_empty(q));
	assert_null(rawq_pop(q, 0));
	for (uint32_t i = 0; i < 3; i++)
		assert_int_equal(push(q, i), 0);
	assert_true(readable(q));
	pop_is(q, 0);
	pop_is(q, 1);
	assert_true(readable(q)); /* one still waits */
	pop_is(q, 2);
	assert_false(readable(q));
	assert_true(rawq_empty(q));
	rawq_stats(q, &st);
	assert_int_equal(st.queued, 3);
	assert_int_equal(st.delivered, 3);
	assert_int_equal(st.dropped, 0);
	assert_int_equal(st.waiting, 0);
}

static void test_full_drops_the_oldest(void **state)
{
	struct rawq *q = *state;
	struct scmi_raw_stats st;

	for (uint32_t i = 0; i < CAP; i++)
		assert_int_equal(push(q, i), 0);
	assert_int_equal(push(q, CAP), 1);
	assert_int_equal(push(q, CAP + 1), 1);
	rawq_stats(q, &st);
	assert_int_equal(st.queued, CAP + 2);
	assert_int_equal(st.dropped, 2);
	assert_int_equal(st.waiting, CAP);
	for (uint32_t i = 2; i < CAP + 2; i++)
		pop_is(q, i);
	assert_false(readable(q));
	/* messages left in the queue are freed by rawq_fini() */
	assert_int_equal(push(q, 7), 0);
}

static void test_one_slot(void **state)
{
	struct rawq q;

	(void)state;
	assert_int_equal(rawq_init(&q, 1, true), 0);
	assert_int_equal(push(&q, 1), 0);
	assert_int_equal(push(&q, 2), 1);
	assert_true(readable(&q));
	pop_is(&q, 2);
	assert_false(readable(&q));
	rawq_fini(&q);
}

static void test_empty_payload_and_no_fd(void **state)
{
	struct scmi_msg_hdr h = { .msg_id = 4, .type = 2, .proto_id = 0x16 };
	struct rawq_entry *e;
	struct rawq q;

	(void)state;
	assert_int_equal(rawq_init(&q, 2, false), 0);
	assert_int_equal(q.efd, -1);
	assert_int_equal(rawq_push(&q, 0x5804, &h, NULL, 0, 5), 0);
	e = rawq_pop(&q, 0);
	assert_non_null(e);
	assert_int_equal(e->payld_sz, 0);
	assert_int_equal(e->hdr.msg_id, 4);
	free(e);
	rawq_fini(&q);
}

static void *late_push(void *arg)
{
	usleep(30000);
	push(arg, 9);
	return NULL;
}

static void test_pop_waits_until_its_deadline(void **state)
{
	struct rawq *q = *state;
	uint64_t t0 = scmi_now_ns();
	struct rawq_entry *e;
	pthread_t th;

	assert_null(rawq_pop(q, t0 + 20000000ull));
	assert_true(scmi_now_ns() - t0 >= 20000000ull);

	assert_int_equal(pthread_create(&th, NULL, late_push, q), 0);
	e = rawq_pop(q, scmi_now_ns() + 10000000000ull);
	pthread_join(th, NULL);
	assert_non_null(e);
	assert_int_equal(scmi_get_le32(e->payld), 9);
	free(e);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup_fd, teardown)
	const struct CMUnitTest tests[] = {
		T(test_in_order_and_fd_while_non_empty),
		T(test_full_drops_the_oldest),
		cmocka_unit_test(test_one_slot),
		cmocka_unit_test(test_empty_payload_and_no_fd),
		T(test_pop_waits_until_its_deadline),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
