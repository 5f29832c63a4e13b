/* SPDX-License-Identifier: MIT */
/*
 * The per-agent P2A queues (see notify-queue.h). Notifications: a ring of
 * fixed slots, each with room for one payload of max_msg_size bytes,
 * allocated once when the agent connects, and its drop policies. Delayed
 * responses: a ring of at most SIM_MAX_ASYNC_PER_AGENT payloads, each
 * allocated when it has to wait (rarely: only while the area is busy).
 */
#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <scmi/wire.h>

#include "log.h"
#include "notify-queue.h"

#define DROP_LOG_INTERVAL_NS 1000000000ull

int nq_init(struct sim_nq *q, const struct sim_nq_ops *ops, void *ctx,
	    struct sim_counters *cnt, uint32_t agent_id)
{
	const struct sim_config *cfg = sim_config();
	unsigned int len = cfg->queue_len;

	memset(q, 0, sizeof(*q));
	q->ops = ops;
	q->ctx = ctx;
	q->cnt = cnt;
	q->agent_id = agent_id;
	q->policy = cfg->policy;
	q->max_payld_sz = cfg->max_msg_size;
	if (q->policy == SIM_NOTIFY_DROP || len == 0)
		return 0;
	q->slots = calloc(len, sizeof(*q->slots));
	q->payld = calloc(len, q->max_payld_sz);
	if (!q->slots || !q->payld) {
		nq_fini(q);
		return -ENOMEM;
	}
	q->cap = len;
	return 0;
}

void nq_fini(struct sim_nq *q)
{
	while (q->dcount) {
		free(q->dslots[q->dhead].payld);
		q->dhead = (q->dhead + 1) % SIM_MAX_ASYNC_PER_AGENT;
		q->dcount--;
	}
	free(q->slots);
	free(q->payld);
	q->slots = NULL;
	q->payld = NULL;
	q->cap = q->count = q->head = 0;
}

static uint8_t *slot_payld(struct sim_nq *q, unsigned int i)
{
	return q->payld + (size_t)i * q->max_payld_sz;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) < 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Count a drop; log it, at most once a second per agent. */
static void drop(struct sim_nq *q, uint8_t proto_id, uint8_t evt_id,
		 const char *why)
{
	uint64_t now;

	sim_count(q->cnt, proto_id, SIM_CNT_NOTIF_DROPPED);
	if (!sim_log_enabled(SIM_LOG_INFO))
		return;
	now = now_ns();
	if (now < q->next_drop_log_ns) {
		q->drops_unlogged++;
		return;
	}
	if (q->drops_unlogged)
		sim_log(SIM_LOG_INFO,
			"agent %u: notification 0x%02x/0x%02x dropped (%s, policy %s), and %" PRIu64
			" more since the last such line",
			q->agent_id, proto_id, evt_id, why,
			sim_notify_policy_name(q->policy), q->drops_unlogged);
	else
		sim_log(SIM_LOG_INFO,
			"agent %u: notification 0x%02x/0x%02x dropped (%s, policy %s)",
			q->agent_id, proto_id, evt_id, why,
			sim_notify_policy_name(q->policy));
	q->drops_unlogged = 0;
	q->next_drop_log_ns = now + DROP_LOG_INTERVAL_NS;
}

static uint32_t pack(const struct scmi_msg_hdr *h)
{
	return scmi_hdr_pack(h->msg_id, h->type, h->proto_id, h->token);
}

/* Post the oldest waiting delayed response: 0, or the post's error. */
static int pump_delayed(struct sim_nq *q)
{
	struct sim_nq_delayed *d = &q->dslots[q->dhead];
	int r = q->ops->post(q->ctx, pack(&d->hdr), d->payld, d->sz);

	if (r < 0)
		return r;
	sim_count(q->cnt, d->hdr.proto_id, SIM_CNT_DELAYED_SENT);
	free(d->payld);
	d->payld = NULL;
	q->dhead = (q->dhead + 1) % SIM_MAX_ASYNC_PER_AGENT;
	q->dcount--;
	return 0;
}

/*
 * Post the next message waiting: the oldest delayed response (unless a
 * held response must go first), else the oldest notification. 0 posted;
 * -ENOENT nothing may go; else the post's error.
 */
