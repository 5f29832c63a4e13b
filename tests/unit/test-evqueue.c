/* SPDX-License-Identifier: MIT */
/*
 * The bounded per-protocol event queue (evqueue.c): a byte ring of records
 * {timestamp, evt_id, size, payload}, each taking evq_rec_size(size) bytes,
 * in a ring of a power of two bytes.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "evqueue.h"

#define HDR sizeof(struct evq_rec)

/* A payload whose bytes depend on a seed, so that mix-ups show. */
static void fill_payload(uint8_t *p, size_t n, unsigned int seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(seed * 31u + i * 7u + 1u);
}

static void push_ok(struct scmi_evqueue *q, uint8_t evt, uint64_t ts,
		    size_t sz, unsigned int seed)
{
	uint8_t p[256];

	assert_true(sz <= sizeof(p));
	fill_payload(p, sz, seed);
	assert_int_equal(evq_push(q, evt, ts, p, sz, NULL), 0);
}

/* Pop one record and check every field and every payload byte. */
static void pop_expect(struct scmi_evqueue *q, uint8_t evt, uint64_t ts,
		       size_t sz, unsigned int seed)
{
	uint8_t want[256], got[256 + 8];
	struct evq_rec rec;

	memset(&rec, 0xa5, sizeof(rec));
	memset(got, 0xcc, sizeof(got));
	fill_payload(want, sz, seed);
	assert_true(evq_pop(q, &rec, got, 256));
	assert_int_equal(rec.evt_id, evt);
	assert_int_equal(rec.timestamp_ns, ts);
	assert_int_equal(rec.payld_sz, sz);
	assert_memory_equal(got, want, sz);
	/* nothing written past the payload */
	for (size_t i = sz; i < sizeof(got); i++)
		assert_int_equal(got[i], 0xcc);
}

static void test_evq_rec_size(void **state)
{
	(void)state;
	assert_int_equal(HDR, 16);
	assert_int_equal(evq_rec_size(0), 16);
	assert_int_equal(evq_rec_size(1), 24);
	assert_int_equal(evq_rec_size(7), 24);
	assert_int_equal(evq_rec_size(8), 24);
	assert_int_equal(evq_rec_size(9), 32);
	assert_int_equal(evq_rec_size(12), 32);
	assert_int_equal(evq_rec_size(100), 120);
}

static void test_evq_size_rounding(void **state)
{
	static const struct {
		size_t req, size;
	} cases[] = {
		{ 0, 64 },     { 1, 64 },       { 63, 64 },     { 64, 64 },
		{ 65, 128 },   { 100, 128 },    { 4096, 4096 }, { 4097, 8192 },
		{ (1u << 20) + 1, 1u << 21 },
	};
	struct scmi_evqueue q;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(evq_init(&q, cases[i].req, false), 0);
		assert_int_equal(q.size, cases[i].size);
		assert_true(evq_empty(&q));
		evq_fini(&q);
		assert_null(q.buf);
	}

	/* the rounded size is what it holds: 100 asked, 8 x 16 bytes fit */
	assert_int_equal(evq_init(&q, 100, false), 0);
	for (unsigned int i = 0; i < 8; i++)
		assert_int_equal(evq_push(&q, 1, i, NULL, 0, NULL), 0);
	assert_int_equal(evq_push(&q, 1, 8, NULL, 0, NULL), -ENOSPC);
	evq_fini(&q);
}

static void test_evq_too_large_is_einval(void **state)
{
	struct scmi_evqueue q;

	(void)state;
	assert_int_equal(evq_init(&q, (1u << 30) + 1, false), -EINVAL);
	assert_int_equal(evq_init(&q, SIZE_MAX, true), -EINVAL);
}

