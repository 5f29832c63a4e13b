/* SPDX-License-Identifier: MIT */
/*
 * The bounded per-protocol event queue. Positions are free-running byte
 * counters: head (written by the consumer only) and tail (written by the
 * producer holding the right to push). A record is published by the
 * release store of tail and freed by the release store of head. Each side
 * keeps the last value of the other's position it read and reads it again
 * only when that value says "full" or "empty", so that the two cache lines
 * are not bounced on every event.
 */
#include <assert.h>
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "evqueue.h"

#define EVQ_MIN_SIZE 64u
#define EVQ_MAX_SIZE (1u << 30)

int evq_init(struct scmi_evqueue *q, size_t sz, bool single_producer)
{
	size_t size = EVQ_MIN_SIZE;

	if (sz > EVQ_MAX_SIZE)
		return -EINVAL;
	while (size < sz)
		size <<= 1;

	memset(q, 0, sizeof(*q));
	q->buf = malloc(size);
	if (!q->buf)
		return -ENOMEM;
	q->size = size;
	q->single_producer = single_producer;
	atomic_flag_clear(&q->plock);
	atomic_init(&q->head, 0);
	atomic_init(&q->tail, 0);
	return 0;
}

void evq_fini(struct scmi_evqueue *q)
{
	free(q->buf);
	q->buf = NULL;
}

/* Copy in and out of the ring at a free-running position, wrapping. */
static inline void ring_write(struct scmi_evqueue *q, size_t pos,
			      const void *src, size_t n)
{
	size_t off = pos & (q->size - 1);
	size_t first = q->size - off;

	if (n <= first) {
		memcpy(q->buf + off, src, n);
		return;
	}
	memcpy(q->buf + off, src, first);
	memcpy(q->buf, (const uint8_t *)src + first, n - first);
}

static inline void ring_read(const struct scmi_evqueue *q, size_t pos,
			     void *dst, size_t n)
{
	size_t off = pos & (q->size - 1);
	size_t first = q->size - off;

	if (n <= first) {
		memcpy(dst, q->buf + off, n);
		return;
	}
	memcpy(dst, q->buf + off, first);
	memcpy((uint8_t *)dst + first, q->buf, n - first);
}

/* The producer lock is held for a few copies: spin, yield if preempted. */
static void evq_lock(struct scmi_evqueue *q)
{
	unsigned int spins = 0;

	while (atomic_flag_test_and_set_explicit(&q->plock,
						 memory_order_acquire))
		if (++spins % 64 == 0)
			sched_yield();
}

/* Producers serialized: whether @need bytes fit at tail. */
static bool room_locked(struct scmi_evqueue *q, size_t tail, size_t need)
{
	if (q->size - (tail - q->head_cache) >= need)
		return true;
	q->head_cache = atomic_load_explicit(&q->head, memory_order_acquire);
	return q->size - (tail - q->head_cache) >= need;
}

bool evq_has_room(struct scmi_evqueue *q, size_t payld_sz)
{
	bool room;

	if (!q->single_producer)
		evq_lock(q);
	room = room_locked(q, atomic_load_explicit(&q->tail,
						   memory_order_relaxed),
			   evq_rec_size(payld_sz));
	if (!q->single_producer)
		atomic_flag_clear_explicit(&q->plock, memory_order_release);
	return room;
}

int evq_push(struct scmi_evqueue *q, uint8_t evt_id, uint64_t timestamp_ns,
	     const void *payld, size_t payld_sz, _Atomic uint64_t *count)
{
	struct evq_rec rec = {
		.timestamp_ns = timestamp_ns,
		.payld_sz = (uint32_t)payld_sz,
		.evt_id = evt_id,
	};
	size_t need = evq_rec_size(payld_sz);
	size_t tail;
	int ret = 0;

	if (!q->single_producer)
		evq_lock(q);

	tail = atomic_load_explicit(&q->tail, memory_order_relaxed);
	if (!room_locked(q, tail, need)) {
		ret = -ENOSPC;
		goto out;
	}
	ring_write(q, tail, &rec, sizeof(rec));
	if (payld_sz)
		ring_write(q, tail + sizeof(rec), payld, payld_sz);
	/* producers are serialized here: no locked instruction needed */
	if (count)
		atomic_store_explicit(count,
				      atomic_load_explicit(count,
							   memory_order_relaxed) + 1,
				      memory_order_release);
	atomic_store_explicit(&q->tail, tail + need, memory_order_release);
out:
	if (!q->single_producer)
		atomic_flag_clear_explicit(&q->plock, memory_order_release);
	return ret;
}

bool evq_peek(struct scmi_evqueue *q, struct evq_rec *rec,
	      const void **payld, void *bounce, size_t bounce_cap)
{
	size_t head = atomic_load_explicit(&q->head, memory_order_relaxed);
	size_t tail = q->tail_cache;
	size_t off;

	if (head == tail) {
		tail = atomic_load_explicit(&q->tail, memory_order_seq_cst);
		q->tail_cache = tail;
		if (head == tail)
			return false;
	}
	ring_read(q, head, rec, sizeof(*rec));
	assert(rec->payld_sz <= bounce_cap);
	assert(evq_rec_size(rec->payld_sz) <= tail - head);
	(void)bounce_cap;
	off = (head + sizeof(*rec)) & (q->size - 1);
	if (off + rec->payld_sz <= q->size) {
		*payld = q->buf + off;
	} else {
		ring_read(q, head + sizeof(*rec), bounce, rec->payld_sz);
		*payld = bounce;
	}
	return true;
}

void evq_consume(struct scmi_evqueue *q, const struct evq_rec *rec)
{
	size_t head = atomic_load_explicit(&q->head, memory_order_relaxed);

	atomic_store_explicit(&q->head, head + evq_rec_size(rec->payld_sz),
			      memory_order_release);
}

bool evq_pop(struct scmi_evqueue *q, struct evq_rec *rec, void *payld,
	     size_t payld_cap)
{
	const void *p;

	if (!evq_peek(q, rec, &p, payld, payld_cap))
		return false;
	if (p != payld && rec->payld_sz)
		memcpy(payld, p, rec->payld_sz);
	evq_consume(q, rec);
	return true;
}

bool evq_empty(struct scmi_evqueue *q)
{
	return atomic_load_explicit(&q->head, memory_order_relaxed) ==
	       atomic_load_explicit(&q->tail, memory_order_seq_cst);
}

size_t evq_discard(struct scmi_evqueue *q)
{
	size_t head = atomic_load_explicit(&q->head, memory_order_relaxed);
	size_t tail = atomic_load_explicit(&q->tail, memory_order_acquire);
	size_t n = 0;

	while (head != tail) {
		struct evq_rec rec;

		ring_read(q, head, &rec, sizeof(rec));
		head += evq_rec_size(rec.payld_sz);
		n++;
	}
	q->tail_cache = tail;
	atomic_store_explicit(&q->head, head, memory_order_release);
	return n;
}
