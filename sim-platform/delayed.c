/* SPDX-License-Identifier: MIT */
/*
 * Delayed responses (see delayed.h): capture an async command, run its
 * completion from a timer, post its type-2 response to the same session
 * only. The timers started are kept in one list, so that shutdown can stop
 * them all.
 */
#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <ev.h>

#include <scmi/wire.h>

#include "agents.h"
#include "delayed.h"

static struct sim_delayed *started;       /* timers running, newest first */

/* The session @d is owed to, if it is still connected; else NULL. */
static struct sim_agent *owner(const struct sim_delayed *d)
{
	struct sim_agent *a = agent_get(d->agent_id);

	return a && a->gen == d->agent_gen ? a : NULL;
}

int sim_delayed_begin(struct sim_agent *a, struct sim_delayed *d)
{
	unsigned int waiting;

	if (sim_delayed_pending(d)) {
		sim_log(SIM_LOG_INFO,
			"agent %u: command 0x%02x/0x%02x: one is pending on that already: BUSY",
			a->id, a->cur_hdr.proto_id, a->cur_hdr.msg_id);
		return -EBUSY;
	}
	waiting = a->ops->delayed_waiting(a->ch);
	if (a->delayed_owed + waiting >= SIM_MAX_ASYNC_PER_AGENT) {
		sim_log(SIM_LOG_INFO,
			"agent %u: command 0x%02x/0x%02x: %u delayed responses owed already: BUSY",
			a->id, a->cur_hdr.proto_id, a->cur_hdr.msg_id,
			a->delayed_owed + waiting);
		return -EBUSY;
	}
	d->agent_id = a->id;
	d->agent_gen = a->gen;
	d->hdr = a->cur_hdr;
	d->owed = true;
	a->delayed_owed++;
	return 0;
}

static void unlink_started(struct sim_delayed *d)
{
	if (d->prev)
		d->prev->next = d->next;
	else
		started = d->next;
	if (d->next)
		d->next->prev = d->prev;
	d->prev = d->next = NULL;
}

static void on_timer(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct sim_delayed *d = w->data;

	ev_timer_stop(loop, w);
	unlink_started(d);
	d->fn(d);
}

void sim_delayed_start(struct sim_delayed *d, uint32_t min_us,
		       sim_delayed_fn *fn)
{
	double after = sim_config()->async_delay_ms / 1e3;

	assert(!ev_is_active(&d->w));
	if (min_us / 1e6 > after)
		after = min_us / 1e6;
	ev_timer_init(&d->w, on_timer, after, 0.);
	d->w.data = d;
	d->fn = fn;
	d->prev = NULL;
	d->next = started;
	if (started)
		started->prev = d;
	started = d;
	ev_timer_start(EV_DEFAULT, &d->w);
	sim_log(SIM_LOG_DEBUG,
		"agent %u: command 0x%02x/0x%02x token %u accepted async: done in %.3f ms",
		d->agent_id, d->hdr.proto_id, d->hdr.msg_id,
		d->hdr.token, after * 1e3);
}

bool sim_delayed_pending(const struct sim_delayed *d)
{
	return d->owed || ev_is_active(&d->w);
}

bool sim_delayed_of(const struct sim_delayed *d, const struct sim_agent *a)
{
	return d->agent_id == a->id && d->agent_gen == a->gen;
}

/* @d owed no more: the session it was owed to, or NULL if that is gone. */
static struct sim_agent *settle(struct sim_delayed *d)
{
	struct sim_agent *a = owner(d);

	assert(d->owed);
	d->owed = false;
	if (a) {
		assert(a->delayed_owed > 0);
		a->delayed_owed--;
	}
	return a;
}

static void lost(struct sim_agent *a, const struct sim_delayed *d,
		 const char *why)
{
	agent_count(a, d->hdr.proto_id, SIM_CNT_DELAYED_LOST);
	sim_log(SIM_LOG_INFO,
		"agent %u: delayed response 0x%02x/0x%02x token %u not sent: %s",
		a->id, d->hdr.proto_id, d->hdr.msg_id, d->hdr.token,
		why);
}

void sim_delayed_send(struct sim_delayed *d, int32_t status, const void *ret,
		      size_t ret_sz)
{
	struct scmi_msg_hdr hdr = d->hdr;
	struct sim_agent *a = settle(d);
	int r;

	if (!a) {
		/* its session ended: nobody waits; nothing to count it on */
		sim_log(SIM_LOG_INFO,
			"agent %u: delayed response 0x%02x/0x%02x token %u not sent: that session is gone",
			d->agent_id, d->hdr.proto_id, d->hdr.msg_id,
			d->hdr.token);
		return;
	}
	hdr.type = SCMI_MSG_TYPE_DELAYED_RESP;
	r = a->ops->delayed(a->ch, &hdr, status, ret, ret_sz);
	if (r == -ECANCELED) {
		lost(a, d, "fault drop-delayed");
	} else if (r == -EMSGSIZE) {
		sim_log(SIM_LOG_ERR,
			"delayed response 0x%02x/0x%02x of %zu bytes exceeds max_msg_size %u",
			d->hdr.proto_id, d->hdr.msg_id, 4 + ret_sz,
			sim_config()->max_msg_size);
		lost(a, d, "too long");
	} else if (r == -ENOMEM) {
		lost(a, d, "out of memory");
	} else if (r < 0) {
		lost(a, d, strerror(-r));
	}
}

void sim_delayed_cancel(struct sim_delayed *d)
{
	struct sim_agent *a = settle(d);

	sim_log(SIM_LOG_DEBUG,
		"agent %u: command 0x%02x/0x%02x token %u done, no delayed response",
		d->agent_id, d->hdr.proto_id, d->hdr.msg_id,
		d->hdr.token);
	(void)a;
}

void sim_delayed_fini(void)
{
	while (started) {
		struct sim_delayed *d = started;
		struct sim_agent *a;

		ev_timer_stop(EV_DEFAULT, &d->w);
		unlink_started(d);
		if (!d->owed)
			continue;
		a = settle(d);
		if (a)
			lost(a, d, "shutting down");
	}
}
