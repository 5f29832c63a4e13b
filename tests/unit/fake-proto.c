/* SPDX-License-Identifier: MIT */
/* The fake protocol, the recording notifier and the log sink (fake-proto.h). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "fake-proto.h"

struct timespec fake_deadline(unsigned int ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return ts;
}

/* ---------------------------------------------------------------- */
/* the protocol's ops                                               */

static int fake_get_num_sources(void *priv)
{
	struct fake_proto *fp = priv;
	int ret;

	pthread_mutex_lock(&fp->mtx);
	fp->get_num_sources_calls++;
	ret = fp->get_num_sources_ret;
	pthread_mutex_unlock(&fp->mtx);
	return ret;
}

static int fake_set_notify_enabled(void *priv, uint8_t evt_id, uint32_t src_id,
				   bool enable)
{
	struct fake_proto *fp = priv;
	int ret = 0;

	pthread_mutex_lock(&fp->mtx);
	if (fp->ncalls < FAKE_MAX_CALLS)
		fp->calls[fp->ncalls++] = (struct fake_call){
			.evt_id = evt_id, .src_id = src_id, .enable = enable
		};
	else
		fp->calls_overflow = true;
	if (enable && src_id < FAKE_MAX_SOURCES)
		ret = fp->fail_enable[src_id];
	pthread_cond_broadcast(&fp->cond);
	pthread_mutex_unlock(&fp->mtx);
	return ret;
}

static void *fake_fill_custom_report(void *priv, uint8_t evt_id,
				     uint64_t timestamp_ns, const void *payld,
				     size_t payld_sz, void *report,
				     uint32_t *src_id)
{
	struct fake_proto *fp = priv;
	struct fake_report *r = report;
	bool refuse;

	pthread_mutex_lock(&fp->mtx);
	fp->fill_calls++;
	refuse = fp->refuse_reports;
	pthread_mutex_unlock(&fp->mtx);
	if (refuse)
		return NULL;

	if (evt_id == FAKE_EVT_A) {
		struct fake_payld_a p;

		if (payld_sz != sizeof(p))
			return NULL;
		memcpy(&p, payld, sizeof(p));
		r->agent_id = p.agent_id;
		r->src_id = p.src_id;
		r->value = p.value;
	} else if (evt_id == FAKE_EVT_B) {
		struct fake_payld_b p;

		if (payld_sz != sizeof(p))
			return NULL;
		memcpy(&p, payld, sizeof(p));
		r->agent_id = FAKE_NO_AGENT;
		r->src_id = p.src_id;
		r->value = p.value;
	} else {
		return NULL;
	}
	if (r->value == FAKE_VALUE_REFUSE)
		return NULL;
	r->timestamp = timestamp_ns;
	*src_id = r->src_id;
	return r;
}

static bool fake_is_notify_supported(void *priv, uint8_t evt_id,
				     uint32_t src_id)
{
	struct fake_proto *fp = priv;
	bool ret = true;

	pthread_mutex_lock(&fp->mtx);
	if (evt_id < FAKE_NUM_EVTS && src_id < FAKE_MAX_SOURCES)
		ret = !fp->unsupported[evt_id][src_id];
	pthread_mutex_unlock(&fp->mtx);
	return ret;
}

struct fake_proto *fake_proto_new(struct scmi_notify *ni, uint8_t proto_id,
				  unsigned int num_sources)
{
	struct fake_proto *fp;

	assert_true(num_sources <= FAKE_MAX_SOURCES);
	fp = calloc(1, sizeof(*fp));
	assert_non_null(fp);
	fp->ni = ni;
	fp->proto_id = proto_id;
	fp->evts[0] = (struct scmi_event){
		.id = FAKE_EVT_A,
		.max_payld_sz = sizeof(struct fake_payld_a),
		.max_report_sz = sizeof(struct fake_report),
	};
	fp->evts[1] = (struct scmi_event){
		.id = FAKE_EVT_B,
		.max_payld_sz = sizeof(struct fake_payld_b),
		.max_report_sz = sizeof(struct fake_report),
	};
	fp->ops = (struct scmi_event_ops){
		.get_num_sources = fake_get_num_sources,
		.set_notify_enabled = fake_set_notify_enabled,
		.fill_custom_report = fake_fill_custom_report,
		.is_notify_supported = NULL,
	};
	fp->ee = (struct scmi_protocol_events){
		.queue_sz = 0,
		.ops = &fp->ops,
		.evts = fp->evts,
		.num_events = FAKE_NUM_EVTS,
		.num_sources = num_sources,
	};
	fp->get_num_sources_ret = (int)num_sources;
	pthread_mutex_init(&fp->mtx, NULL);
	pthread_cond_init(&fp->cond, NULL);
	return fp;
}

