/* SPDX-License-Identifier: MIT */
/*
 * The raw interface's queue of P2A messages: see rawqueue.h.
 * Lock: q->mtx, a leaf.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "log.h"
#include "rawqueue.h"

int rawq_init(struct rawq *q, size_t cap, bool with_fd)
{
	int ret;

	memset(q, 0, sizeof(*q));
	q->cap = cap ? cap : 1;
	q->efd = -1;
	if (with_fd) {
		q->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (q->efd < 0)
			return -errno;
	}
	ret = scmi_cond_init_monotonic(&q->cond);
	if (!ret) {
		ret = -pthread_mutex_init(&q->mtx, NULL);
		if (ret)
			pthread_cond_destroy(&q->cond);
	}
	if (ret && q->efd >= 0)
		close(q->efd);
	return ret;
}

void rawq_fini(struct rawq *q)
{
	while (q->head) {
		struct rawq_entry *e = q->head;

		q->head = e->next;
		free(e);
	}
	if (q->efd >= 0)
		close(q->efd);
	pthread_cond_destroy(&q->cond);
	pthread_mutex_destroy(&q->mtx);
}

/* mtx held: the eventfd follows the queue's emptiness (see rawqueue.h). */
static void fd_set_ready_locked(struct rawq *q, bool ready)
{
	uint64_t v = 1;
	ssize_t n;

	if (q->efd < 0)
		return;
	/* our own eventfd: neither call can block */
	do
		n = ready ? write(q->efd, &v, sizeof(v)) :
			    read(q->efd, &v, sizeof(v));
	while (n < 0 && errno == EINTR);
}

/* mtx held: unlink the oldest entry (there is one). */
static struct rawq_entry *unlink_oldest_locked(struct rawq *q)
{
	struct rawq_entry *e = q->head;

	q->head = e->next;
	if (!q->head)
		q->tail = NULL;
	q->len--;
	return e;
}

int rawq_push(struct rawq *q, uint32_t hdr_word,
	      const struct scmi_msg_hdr *hdr, const void *payld, size_t sz,
	      uint64_t ts)
{
	struct rawq_entry *e = malloc(sizeof(*e) + sz);
	struct rawq_entry *old = NULL;
	int ret = 0;

	if (e) {
		e->next = NULL;
		e->hdr_word = hdr_word;
		e->hdr = *hdr;
		e->ts = ts;
		e->payld_sz = sz;
		if (sz)
			memcpy(e->payld, payld, sz);
	}
	pthread_mutex_lock(&q->mtx);
	if (!e) {
		q->dropped++;
		ret = -ENOMEM;
		goto out;
	}
	if (q->len == q->cap) {
		old = unlink_oldest_locked(q);
		q->dropped++;
		ret = 1;
	}
	if (q->tail)
		q->tail->next = e;
	else
		q->head = e;
	q->tail = e;
	q->queued++;
	if (q->len++ == 0 && !old)
		fd_set_ready_locked(q, true);
	pthread_cond_broadcast(&q->cond);
out:
	pthread_mutex_unlock(&q->mtx);
	free(old);
	return ret;
}

struct rawq_entry *rawq_pop(struct rawq *q, uint64_t until_ns)
{
	struct timespec ts = scmi_ns_to_timespec(until_ns);
	struct rawq_entry *e = NULL;

	pthread_mutex_lock(&q->mtx);
	while (!q->head && until_ns > scmi_now_ns())
		if (pthread_cond_timedwait(&q->cond, &q->mtx, &ts) == ETIMEDOUT)
			break;
	if (q->head) {
		e = unlink_oldest_locked(q);
		q->delivered++;
		if (!q->len)
			fd_set_ready_locked(q, false);
	}
	pthread_mutex_unlock(&q->mtx);
	return e;
}

bool rawq_empty(struct rawq *q)
{
	bool empty;

	pthread_mutex_lock(&q->mtx);
	empty = !q->head;
	pthread_mutex_unlock(&q->mtx);
	return empty;
}

void rawq_stats(struct rawq *q, struct scmi_raw_stats *st)
{
	pthread_mutex_lock(&q->mtx);
	st->queued = q->queued;
	st->dropped = q->dropped;
	st->delivered = q->delivered;
	st->waiting = q->len;
	pthread_mutex_unlock(&q->mtx);
}