static void test_evq_round_trip(void **state)
{
	struct scmi_evqueue q;

	(void)state;
	assert_int_equal(evq_init(&q, 256, false), 0);
	assert_true(evq_empty(&q));
	push_ok(&q, 0xA7, 0x0123456789ABCDEFull, 12, 1);
	assert_false(evq_empty(&q));
	pop_expect(&q, 0xA7, 0x0123456789ABCDEFull, 12, 1);
	assert_true(evq_empty(&q));

	/* extreme values survive */
	push_ok(&q, 0xFF, UINT64_MAX, 200, 2);
	push_ok(&q, 0x00, 0, 1, 3);
	pop_expect(&q, 0xFF, UINT64_MAX, 200, 2);
	pop_expect(&q, 0x00, 0, 1, 3);
	assert_true(evq_empty(&q));
	evq_fini(&q);
}

static void test_evq_pop_empty_is_false(void **state)
{
	struct scmi_evqueue q;
	struct evq_rec rec;
	uint8_t buf[16];

	(void)state;
	assert_int_equal(evq_init(&q, 64, true), 0);
	memset(&rec, 0xa5, sizeof(rec));
	assert_false(evq_pop(&q, &rec, buf, sizeof(buf)));
	assert_int_equal(rec.evt_id, 0xa5);
	push_ok(&q, 1, 1, 4, 1);
	pop_expect(&q, 1, 1, 4, 1);
	assert_false(evq_pop(&q, &rec, buf, sizeof(buf)));
	evq_fini(&q);
}

static void test_evq_fifo_order(void **state)
{
	struct scmi_evqueue q;

	(void)state;
	assert_int_equal(evq_init(&q, 4096, false), 0);
	for (unsigned int i = 0; i < 50; i++)
		push_ok(&q, (uint8_t)(i % 5), 1000 + i, i % 17, i);
	for (unsigned int i = 0; i < 50; i++)
		pop_expect(&q, (uint8_t)(i % 5), 1000 + i, i % 17, i);
	assert_true(evq_empty(&q));

	/* interleaved push and pop keep the order too */
	for (unsigned int i = 0; i < 200; i++) {
		push_ok(&q, 1, i, 12, i);
		if (i % 3 == 2) {
			pop_expect(&q, 1, i - 2, 12, i - 2);
			pop_expect(&q, 1, i - 1, 12, i - 1);
			pop_expect(&q, 1, i, 12, i);
		}
	}
	push_ok(&q, 1, 999, 3, 9);
	pop_expect(&q, 1, 198, 12, 198);
	pop_expect(&q, 1, 199, 12, 199);
	pop_expect(&q, 1, 999, 3, 9);
	assert_true(evq_empty(&q));
	evq_fini(&q);
}

static void test_evq_wrap_around_odd_sizes(void **state)
{
	/* sizes whose records (24, 32, 40, 16 bytes) walk every offset */
	static const size_t sizes[] = { 5, 13, 17, 0, 1, 11, 23, 3, 9, 7 };
	struct scmi_evqueue q;
	unsigned int pushed = 0, popped = 0;

	(void)state;
	assert_int_equal(evq_init(&q, 64, false), 0);
	/* keep one or two records in a 64-byte ring for many laps */
	for (unsigned int round = 0; round < 500; round++) {
		size_t sz = sizes[round % 10];

		push_ok(&q, (uint8_t)round, 7ull * round, sz, round);
		pushed++;
		if (round % 2) {
			while (popped < pushed) {
				size_t psz = sizes[popped % 10];

				pop_expect(&q, (uint8_t)popped, 7ull * popped,
					   psz, popped);
				popped++;
			}
		}
	}
	while (popped < pushed) {
		pop_expect(&q, (uint8_t)popped, 7ull * popped,
			   sizes[popped % 10], popped);
		popped++;
	}
	assert_true(evq_empty(&q));
	evq_fini(&q);
}

static void test_evq_header_split_across_end(void **state)
{
	struct scmi_evqueue q;

	(void)state;
	assert_int_equal(evq_init(&q, 64, true), 0);
	/* 56 bytes in and out: the next header starts 8 bytes before the end */
	push_ok(&q, 1, 1, 40, 1); /* 56 bytes */
	pop_expect(&q, 1, 1, 40, 1);
	/* header split 8 + 8, payload of 21 bytes after the wrap */
	push_ok(&q, 2, 0x1122334455667788ull, 21, 2);
	pop_expect(&q, 2, 0x1122334455667788ull, 21, 2);
	/* payload split: header at 32, payload from 48 across the end */
	push_ok(&q, 3, 3, 20, 3);
	pop_expect(&q, 3, 3, 20, 3);
	assert_true(evq_empty(&q));
	evq_fini(&q);
}