void fake_proto_free(struct fake_proto *fp)
{
	if (!fp)
		return;
	pthread_cond_destroy(&fp->cond);
	pthread_mutex_destroy(&fp->mtx);
	free(fp);
}

int fake_proto_register(struct fake_proto *fp)
{
	return scmi_register_protocol_events(fp->ni, fp->proto_id, fp, &fp->ee);
}

int fake_proto_deregister(struct fake_proto *fp)
{
	return scmi_deregister_protocol_events(fp->ni, fp->proto_id);
}

void fake_fail_enable(struct fake_proto *fp, uint32_t src, int err)
{
	assert_true(src < FAKE_MAX_SOURCES);
	pthread_mutex_lock(&fp->mtx);
	fp->fail_enable[src] = err;
	pthread_mutex_unlock(&fp->mtx);
}

void fake_set_unsupported(struct fake_proto *fp, uint8_t evt_id, uint32_t src)
{
	assert_true(evt_id < FAKE_NUM_EVTS && src < FAKE_MAX_SOURCES);
	pthread_mutex_lock(&fp->mtx);
	fp->ops.is_notify_supported = fake_is_notify_supported;
	fp->unsupported[evt_id][src] = true;
	pthread_mutex_unlock(&fp->mtx);
}

void fake_refuse_reports(struct fake_proto *fp, bool refuse)
{
	pthread_mutex_lock(&fp->mtx);
	fp->refuse_reports = refuse;
	pthread_mutex_unlock(&fp->mtx);
}

int fake_emit(struct fake_proto *fp, uint8_t evt_id, uint32_t src,
	      uint32_t value)
{
	if (evt_id == FAKE_EVT_B) {
		struct fake_payld_b p = { .src_id = src, .value = value };

		return scmi_notify(fp->ni, fp->proto_id, evt_id, &p, sizeof(p),
				   FAKE_TS(value));
	} else {
		struct fake_payld_a p = {
			.agent_id = FAKE_AGENT, .src_id = src, .value = value
		};

		return scmi_notify(fp->ni, fp->proto_id, evt_id, &p, sizeof(p),
				   FAKE_TS(value));
	}
}

size_t fake_ncalls(struct fake_proto *fp)
{
	size_t n;

	pthread_mutex_lock(&fp->mtx);
	n = fp->ncalls;
	pthread_mutex_unlock(&fp->mtx);
	return n;
}

bool fake_wait_ncalls(struct fake_proto *fp, size_t n, unsigned int timeout_ms)
{
	struct timespec dl = fake_deadline(timeout_ms);
	bool ok;

	pthread_mutex_lock(&fp->mtx);
	while (fp->ncalls < n &&
	       pthread_cond_timedwait(&fp->cond, &fp->mtx, &dl) != ETIMEDOUT)
		;
	ok = fp->ncalls >= n;
	pthread_mutex_unlock(&fp->mtx);
	return ok;
}

void fake_reset_calls(struct fake_proto *fp)
{
	pthread_mutex_lock(&fp->mtx);
	fp->ncalls = 0;
	fp->calls_overflow = false;
	pthread_mutex_unlock(&fp->mtx);
}

