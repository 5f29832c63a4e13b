/* SPDX-License-Identifier: MIT */
/*
 * Asynchronous commands waiting for their delayed response: see delayed.h.
 * Lock: t->mtx, a leaf.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "delayed.h"
#include "log.h"

int delayed_init(struct delayed_table *t)
{
	int ret;

	memset(t, 0, sizeof(*t));
	t->dead = true;
	ret = scmi_cond_init_monotonic(&t->cond);
	if (ret)
		return ret;
	ret = -pthread_mutex_init(&t->mtx, NULL);
	if (ret)
		pthread_cond_destroy(&t->cond);
	return ret;
}

void delayed_fini(struct delayed_table *t)
{
	pthread_cond_destroy(&t->cond);
	pthread_mutex_destroy(&t->mtx);
}

int delayed_reserve(struct delayed_table *t, uint8_t proto_id, uint8_t msg_id,
		    uint16_t token, size_t ret_cap)
{
	uint8_t *buf = ret_cap ? malloc(ret_cap) : NULL;
	int idx = -EBUSY;

	if (ret_cap && !buf)
		return -ENOMEM;
	pthread_mutex_lock(&t->mtx);
	if (t->dead) {
		idx = -ECONNRESET;
	} else {
		for (int i = 0; i < DELAYED_MAX; i++) {
			struct delayed_slot *s = &t->slots[i];

			if (s->used)
				continue;
			*s = (struct delayed_slot){
				.used = true,
				.epoch = t->epoch,
				.hdr = { .msg_id = msg_id,
					 .type = SCMI_MSG_TYPE_DELAYED_RESP,
					 .proto_id = proto_id, .token = token },
				.buf = buf,
				.buf_cap = ret_cap,
			};
			buf = NULL;
			idx = i;
			break;
		}
	}
	pthread_mutex_unlock(&t->mtx);
	free(buf);
	return idx;
}

bool delayed_token_busy(struct delayed_table *t, uint16_t token)
{
	bool busy = false;

	pthread_mutex_lock(&t->mtx);
	for (int i = 0; i < DELAYED_MAX && !busy; i++)
		busy = t->slots[i].used && t->slots[i].epoch == t->epoch &&
		       t->slots[i].hdr.token == token;
	pthread_mutex_unlock(&t->mtx);
	return busy;
}

static bool slot_waits_for(const struct delayed_table *t,
			   const struct delayed_slot *s,
			   const struct scmi_msg_hdr *hdr)
{
	return s->used && !s->done && !t->dead && s->epoch == t->epoch &&
	       s->hdr.token == hdr->token && s->hdr.proto_id == hdr->proto_id &&
	       s->hdr.msg_id == hdr->msg_id && hdr->type == s->hdr.type;
}

int delayed_complete(struct delayed_table *t, const struct scmi_msg_hdr *hdr,
		     const uint8_t *payld, size_t sz, _Atomic uint64_t *taken)
{
	int ret = -ENOENT;

	if (sz < 4)
		return -EPROTO;
	pthread_mutex_lock(&t->mtx);
	for (int i = 0; i < DELAYED_MAX; i++) {
		struct delayed_slot *s = &t->slots[i];

		if (!slot_waits_for(t, s, hdr))
			continue;
		s->status = (int32_t)scmi_get_le32(payld);
		s->ret_sz = sz - 4;
		if (s->buf_cap)
			memcpy(s->buf, payld + 4,
			       s->ret_sz < s->buf_cap ? s->ret_sz : s->buf_cap);
		s->done = true;
		if (taken)
			atomic_fetch_add_explicit(taken, 1,
						  memory_order_relaxed);
		pthread_cond_broadcast(&t->cond);
		ret = 0;
		break;
	}
	pthread_mutex_unlock(&t->mtx);
	return ret;
}

/* mtx held. */
static void release_locked(struct delayed_slot *s)
{
	free(s->buf);
	*s = (struct delayed_slot){ 0 };
}

int delayed_wait(struct delayed_table *t, int idx, uint64_t deadline_ns,
		 int32_t *status, void *rx, size_t rx_cap, size_t *rx_sz)
{
	struct timespec ts = scmi_ns_to_timespec(deadline_ns);
	struct delayed_slot *s = &t->slots[idx];
	int ret = 0;

	pthread_mutex_lock(&t->mtx);
	for (;;) {
		if (s->done)
			break;
		if (t->dead || s->epoch != t->epoch) {
			ret = -ECONNRESET;
			break;
		}
		if (ret == ETIMEDOUT) {
			ret = -ETIMEDOUT;
			break;
		}
		ret = pthread_cond_timedwait(&t->cond, &t->mtx, &ts);
		if (ret && ret != ETIMEDOUT)
			ret = 0; /* EINTR and the like: look again */
	}
	if (s->done) {
		size_t n = s->ret_sz < rx_cap ? s->ret_sz : rx_cap;

		*status = s->status;
		if (n)
			memcpy(rx, s->buf, n);
		if (rx_sz)
			*rx_sz = s->ret_sz;
		ret = 0;
	}
	release_locked(s);
	pthread_mutex_unlock(&t->mtx);
	return ret;
}

void delayed_release(struct delayed_table *t, int idx)
{
	pthread_mutex_lock(&t->mtx);
	release_locked(&t->slots[idx]);
	pthread_mutex_unlock(&t->mtx);
}

void delayed_kill(struct delayed_table *t)
{
	pthread_mutex_lock(&t->mtx);
	t->dead = true;
	pthread_cond_broadcast(&t->cond);
	pthread_mutex_unlock(&t->mtx);
}

void delayed_revive(struct delayed_table *t)
{
	pthread_mutex_lock(&t->mtx);
	if (t->dead) {
		t->epoch++;
		t->dead = false;
	}
	pthread_mutex_unlock(&t->mtx);
}