static void test_evq_exactly_full_then_enospc(void **state)
{
	struct scmi_evqueue q;
	size_t head, tail;

	(void)state;
	assert_int_equal(evq_init(&q, 128, false), 0);
	/* 32 + 40 + 16 + 40 = 128: exactly full */
	push_ok(&q, 1, 10, 12, 1);
	push_ok(&q, 2, 20, 24, 2);
	push_ok(&q, 3, 30, 0, 3);
	push_ok(&q, 4, 40, 17, 4);
	assert_int_equal(evq_push(&q, 5, 50, NULL, 0, NULL), -ENOSPC);
	assert_int_equal(evq_push(&q, 5, 50, "x", 1, NULL), -ENOSPC);
	/* refusals leave the ring as it was */
	head = atomic_load(&q.head);
	tail = atomic_load(&q.tail);
	assert_int_equal(tail - head, 128);
	assert_int_equal(evq_push(&q, 5, 50, NULL, 0, NULL), -ENOSPC);
	assert_int_equal(atomic_load(&q.tail), tail);
	assert_int_equal(atomic_load(&q.head), head);

	/* 32 bytes freed: a 24-byte record fits, then not even a 16-byte one */
	pop_expect(&q, 1, 10, 12, 1);
	push_ok(&q, 6, 60, 8, 6);
	assert_int_equal(evq_push(&q, 7, 70, NULL, 0, NULL), -ENOSPC);
	pop_expect(&q, 2, 20, 24, 2);
	/* 40 more: 16 + 24 fit, and again no 16 more */
	push_ok(&q, 7, 70, 0, 7);
	push_ok(&q, 8, 80, 1, 8);
	assert_int_equal(evq_push(&q, 9, 90, NULL, 0, NULL), -ENOSPC);
	pop_expect(&q, 3, 30, 0, 3);
	pop_expect(&q, 4, 40, 17, 4);
	pop_expect(&q, 6, 60, 8, 6);
	pop_expect(&q, 7, 70, 0, 7);
	pop_expect(&q, 8, 80, 1, 8);
	assert_true(evq_empty(&q));
	evq_fini(&q);
}

static void test_evq_record_larger_than_ring_is_enospc(void **state)
{
	struct scmi_evqueue q;
	uint8_t big[64] = { 0 };

	(void)state;
	assert_int_equal(evq_init(&q, 64, false), 0);
	/* 16 + 48 = 64 fits an empty ring; 16 + 56 never does */
	assert_int_equal(evq_push(&q, 1, 1, big, 49, NULL), -ENOSPC);
	assert_true(evq_empty(&q));
	push_ok(&q, 1, 1, 48, 1);
	pop_expect(&q, 1, 1, 48, 1);
	evq_fini(&q);
}

static void test_evq_zero_size_payloads(void **state)
{
	struct scmi_evqueue q;

	(void)state;
	assert_int_equal(evq_init(&q, 64, true), 0);
	for (unsigned int i = 0; i < 4; i++)
		assert_int_equal(evq_push(&q, (uint8_t)i, i, NULL, 0, NULL), 0);
	assert_int_equal(evq_push(&q, 4, 4, NULL, 0, NULL), -ENOSPC);
	for (unsigned int i = 0; i < 4; i++)
		pop_expect(&q, (uint8_t)i, i, 0, i);
	assert_true(evq_empty(&q));
	evq_fini(&q);
}