static void print_calls(const char *what, const struct fake_call *c, size_t n)
{
	print_error("  %s (%zu):", what, n);
	for (size_t i = 0; i < n; i++)
		print_error(" %s(evt %u, src %u)", c[i].enable ? "on" : "off",
			    c[i].evt_id, c[i].src_id);
	print_error("\n");
}

static bool call_eq(const struct fake_call *a, const struct fake_call *b)
{
	return a->evt_id == b->evt_id && a->src_id == b->src_id &&
	       a->enable == b->enable;
}

void fake_expect_calls_at(struct fake_proto *fp, const struct fake_call *exp,
			  size_t n, bool any_order, const char *file, int line)
{
	struct fake_call got[FAKE_MAX_CALLS];
	bool used[FAKE_MAX_CALLS] = { false };
	bool overflow, ok;
	size_t ngot;

	pthread_mutex_lock(&fp->mtx);
	ngot = fp->ncalls;
	memcpy(got, fp->calls, ngot * sizeof(got[0]));
	overflow = fp->calls_overflow;
	fp->ncalls = 0;
	fp->calls_overflow = false;
	pthread_mutex_unlock(&fp->mtx);

	ok = !overflow && ngot == n;
	for (size_t i = 0; ok && i < n; i++) {
		if (!any_order) {
			ok = call_eq(&got[i], &exp[i]);
			continue;
		}
		ok = false;
		for (size_t j = 0; j < ngot; j++) {
			if (!used[j] && call_eq(&got[j], &exp[i])) {
				used[j] = ok = true;
				break;
			}
		}
	}
	if (ok)
		return;
	print_error("set_notify_enabled calls differ%s%s:\n",
		    any_order ? " (in any order)" : "",
		    overflow ? " (log overflowed)" : "");
	print_calls("expected", exp, n);
	print_calls("got     ", got, ngot);
	_fail(file, line);
}

/* ---------------------------------------------------------------- */
/* the recording notifier                                           */

void fake_sink_init(struct fake_sink *sink)
{
	memset(sink, 0, sizeof(*sink));
	pthread_mutex_init(&sink->mtx, NULL);
	pthread_cond_init(&sink->cond, NULL);
}

void fake_sink_fini(struct fake_sink *sink)
{
	pthread_cond_destroy(&sink->cond);
	pthread_mutex_destroy(&sink->mtx);
}

size_t fake_sink_count(struct fake_sink *sink)
{
	size_t n;

	pthread_mutex_lock(&sink->mtx);
	n = sink->n;
	pthread_mutex_unlock(&sink->mtx);
	return n;
}

bool fake_sink_wait(struct fake_sink *sink, size_t n, unsigned int timeout_ms)
{
	struct timespec dl = fake_deadline(timeout_ms);
	bool ok;

	pthread_mutex_lock(&sink->mtx);
	while (sink->n < n &&
	       pthread_cond_timedwait(&sink->cond, &sink->mtx, &dl) != ETIMEDOUT)
		;
	ok = sink->n >= n;
	pthread_mutex_unlock(&sink->mtx);
	return ok;
}

struct fake_delivery fake_sink_get(struct fake_sink *sink, size_t i)
{
	struct fake_delivery d;
	size_t n;

	memset(&d, 0, sizeof(d));
	pthread_mutex_lock(&sink->mtx);
	n = sink->n;
	if (i < n)
		d = sink->d[i];
	pthread_mutex_unlock(&sink->mtx);
	if (i >= n)
		fail_msg("delivery %zu asked for, %zu recorded", i, n);
	return d;
}

void fake_sink_reset(struct fake_sink *sink)
{
	pthread_mutex_lock(&sink->mtx);
	sink->n = 0;
	sink->overflow = false;
	pthread_mutex_unlock(&sink->mtx);
}

