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
	t->done_tail = &t->done;
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
	while (t->done) {
		struct delayed_done *d = t->done;

		t->done = d->next;
		free(d);
	}
	pthread_cond_destroy(&t->cond);
	pthread_mutex_destroy(&t->mtx);
}

/* Who a callback-style slot completes (none: a waiter's slot). */
struct completion {
	scmi_agent_async_fn fn;
	scmi_raw_delayed_fn raw_fn;
	void *userdata;
	uint64_t deadline_ns;
};

static int reserve(struct delayed_table *t, uint8_t proto_id, uint8_t msg_id,
		   uint16_t token, size_t ret_cap, const struct completion *c)
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
				.fn = c->fn,
				.raw_fn = c->raw_fn,
				.userdata = c->userdata,
				.deadline_ns = c->deadline_ns,
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

int delayed_reserve(struct delayed_table *t, uint8_t proto_id, uint8_t msg_id,
		    uint16_t token, size_t ret_cap)
{
	const struct completion none = { 0 };

	return reserve(t, proto_id, msg_id, token, ret_cap, &none);
}

int delayed_reserve_cb(struct delayed_table *t, uint8_t proto_id,
		       uint8_t msg_id, uint16_t token, size_t ret_cap,
		       scmi_agent_async_fn fn, void *userdata,
		       uint64_t deadline_ns)
{
	const struct completion c = { .fn = fn, .userdata = userdata,
				      .deadline_ns = deadline_ns };

	if (!fn)
		return -EINVAL;
	return reserve(t, proto_id, msg_id, token, ret_cap, &c);
}

int delayed_reserve_raw_cb(struct delayed_table *t, uint8_t proto_id,
			   uint8_t msg_id, uint16_t token, size_t ret_cap,
			   scmi_raw_delayed_fn fn, void *userdata,
			   uint64_t deadline_ns)
{
	const struct completion c = { .raw_fn = fn, .userdata = userdata,
				      .deadline_ns = deadline_ns };

	if (!fn)
		return -EINVAL;
	return reserve(t, proto_id, msg_id, token, ret_cap, &c);
}

/* A slot whose completion is a callback, not a waiter. */
static bool has_cb(const struct delayed_slot *s)
{
	return s->fn || s->raw_fn;
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
		ret = has_cb(s) ? 1 : 0;
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

/* mtx held: whether slot @s is over, and how (see delayed_poll()). */
static int state_locked(const struct delayed_table *t,
			const struct delayed_slot *s)
{
	if (s->done)
		return 1;
	if (t->dead || s->epoch != t->epoch)
		return -ECONNRESET;
	return 0;
}

int delayed_poll(struct delayed_table *t, int idx, uint64_t until_ns)
{
	struct timespec ts = scmi_ns_to_timespec(until_ns);
	struct delayed_slot *s = &t->slots[idx];
	int ret;

	pthread_mutex_lock(&t->mtx);
	ret = state_locked(t, s);
	if (!ret && until_ns > scmi_now_ns()) {
		pthread_cond_timedwait(&t->cond, &t->mtx, &ts);
		ret = state_locked(t, s);
	}
	pthread_mutex_unlock(&t->mtx);
	return ret;
}

void delayed_wake(struct delayed_table *t)
{
	pthread_mutex_lock(&t->mtx);
	pthread_cond_broadcast(&t->cond);
	pthread_mutex_unlock(&t->mtx);
}

int delayed_take(struct delayed_table *t, int idx, int32_t *status, void *rx,
		 size_t rx_cap, size_t *rx_sz)
{
	struct delayed_slot *s = &t->slots[idx];
	int ret = -ECONNRESET;

	pthread_mutex_lock(&t->mtx);
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

int delayed_wait(struct delayed_table *t, int idx, uint64_t deadline_ns,
		 int32_t *status, void *rx, size_t rx_cap, size_t *rx_sz)
{
	int ret;

	while (!(ret = delayed_poll(t, idx, deadline_ns)) &&
	       scmi_now_ns() < deadline_ns)
		;

	if (!ret) {
		delayed_release(t, idx);
		return -ETIMEDOUT;
	}
	return delayed_take(t, idx, status, rx, rx_cap, rx_sz);
}

void delayed_release(struct delayed_table *t, int idx)
{
	pthread_mutex_lock(&t->mtx);
	release_locked(&t->slots[idx]);
	pthread_mutex_unlock(&t->mtx);
}

int delayed_add_done(struct delayed_table *t, scmi_agent_async_fn fn,
		     void *userdata, const void *ret, size_t ret_sz)
{
	struct delayed_done *d = malloc(sizeof(*d) + ret_sz);

	if (!d)
		return -ENOMEM;
	*d = (struct delayed_done){ .fn = fn, .userdata = userdata,
				    .ret_sz = ret_sz };
	if (ret_sz)
		memcpy(d->ret, ret, ret_sz);
	pthread_mutex_lock(&t->mtx);
	*t->done_tail = d;
	t->done_tail = &d->next;
	pthread_mutex_unlock(&t->mtx);
	return 0;
}

bool delayed_next_cb(struct delayed_table *t, uint64_t now_ns,
		     struct delayed_cb *cb)
{
	struct delayed_done *d;
	bool found = false;

	pthread_mutex_lock(&t->mtx);
	d = t->done;
	if (d) {
		t->done = d->next;
		if (!t->done)
			t->done_tail = &t->done;
		*cb = (struct delayed_cb){ .fn = d->fn, .userdata = d->userdata,
					   .ret = d->ret, .ret_sz = d->ret_sz,
					   .mem = d };
		found = true;
	}
	for (int i = 0; i < DELAYED_MAX && !found; i++) {
		struct delayed_slot *s = &t->slots[i];
		int st;

		if (!s->used || !has_cb(s))
			continue;
		st = state_locked(t, s);
		if (!st && now_ns < s->deadline_ns)
			continue;
		*cb = (struct delayed_cb){ .fn = s->fn, .raw_fn = s->raw_fn,
					   .userdata = s->userdata };
		if (st > 0) {
			cb->result = scmi_status_to_errno(s->status);
			cb->responded = true;
			cb->hdr = s->hdr;
			cb->status = s->status;
			cb->ret = s->buf;
			cb->mem = s->buf;
			cb->ret_sz = s->ret_sz < s->buf_cap ? s->ret_sz :
							       s->buf_cap;
			s->buf = NULL;
		} else {
			cb->result = st ? st : -ETIMEDOUT;
			cb->timed_out = !st;
		}
		release_locked(s);
		found = true;
	}
	pthread_mutex_unlock(&t->mtx);
	return found;
}

uint64_t delayed_cb_deadline(struct delayed_table *t)
{
	uint64_t first = UINT64_MAX;

	pthread_mutex_lock(&t->mtx);
	if (t->done)
		first = 0;
	for (int i = 0; i < DELAYED_MAX; i++) {
		const struct delayed_slot *s = &t->slots[i];

		if (!s->used || !has_cb(s))
			continue;
		/* one already over is due at once */
		if (state_locked(t, s))
			first = 0;
		else if (s->deadline_ns < first)
			first = s->deadline_ns;
	}
	pthread_mutex_unlock(&t->mtx);
	return first;
}

bool delayed_kill(struct delayed_table *t)
{
	bool due = false;

	pthread_mutex_lock(&t->mtx);
	t->dead = true;
	for (int i = 0; i < DELAYED_MAX; i++)
		due |= t->slots[i].used && has_cb(&t->slots[i]);
	pthread_cond_broadcast(&t->cond);
	pthread_mutex_unlock(&t->mtx);
	return due;
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