static void test_evq_discard_counts(void **state)
{
	struct scmi_evqueue q;
	struct evq_rec rec;
	uint8_t buf[64];

	(void)state;
	assert_int_equal(evq_init(&q, 128, false), 0);
	assert_int_equal(evq_discard(&q), 0);
	push_ok(&q, 1, 1, 12, 1);
	push_ok(&q, 2, 2, 0, 2);
	push_ok(&q, 3, 3, 33, 3);
	assert_int_equal(evq_discard(&q), 3);
	assert_true(evq_empty(&q));
	assert_false(evq_pop(&q, &rec, buf, sizeof(buf)));
	assert_int_equal(evq_discard(&q), 0);

	/* the ring works after a discard, wrapping included */
	for (unsigned int i = 0; i < 20; i++) {
		push_ok(&q, 9, i, 13, i);
		push_ok(&q, 8, i, 5, i + 100);
		if (i % 4 == 3) {
			assert_int_equal(evq_discard(&q), 2);
			assert_false(evq_pop(&q, &rec, buf, sizeof(buf)));
			continue;
		}
		pop_expect(&q, 9, i, 13, i);
		pop_expect(&q, 8, i, 5, i + 100);
	}
	/* a discard after partial pops counts only what is left */
	push_ok(&q, 1, 1, 1, 1);
	push_ok(&q, 2, 2, 2, 2);
	push_ok(&q, 3, 3, 3, 3);
	pop_expect(&q, 1, 1, 1, 1);
	assert_int_equal(evq_discard(&q), 2);
	assert_true(evq_empty(&q));
	assert_false(evq_pop(&q, &rec, buf, sizeof(buf)));
	/* and what comes next is what is popped next */
	push_ok(&q, 4, 4, 4, 4);
	pop_expect(&q, 4, 4, 4, 4);
	assert_false(evq_pop(&q, &rec, buf, sizeof(buf)));
	evq_fini(&q);
}

/* Two producers with no consumer: nothing lost, each one's order kept. */
struct producer {
	struct scmi_evqueue *q;
	uint8_t id;
	unsigned int n;
};

static void *produce(void *arg)
{
	struct producer *p = arg;

	for (unsigned int i = 0; i < p->n; i++) {
		uint32_t v = i;

		while (evq_push(p->q, p->id, i, &v, sizeof(v), NULL) == -ENOSPC)
			;
	}
	return NULL;
}

static void test_evq_concurrent_producers(void **state)
{
	struct scmi_evqueue q;
	struct producer p[2];
	pthread_t t[2];
	unsigned int next[2] = { 0, 0 };
	struct evq_rec rec;
	uint32_t v;
	enum { N = 2000 };

	(void)state;
	/* room for everything: 2 x N x 24 bytes */
	assert_int_equal(evq_init(&q, 2 * N * 24, false), 0);
	for (int i = 0; i < 2; i++) {
		p[i] = (struct producer){ .q = &q, .id = (uint8_t)i, .n = N };
		assert_int_equal(pthread_create(&t[i], NULL, produce, &p[i]), 0);
	}
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	while (evq_pop(&q, &rec, &v, sizeof(v))) {
		assert_true(rec.evt_id < 2);
		assert_int_equal(rec.payld_sz, sizeof(v));
		assert_int_equal(rec.timestamp_ns, next[rec.evt_id]);
		assert_int_equal(v, next[rec.evt_id]);
		next[rec.evt_id]++;
	}
	assert_int_equal(next[0], N);
	assert_int_equal(next[1], N);
	evq_fini(&q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_evq_rec_size),
		cmocka_unit_test(test_evq_size_rounding),
		cmocka_unit_test(test_evq_too_large_is_einval),
		cmocka_unit_test(test_evq_round_trip),
		cmocka_unit_test(test_evq_pop_empty_is_false),
		cmocka_unit_test(test_evq_fifo_order),
		cmocka_unit_test(test_evq_wrap_around_odd_sizes),
		cmocka_unit_test(test_evq_header_split_across_end),
		cmocka_unit_test(test_evq_exactly_full_then_enospc),
		cmocka_unit_test(test_evq_record_larger_than_ring_is_enospc),
		cmocka_unit_test(test_evq_zero_size_payloads),
		cmocka_unit_test(test_evq_discard_counts),
		cmocka_unit_test(test_evq_concurrent_producers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