static int pump_one(struct sim_nq *q)
{
	struct sim_nq_slot *s;
	int r;

	/* delayed responses first: a command's sender waits for each */
	if (q->dcount && q->ops->delayed_may_go(q->ctx))
		return pump_delayed(q);
	if (!q->count)
		return -ENOENT;
	s = &q->slots[q->head];
	r = q->ops->post(q->ctx, scmi_hdr_pack(s->evt_id,
					       SCMI_MSG_TYPE_NOTIFICATION,
					       s->proto_id, 0),
			 slot_payld(q, q->head), s->sz);
	if (r < 0)
		return r;
	sim_count(q->cnt, s->proto_id, SIM_CNT_NOTIF_SENT);
	q->head = (q->head + 1) % q->cap;
	q->count--;
	return 0;
}

void nq_pump(struct sim_nq *q)
{
	for (;;) {
		int r = pump_one(q);

		if (!r)
			continue;
		if (r != -EBUSY)
			return;
		/*
		 * Messages wait and the area is busy: ask for the ack, unless
		 * the agent freed the area meanwhile (then go on at once).
		 */
		if (!q->ops->want_ack(q->ctx))
			return;
	}
}

int nq_post_delayed(struct sim_nq *q, const struct scmi_msg_hdr *hdr,
		    uint8_t *payld, size_t sz)
{
	struct sim_nq_delayed *d;

	if (sz > q->max_payld_sz || q->dcount >= SIM_MAX_ASYNC_PER_AGENT) {
		assert(q->dcount < SIM_MAX_ASYNC_PER_AGENT);
		free(payld);
		return sz > q->max_payld_sz ? -EMSGSIZE : -ENOSPC;
	}
	/* nothing waits before it: straight into the area if it is free */
	if (!q->dcount && q->ops->delayed_may_go(q->ctx) &&
	    q->ops->post(q->ctx, pack(hdr), payld, sz) == 0) {
		sim_count(q->cnt, hdr->proto_id, SIM_CNT_DELAYED_SENT);
		free(payld);
		return 0;
	}
	d = &q->dslots[(q->dhead + q->dcount) % SIM_MAX_ASYNC_PER_AGENT];
	d->hdr = *hdr;
	d->payld = payld;
	d->sz = (uint32_t)sz;
	q->dcount++;
	sim_log(SIM_LOG_DEBUG,
		"agent %u: delayed response 0x%02x/0x%02x token %u waits (%u waiting)",
		q->agent_id, hdr->proto_id, hdr->msg_id, hdr->token, q->dcount);
	/* the area may have been freed before its ack was read */
	nq_pump(q);
	return 0;
}

int nq_post(struct sim_nq *q, uint8_t proto_id, uint8_t evt_id,
	    const void *payld, size_t sz)
{
	struct sim_nq_slot *s;
	unsigned int tail;

	if (sz > q->max_payld_sz)
		return -EMSGSIZE;

	/* a delayed response waiting goes first, if the area is free */
	if (q->dcount)
		nq_pump(q);
	/* nothing waits before it: straight into the area if it is free */
	if (!q->count &&
	    q->ops->post(q->ctx, scmi_hdr_pack(evt_id,
					       SCMI_MSG_TYPE_NOTIFICATION,
					       proto_id, 0),
			 payld, sz) == 0) {
		sim_count(q->cnt, proto_id, SIM_CNT_NOTIF_SENT);
		return 1;
	}

	if (!q->cap) {
		drop(q, proto_id, evt_id, "P2A busy");
		return 0;
	}
	if (q->count == q->cap) {
		if (q->policy != SIM_NOTIFY_DROP_OLDEST) {
			drop(q, proto_id, evt_id, "queue full");
			return 0;
		}
		s = &q->slots[q->head];
		drop(q, s->proto_id, s->evt_id, "queue full");
		q->head = (q->head + 1) % q->cap;
		q->count--;
	}

	tail = (q->head + q->count) % q->cap;
	s = &q->slots[tail];
	s->proto_id = proto_id;
	s->evt_id = evt_id;
	s->sz = (uint32_t)sz;
	if (sz)
		memcpy(slot_payld(q, tail), payld, sz);
	q->count++;
	sim_count(q->cnt, proto_id, SIM_CNT_NOTIF_QUEUED);
	sim_log(SIM_LOG_DEBUG, "agent %u: notification 0x%02x/0x%02x queued (%u waiting)",
		q->agent_id, proto_id, evt_id, q->count);

	/* the area may have been freed before its ack was read */
	nq_pump(q);
	return 1;
}