static int fake_nb_cb(struct scmi_notifier *nb, uint8_t evt_id,
		      const void *report)
{
	struct fake_nb *fnb = (struct fake_nb *)((char *)nb -
						 offsetof(struct fake_nb, nb));
	const struct fake_report *r = report;
	struct fake_sink *sink = fnb->sink;

	pthread_mutex_lock(&sink->mtx);
	if (sink->n < FAKE_MAX_DELIVERIES)
		sink->d[sink->n++] = (struct fake_delivery){
			.tag = fnb->tag, .evt_id = evt_id, .r = *r,
			.thread = pthread_self(),
		};
	else
		sink->overflow = true;
	pthread_cond_broadcast(&sink->cond);
	pthread_mutex_unlock(&sink->mtx);

	if (fnb->hook)
		fnb->hook(fnb, evt_id, r);
	return fnb->ret;
}

void fake_nb_init(struct fake_nb *fnb, struct fake_sink *sink, int tag,
		  int priority)
{
	memset(fnb, 0, sizeof(*fnb));
	fnb->nb.cb = fake_nb_cb;
	fnb->nb.priority = priority;
	fnb->tag = tag;
	fnb->ret = SCMI_NOTIFY_OK;
	fnb->sink = sink;
}

static bool seen_eq(const struct fake_delivery *d, const struct fake_seen *e)
{
	uint32_t agent = e->evt_id == FAKE_EVT_B ? FAKE_NO_AGENT : FAKE_AGENT;

	return d->tag == e->tag && d->evt_id == e->evt_id &&
	       d->r.src_id == e->src_id && d->r.value == e->value &&
	       d->r.timestamp == FAKE_TS(e->value) && d->r.agent_id == agent;
}

void fake_expect_deliveries_at(struct fake_sink *sink,
			       const struct fake_seen *exp, size_t n,
			       const char *file, int line)
{
	static struct fake_delivery got[FAKE_MAX_DELIVERIES];
	bool overflow, ok;
	size_t ngot;

	pthread_mutex_lock(&sink->mtx);
	ngot = sink->n;
	memcpy(got, sink->d, ngot * sizeof(got[0]));
	overflow = sink->overflow;
	sink->n = 0;
	sink->overflow = false;
	pthread_mutex_unlock(&sink->mtx);

	ok = !overflow && ngot == n;
	for (size_t i = 0; ok && i < n; i++)
		ok = seen_eq(&got[i], &exp[i]);
	if (ok)
		return;
	print_error("deliveries differ%s:\n",
		    overflow ? " (log overflowed)" : "");
	print_error("  expected (%zu):", n);
	for (size_t i = 0; i < n; i++)
		print_error(" nb%d(evt %u, src %u, value %u)", exp[i].tag,
			    exp[i].evt_id, exp[i].src_id, exp[i].value);
	print_error("\n  got      (%zu):", ngot);
	for (size_t i = 0; i < ngot; i++)
		print_error(" nb%d(evt %u, src %u, value %u, ts %llu, agent 0x%x)",
			    got[i].tag, got[i].evt_id, got[i].r.src_id,
			    got[i].r.value,
			    (unsigned long long)got[i].r.timestamp,
			    got[i].r.agent_id);
	print_error("\n");
	_fail(file, line);
}

/* ---------------------------------------------------------------- */
/* the log sink                                                     */

void fake_logcap_init(struct fake_logcap *lc)
{
	memset(lc, 0, sizeof(*lc));
	pthread_mutex_init(&lc->mtx, NULL);
}

void fake_logcap_fini(struct fake_logcap *lc)
{
	pthread_mutex_destroy(&lc->mtx);
}

void fake_logcap_fn(void *userdata, enum scmi_log_level level,
		    const char *msg)
{
	struct fake_logcap *lc = userdata;

	pthread_mutex_lock(&lc->mtx);
	if ((unsigned int)level < 8)
		lc->count[level]++;
	snprintf(lc->last, sizeof(lc->last), "%s", msg);
	pthread_mutex_unlock(&lc->mtx);
}

unsigned int fake_logcap_count(struct fake_logcap *lc,
			       enum scmi_log_level level)
{
	unsigned int n;

	pthread_mutex_lock(&lc->mtx);
	n = (unsigned int)level < 8 ? lc->count[level] : 0;
	pthread_mutex_unlock(&lc->mtx);
	return n;
}
