/* SPDX-License-Identifier: MIT */
/*
 * A bounded per-protocol event queue (the kernel's kfifo): a byte ring of
 * records {timestamp, evt_id, size, payload}. One consumer (the dispatcher,
 * serialized by the core). Producers: lock-free when the caller promises a
 * single one; otherwise a short spin lock serializes them.
 *
 * Push never blocks and never allocates: a record that does not fit is
 * refused with -ENOSPC and the ring is left as it was.
 */
#ifndef SCMI_EVQUEUE_H
#define SCMI_EVQUEUE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EVQ_CACHELINE 64

struct evq_rec {
	uint64_t timestamp_ns;
	uint32_t payld_sz;
	uint8_t evt_id;
	uint8_t pad[3];
};

struct scmi_evqueue {
	/* producer side */
	_Alignas(EVQ_CACHELINE) _Atomic size_t tail; /* bytes ever pushed */
	size_t head_cache;      /* a past value of head (producers' guess) */
	atomic_flag plock;      /* serializes producers unless single_producer */
	bool single_producer;
	/* consumer side */
	_Alignas(EVQ_CACHELINE) _Atomic size_t head; /* bytes ever popped */
	size_t tail_cache;      /* a past value of tail (consumer's guess) */
	/* constant after init */
	_Alignas(EVQ_CACHELINE) uint8_t *buf;
	size_t size;                                 /* power of two */
};

/* Space a record of @payld_sz bytes takes in the ring. */
static inline size_t evq_rec_size(size_t payld_sz)
{
	return sizeof(struct evq_rec) + ((payld_sz + 7) & ~(size_t)7);
}

/*
 * Set up a ring of at least @sz bytes (rounded up to a power of two, at
 * least 64). Returns 0, -EINVAL (sz too large) or -ENOMEM.
 */
int evq_init(struct scmi_evqueue *q, size_t sz, bool single_producer);
void evq_fini(struct scmi_evqueue *q);

/*
 * Queue one record. When @count is not NULL it is incremented once the
 * record is written and before it is published, so that a consumer that
 * sees the record (and counts it) never runs ahead of @count: a reader
 * that loads the consumer's counters first and @count after sees @count
 * at least as large. Returns 0 or -ENOSPC (@count untouched).
 */
int evq_push(struct scmi_evqueue *q, uint8_t evt_id, uint64_t timestamp_ns,
	     const void *payld, size_t payld_sz, _Atomic uint64_t *count);

/*
 * Whether a record of @payld_sz bytes fits now. Producers only, as
 * evq_push(): with one producer, room that is there stays there until it
 * pushes (the consumer only makes more).
 */
bool evq_has_room(struct scmi_evqueue *q, size_t payld_sz);

/*
 * Consumer only. Look at the oldest record without taking it: its header
 * into *rec and, in *payld, a pointer to its payload: in the ring itself
 * when the payload does not wrap around the end, else copied to @bounce
 * (@bounce_cap bytes, at least the largest size ever pushed). The payload
 * stays valid until evq_consume(). Returns false if the ring was empty.
 */
bool evq_peek(struct scmi_evqueue *q, struct evq_rec *rec,
	      const void **payld, void *bounce, size_t bounce_cap);

/* Consumer only. Take the record evq_peek() just returned. */
void evq_consume(struct scmi_evqueue *q, const struct evq_rec *rec);

/*
 * Consumer only. Take the oldest record: its header into *rec, its payload
 * copied into @payld (@payld_cap bytes, at least the largest size ever
 * pushed). Returns true if a record was taken, false if the ring was empty.
 */
bool evq_pop(struct scmi_evqueue *q, struct evq_rec *rec, void *payld,
	     size_t payld_cap);

/* Consumer only. Whether the ring holds no record. */
bool evq_empty(struct scmi_evqueue *q);

/* Consumer only. Drop every queued record; returns how many there were. */
size_t evq_discard(struct scmi_evqueue *q);

#endif /* SCMI_EVQUEUE_H */
