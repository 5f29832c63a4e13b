/* SPDX-License-Identifier: MIT */
/*
 * The raw interface's queue of P2A messages (include/scmi/raw.h): a
 * bounded FIFO of copies of the messages the agent took from the P2A
 * channel (header word and fields, payload, the time taken), for the user
 * to read (scmi_raw_recv*()) or for the agent to hand to raw_fn.
 *
 * Bounded by a number of messages. When it is full, the oldest message is
 * dropped for the new one and counted, as Linux's raw mode does with its
 * notification queue: a reader that fell behind finds the latest. A
 * message is one allocation of its own size (a raw path for testing, not
 * the decoded hot path, which never allocates); a failed one is a drop.
 *
 * Producer: whoever takes P2A messages (the rx thread; in event-loop mode
 * the dispatch or a command's wait). Consumers: any thread.
 * In event-loop mode it has an eventfd, readable exactly while the queue
 * holds a message (written when it becomes non-empty, read when it
 * becomes empty), which joins the agent's loop fd.
 *
 * Lock: mtx, a leaf, protects everything in the struct but efd (set at
 * init).
 */
#ifndef SCMI_RAWQUEUE_H
#define SCMI_RAWQUEUE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <scmi/raw.h>
#include <scmi/wire.h>

/* One message in the queue: free() it once popped. */
struct rawq_entry {
	struct rawq_entry *next;
	uint32_t hdr_word;
	struct scmi_msg_hdr hdr;
	uint64_t ts;
	size_t payld_sz;
	uint8_t payld[];
};

struct rawq {
	pthread_mutex_t mtx;
	pthread_cond_t cond;      /* CLOCK_MONOTONIC: a message was queued */
	struct rawq_entry *head;  /* oldest */
	struct rawq_entry *tail;
	size_t len;
	size_t cap;
	int efd;                  /* -1, or readable while len > 0 */
	uint64_t queued;          /* struct scmi_raw_stats */
	uint64_t dropped;
	uint64_t delivered;
};

/*
 * An empty queue of @cap messages (at least 1), with the eventfd when
 * @with_fd. Returns 0 or a negative errno (-ENOMEM, eventfd()'s).
 */
int rawq_init(struct rawq *q, size_t cap, bool with_fd);

/* Free what is queued, and the queue's resources. */
void rawq_fini(struct rawq *q);

/*
 * Queue a copy of the message (@hdr_word, @hdr, the @sz bytes at @payld,
 * taken at @ts), dropping the oldest if the queue is full. Returns 0
 * queued, 1 queued with the oldest dropped, -ENOMEM dropped (each drop
 * counted).
 */
int rawq_push(struct rawq *q, uint32_t hdr_word,
	      const struct scmi_msg_hdr *hdr, const void *payld, size_t sz,
	      uint64_t ts);

/*
 * The oldest message, removed from the queue (the caller frees it), or
 * NULL when there is none by @until_ns (CLOCK_MONOTONIC; 0: do not wait).
 */
struct rawq_entry *rawq_pop(struct rawq *q, uint64_t until_ns);

/* Whether the queue holds a message now. */
bool rawq_empty(struct rawq *q);

/* The counters, and the messages waiting now. */
void rawq_stats(struct rawq *q, struct scmi_raw_stats *st);

#endif /* SCMI_RAWQUEUE_H */
