/* SPDX-License-Identifier: MIT */
/*
 * The clock protocol (0x14): discovery at connect, the rate and config
 * commands, and the CLOCK_RATE_CHANGED / CLOCK_RATE_CHANGE_REQUESTED
 * events for the notify core. See SCMI-REFERENCE.md 6.5.
 *
 * Discovery, as Linux 6.6 (clock.c) does it: PROTOCOL_VERSION,
 * PROTOCOL_ATTRIBUTES (num_clocks, max_async_req), then per clock
 * CLOCK_ATTRIBUTES (24 bytes from v2: the enable latency; the
 * notification and extended-name bits 31..29 only read from v2),
 * CLOCK_NAME_GET when the extended-name bit says so (a failure keeps the
 * short name), and CLOCK_DESCRIBE_RATES, paged: a discrete list of at most
 * SCMI_CLOCK_MAX_RATES rates (sorted ascending), or a range triplet. Any
 * failure leaves the protocol down for this agent.
 *
 * Rate changes are asynchronous where Linux makes them so: when the
 * platform allows max_async_req pending changes and this agent's own
 * asynchronous changes in flight, this one included, stay below it (so
 * max_async_req 1 never yields one). scmi_clock_rate_set() then waits
 * for the delayed response CLOCK_RATE_SET_COMPLETE (clock_id, the rate
 * set), whose clock must be the one asked for (-EPROTO);
 * scmi_clock_rate_set_async() completes through its callback when it
 * comes (common.h), and counts the change out of this agent's in flight
 * then. Otherwise both are synchronous (and the latter's callback comes
 * later all the same).
 *
 * Public calls find this agent's private struct through
 * scmi_agent_proto_priv() (common.c). connect/disconnect never run beside
 * other calls on the same agent (agent.h), so a pointer found stays valid
 * for the call; the enabled flags, which calls change, are under its mtx.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>

#include <scmi/agent.h>
#include <scmi/clock.h>
#include <scmi/protocols.h>
#include <scmi/wire.h>

#include "common.h"
#include "log.h"
#include "protocols.h"
#include "symbols.h"

enum clock_cmd {
	CLOCK_ATTRIBUTES = 0x3,
	CLOCK_DESCRIBE_RATES = 0x4,
	CLOCK_RATE_SET = 0x5,
	CLOCK_RATE_GET = 0x6,
	CLOCK_CONFIG_SET = 0x7,
	CLOCK_NAME_GET = 0x8,
	CLOCK_RATE_NOTIFY = 0x9,
	CLOCK_RATE_CHANGE_REQUESTED_NOTIFY = 0xA,
};

#define CLOCK_SHORT_NAME_SZ 16
#define CLOCK_ATTR_ENABLED (1u << 0)
#define CLOCK_ATTR_NOTIFY_CHANGED (1u << 31)
#define CLOCK_ATTR_NOTIFY_REQUESTED (1u << 30)
#define CLOCK_ATTR_EXT_NAME (1u << 29)
#define CLOCK_RATES_RETURNED(f) ((f) & 0xFFFu)
#define CLOCK_RATES_RANGE (1u << 12)
#define CLOCK_RATES_REMAINING(f) ((f) >> 16)
#define CLOCK_CONFIG_ENABLE (1u << 0)
#define CLOCK_SET_ASYNC (1u << 0)
#define CLOCK_PAYLD_SZ 16 /* both events: agent, clock, rate low, high */

/*
 * This agent's asynchronous rate changes in flight. The completion of a
 * scmi_clock_rate_set_async() may run after disconnect freed the
 * clock_priv (it cuts the change short), so the count is shared: the
 * clock_priv and each change in flight hold a reference, the last one
 * frees it.
 */
struct clock_async_count {
	atomic_uint refs;
	atomic_uint in_flight;
};

struct clock_priv {
	struct scmi_agent *agent;
	uint32_t version;
	uint32_t num_clocks;
	uint32_t max_async_req;
	struct clock_async_count *async; /* this agent's async rate sets */
	pthread_mutex_t mtx;          /* protects clocks[].enabled */
	struct scmi_clock_info *clocks; /* [num_clocks] */
};

/* The ids discovery found: 0..count-1 (common.h). */
#define CLOCK_COUNT_OFF offsetof(struct clock_priv, num_clocks)

/*
 * The clock state of @a with @clock_id a discovered clock, or NULL with
 * *ret: -EINVAL NULL @a or no such clock, -ENOTCONN not connected,
 * -EOPNOTSUPP connected without the clock protocol.
 */
static struct clock_priv *clock_lookup(struct scmi_agent *a,
				       uint32_t clock_id, int *ret)
{
	return scmi_proto_lookup_id(a, SCMI_PROTOCOL_CLOCK, CLOCK_COUNT_OFF,
				    clock_id, ret);
}

/* ---------------------------------------------------------------- */
/* discovery                                                        */

static int cmp_rate(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return a < b ? -1 : a > b;
}

/* CLOCK_ATTRIBUTES, and CLOCK_NAME_GET if the attributes offer it. */
static int clock_attributes(struct clock_priv *cp, uint32_t id,
			    struct scmi_clock_info *ci)
{
	const struct scmi_log *log = scmi_agent_log(cp->agent);
	bool v2 = SCMI_VERSION_MAJOR(cp->version) >= 2;
	uint8_t tx[4], rx[24];
	uint32_t attr, latency;
	int32_t status;
	size_t got = 0;
	int ret;

	scmi_put_le32(tx, id);
	ret = scmi_agent_do_xfer(cp->agent, SCMI_PROTOCOL_CLOCK,
				 CLOCK_ATTRIBUTES, tx, sizeof(tx), rx,
				 sizeof(rx), &got, &status);
	if (ret)
		return ret;
	if (status != SCMI_SUCCESS) {
		scmi_err(log, "CLOCK_ATTRIBUTES %u: %s", id,
			 scmi_status_name(status));
		return scmi_status_to_errno(status);
	}
	/* v1 may leave the latency out; from v2 it is there */
	if (got != 24 && (v2 || got != 20)) {
		scmi_err(log, "CLOCK_ATTRIBUTES %u: %zu return bytes, expected 24",
			 id, got);
		return -EPROTO;
	}
	attr = scmi_get_le32(rx);
	scmi_proto_copy_name(ci->name, sizeof(ci->name), rx + 4,
			     CLOCK_SHORT_NAME_SZ - 1);
	ci->enabled = attr & CLOCK_ATTR_ENABLED;
	ci->enable_latency_us = SCMI_CLOCK_LATENCY_UNKNOWN;
	if (!v2)
		return 0;

	latency = scmi_get_le32(rx + 20);
	if (latency)
		ci->enable_latency_us = latency;
	ci->notify_rate_changed = attr & CLOCK_ATTR_NOTIFY_CHANGED;
	ci->notify_rate_change_requested = attr & CLOCK_ATTR_NOTIFY_REQUESTED;
	if (!(attr & CLOCK_ATTR_EXT_NAME))
		return 0;

	/* on failure the short name stays (Linux); gone: discovery stops */
	ret = scmi_proto_ext_name_get(cp->agent, SCMI_PROTOCOL_CLOCK,
				      CLOCK_NAME_GET, "clock", id, ci->name,
				      sizeof(ci->name));
	if (ret == -ECONNRESET || ret == -ENOTCONN)
		return ret;
	if (ret)
		scmi_warn(log, "CLOCK_NAME_GET %u: %d, keeping \"%s\"", id, ret,
			  ci->name);
	return 0;
}

/* CLOCK_DESCRIBE_RATES, paged, with Linux's checks. */
static int clock_rates(struct clock_priv *cp, uint32_t id,
		       struct scmi_clock_info *ci)
{
	const struct scmi_log *log = scmi_agent_log(cp->agent);
	uint8_t tx[8], rx[4 + 8 * 15 + 8];
	uint32_t index = 0;
	bool first = true;

	for (;;) {
		uint32_t flags, returned, remaining;
		int32_t status;
		size_t got = 0;
		bool range;
		int ret;

		scmi_put_le32(tx, id);
		scmi_put_le32(tx + 4, index);
		ret = scmi_agent_do_xfer(cp->agent, SCMI_PROTOCOL_CLOCK,
					 CLOCK_DESCRIBE_RATES, tx, sizeof(tx),
					 rx, sizeof(rx), &got, &status);
		if (ret)
			return ret;
		if (status != SCMI_SUCCESS) {
			scmi_err(log, "CLOCK_DESCRIBE_RATES %u/%u: %s", id,
				 index, scmi_status_name(status));
			return scmi_status_to_errno(status);
		}
		if (got < 4) {
			scmi_err(log, "CLOCK_DESCRIBE_RATES %u: %zu return bytes",
				 id, got);
			return -EPROTO;
		}
		flags = scmi_get_le32(rx);
		returned = CLOCK_RATES_RETURNED(flags);
		remaining = CLOCK_RATES_REMAINING(flags);
		range = flags & CLOCK_RATES_RANGE;

		if (first) {
			ci->rate_discrete = !range;
			first = false;
		} else if (range == ci->rate_discrete) {
			scmi_err(log, "CLOCK_DESCRIBE_RATES %u: format changed between pages",
				 id);
			return -EPROTO;
		}

		if (range) {
			/*
			 * Exactly three entries, nothing remaining; Linux also
			 * takes a wrong count when three entries are there.
			 */
			if (index || remaining || got < 4 + 3 * 8 ||
			    (returned != 3 && got != 4 + 3 * 8)) {
				scmi_err(log,
					 "CLOCK_DESCRIBE_RATES %u: range of %u entries (%u remaining, %zu bytes)",
					 id, returned, remaining, got);
				return -EPROTO;
			}
			ci->range.min_rate = scmi_get_le64(rx + 4);
			ci->range.max_rate = scmi_get_le64(rx + 12);
			ci->range.step_size = scmi_get_le64(rx + 20);
			if (ci->range.min_rate > ci->range.max_rate) {
				scmi_err(log, "CLOCK_DESCRIBE_RATES %u: range min above max",
					 id);
				return -EPROTO;
			}
			return 0;
		}

		if (returned > SCMI_CLOCK_MAX_RATES - index ||
		    remaining > SCMI_CLOCK_MAX_RATES - index - returned) {
			scmi_err(log,
				 "CLOCK_DESCRIBE_RATES %u: %u + %u rates after %u, more than %u",
				 id, returned, remaining, index,
				 SCMI_CLOCK_MAX_RATES);
			return -EPROTO;
		}
		if (got < 4 + 8 * (size_t)returned) {
			scmi_err(log, "CLOCK_DESCRIBE_RATES %u: %zu return bytes for %u rates",
				 id, got, returned);
			return -EPROTO;
		}
		for (uint32_t i = 0; i < returned; i++)
			ci->list.rates[index + i] = scmi_get_le64(rx + 4 + 8 * i);
		index += returned;
		if (!returned || !remaining)
			break;
	}
	if (!ci->rate_discrete)
		return 0;
	ci->list.num_rates = index;
	qsort(ci->list.rates, index, sizeof(ci->list.rates[0]), cmp_rate);
	return 0;
}

static void async_count_put(struct clock_async_count *c)
{
	if (c && atomic_fetch_sub(&c->refs, 1) == 1)
		free(c);
}

/*
 * Whether a rate change may go asynchronous, as Linux decides it: the
 * platform allows max_async_req changes pending and this agent's, this
 * one included, stay below it. When it may, it is counted in flight
 * (async_put() counts it out).
 */
static bool async_get(struct clock_priv *cp)
{
	if (!cp->max_async_req)
		return false;
	if (atomic_fetch_add(&cp->async->in_flight, 1) + 1 < cp->max_async_req)
		return true;
	atomic_fetch_sub(&cp->async->in_flight, 1);
	return false;
}

static void async_put(struct clock_async_count *c)
{
	atomic_fetch_sub(&c->in_flight, 1);
}

static void clock_free(struct clock_priv *cp)
{
	if (!cp)
		return;
	async_count_put(cp->async);
	pthread_mutex_destroy(&cp->mtx);
	free(cp->clocks);
	free(cp);
}

static int clock_init(struct scmi_agent *a, void **priv)
{
	const struct scmi_log *log = scmi_agent_log(a);
	struct clock_priv *cp;
	uint8_t rx[4];
	uint32_t attr;
	int ret;

	cp = calloc(1, sizeof(*cp));
	if (!cp)
		return -ENOMEM;
	cp->agent = a;
	pthread_mutex_init(&cp->mtx, NULL);
	cp->async = calloc(1, sizeof(*cp->async));
	if (!cp->async) {
		ret = -ENOMEM;
		goto fail;
	}
	atomic_init(&cp->async->refs, 1);

	ret = scmi_proto_version_attrs(a, SCMI_PROTOCOL_CLOCK, &cp->version,
				       rx, sizeof(rx));
	if (ret)
		goto fail;
	attr = scmi_get_le32(rx);
	cp->num_clocks = attr & 0xFFFF;
	cp->max_async_req = (attr >> 16) & 0xFF;
	if (!cp->num_clocks) {
		scmi_warn(log, "clock: the platform has no clocks");
		ret = -ENODEV;
		goto fail;
	}

	cp->clocks = calloc(cp->num_clocks, sizeof(*cp->clocks));
	if (!cp->clocks) {
		ret = -ENOMEM;
		goto fail;
	}
	for (uint32_t id = 0; id < cp->num_clocks; id++) {
		ret = clock_attributes(cp, id, &cp->clocks[id]);
		if (!ret)
			ret = clock_rates(cp, id, &cp->clocks[id]);
		if (ret)
			goto fail;
	}

	scmi_info(log, "clock v%u.%u: %u clocks, %u async requests",
		  SCMI_VERSION_MAJOR(cp->version),
		  SCMI_VERSION_MINOR(cp->version), cp->num_clocks,
		  cp->max_async_req);
	*priv = cp;
	return 0;

fail:
	clock_free(cp);
	return ret;
}

static void clock_fini(struct scmi_agent *a, void *priv)
{
	clock_free(priv);
}

/* ---------------------------------------------------------------- */
/* public calls                                                     */

SCMI_EXPORT int scmi_clock_count(struct scmi_agent *a)
{
	return scmi_proto_count(a, SCMI_PROTOCOL_CLOCK, CLOCK_COUNT_OFF);
}

int scmi_clock_protocol_info_get_full(struct scmi_agent *a,
				      struct scmi_clock_protocol_info *info)
{
	struct clock_priv *cp;
	int ret;

	if (!info)
		return -EINVAL;
	cp = scmi_proto_lookup(a, SCMI_PROTOCOL_CLOCK, &ret);
	if (!cp)
		return ret;
	*info = (struct scmi_clock_protocol_info){
		.version = cp->version,
		.num_clocks = cp->num_clocks,
		.max_async_req = cp->max_async_req,
	};
	return 0;
}

int scmi_clock_info_get_full(struct scmi_agent *a, uint32_t clock_id,
			     struct scmi_clock_info *info)
{
	struct clock_priv *cp;
	int ret;

	if (!info)
		return -EINVAL;
	cp = clock_lookup(a, clock_id, &ret);
	if (!cp)
		return ret;
	pthread_mutex_lock(&cp->mtx);
	*info = cp->clocks[clock_id];
	pthread_mutex_unlock(&cp->mtx);
	return 0;
}

SCMI_EXPORT int scmi_clock_rate_get(struct scmi_agent *a, uint32_t clock_id,
				    uint64_t *rate)
{
	uint8_t tx[4], rx[8];
	int ret;

	if (!rate)
		return -EINVAL;
	if (!clock_lookup(a, clock_id, &ret))
		return ret;
	scmi_put_le32(tx, clock_id);
	ret = scmi_agent_xfer_exact(a, SCMI_PROTOCOL_CLOCK, CLOCK_RATE_GET, tx,
				    sizeof(tx), rx, sizeof(rx));
	if (ret)
		return ret;
	*rate = scmi_get_le64(rx);
	return 0;
}

/* CLOCK_RATE_SET of @clock_id to @rate with @flags into @tx. */
static void rate_set_tx(uint8_t tx[16], uint32_t clock_id, uint64_t rate,
			uint32_t flags)
{
	scmi_put_le32(tx, flags);
	scmi_put_le32(tx + 4, clock_id);
	scmi_put_le64(tx + 8, rate);
}

SCMI_EXPORT int scmi_clock_rate_set(struct scmi_agent *a, uint32_t clock_id,
				    uint64_t rate, uint32_t flags)
{
	struct clock_priv *cp;
	uint8_t tx[16];
	int ret;

	cp = clock_lookup(a, clock_id, &ret);
	if (!cp)
		return ret;
	if (flags & ~(SCMI_CLOCK_ROUND_UP | SCMI_CLOCK_ROUND_AUTO))
		return -EINVAL;
	if (!async_get(cp)) {
		rate_set_tx(tx, clock_id, rate, flags);
		return scmi_agent_xfer(a, SCMI_PROTOCOL_CLOCK, CLOCK_RATE_SET,
				       tx, sizeof(tx), NULL, 0, NULL);
	}
	rate_set_tx(tx, clock_id, rate, flags | CLOCK_SET_ASYNC);
	ret = scmi_proto_xfer_async_id(a, SCMI_PROTOCOL_CLOCK, CLOCK_RATE_SET,
				       tx, sizeof(tx), clock_id, NULL, 8);
	async_put(cp->async);
	return ret;
}

/* A scmi_clock_rate_set_async() accepted (scmi_proto_async_call()). */
struct rate_set_ctx {
	scmi_clock_async_fn fn;
	void *userdata;
	struct clock_async_count *async; /* a reference; NULL: synchronous */
};

static void rate_set_done(void *ctx, int result, const uint8_t *ret)
{
	const struct rate_set_ctx *r = ctx;

	/* counted out first: the callback may send the next one */
	if (r->async) {
		async_put(r->async);
		async_count_put(r->async);
	}
	r->fn(r->userdata, result);
}

SCMI_EXPORT int scmi_clock_rate_set_async(struct scmi_agent *a,
					  uint32_t clock_id, uint64_t rate,
					  uint32_t flags,
					  scmi_clock_async_fn done,
					  void *userdata)
{
	uint8_t tx[16];
	struct scmi_proto_async_cmd cmd = {
		.proto_id = SCMI_PROTOCOL_CLOCK,
		.msg_id = CLOCK_RATE_SET,
		.tx = tx,
		.tx_sz = sizeof(tx),
		.id = clock_id,
		.ret_sz = 8, /* the rate set */
	};
	struct rate_set_ctx r = { .fn = done, .userdata = userdata };
	struct clock_priv *cp;
	int ret;

	if (!done || (flags & ~(SCMI_CLOCK_ROUND_UP | SCMI_CLOCK_ROUND_AUTO)))
		return -EINVAL;
	cp = clock_lookup(a, clock_id, &ret);
	if (!cp)
		return ret;
	cmd.async = async_get(cp);
	if (cmd.async) {
		r.async = cp->async;
		atomic_fetch_add(&r.async->refs, 1);
	}
	rate_set_tx(tx, clock_id, rate,
		    cmd.async ? flags | CLOCK_SET_ASYNC : flags);
	ret = scmi_proto_async_call(a, &cmd, rate_set_done, &r, sizeof(r));
	if (ret && r.async) {
		async_put(r.async);
		async_count_put(r.async);
	}
	return ret;
}

static int clock_config_set(struct scmi_agent *a, uint32_t clock_id,
			    bool enable)
{
	struct clock_priv *cp;
	uint8_t tx[8];
	int ret;

	cp = clock_lookup(a, clock_id, &ret);
	if (!cp)
		return ret;
	scmi_put_le32(tx, clock_id);
	scmi_put_le32(tx + 4, enable ? CLOCK_CONFIG_ENABLE : 0);
	ret = scmi_agent_xfer(a, SCMI_PROTOCOL_CLOCK, CLOCK_CONFIG_SET, tx,
			      sizeof(tx), NULL, 0, NULL);
	if (ret)
		return ret;
	pthread_mutex_lock(&cp->mtx);
	cp->clocks[clock_id].enabled = enable;
	pthread_mutex_unlock(&cp->mtx);
	return 0;
}

SCMI_EXPORT int scmi_clock_enable(struct scmi_agent *a, uint32_t clock_id)
{
	return clock_config_set(a, clock_id, true);
}

SCMI_EXPORT int scmi_clock_disable(struct scmi_agent *a, uint32_t clock_id)
{
	return clock_config_set(a, clock_id, false);
}

/* ---------------------------------------------------------------- */
/* events                                                           */

static int clock_get_num_sources(void *priv)
{
	struct clock_priv *cp = priv;

	return (int)cp->num_clocks;
}

static bool clock_is_notify_supported(void *priv, uint8_t evt_id,
				      uint32_t src_id)
{
	struct clock_priv *cp = priv;

	if (src_id >= cp->num_clocks)
		return false;
	switch (evt_id) {
	case SCMI_EVENT_CLOCK_RATE_CHANGED:
		return cp->clocks[src_id].notify_rate_changed;
	case SCMI_EVENT_CLOCK_RATE_CHANGE_REQUESTED:
		return cp->clocks[src_id].notify_rate_change_requested;
	default:
		return false;
	}
}

static int clock_set_notify_enabled(void *priv, uint8_t evt_id,
				    uint32_t src_id, bool enable)
{
	struct clock_priv *cp = priv;
	uint8_t tx[8], msg_id;
	int ret;

	switch (evt_id) {
	case SCMI_EVENT_CLOCK_RATE_CHANGED:
		msg_id = CLOCK_RATE_NOTIFY;
		break;
	case SCMI_EVENT_CLOCK_RATE_CHANGE_REQUESTED:
		msg_id = CLOCK_RATE_CHANGE_REQUESTED_NOTIFY;
		break;
	default:
		return -EINVAL;
	}
	if (src_id >= cp->num_clocks)
		return -EINVAL;
	scmi_put_le32(tx, src_id);
	scmi_put_le32(tx + 4, enable ? 1 : 0);
	ret = scmi_agent_xfer(cp->agent, SCMI_PROTOCOL_CLOCK, msg_id, tx,
			      sizeof(tx), NULL, 0, NULL);
	return scmi_proto_notify_result(enable, ret);
}

/*
 * Both events: +0 agent_id, +4 clock_id (the source), +8 rate low,
 * +12 rate high; exactly 16 bytes.
 */
static void *clock_fill_custom_report(void *priv, uint8_t evt_id,
				      uint64_t timestamp_ns,
				      const void *payld, size_t payld_sz,
				      void *report, uint32_t *src_id)
{
	struct clock_priv *cp = priv;
	struct scmi_clock_rate_notif_report *r = report;
	const uint8_t *p = payld;
	uint32_t clock_id;

	if ((evt_id != SCMI_EVENT_CLOCK_RATE_CHANGED &&
	     evt_id != SCMI_EVENT_CLOCK_RATE_CHANGE_REQUESTED) ||
	    payld_sz != CLOCK_PAYLD_SZ)
		return NULL;
	clock_id = scmi_get_le32(p + 4);
	if (clock_id >= cp->num_clocks)
		return NULL;

	r->timestamp = timestamp_ns;
	r->agent_id = scmi_get_le32(p);
	r->clock_id = clock_id;
	r->rate = scmi_get_le64(p + 8);
	*src_id = clock_id;
	return r;
}

static const struct scmi_event clock_events[] = {
	{
		.id = SCMI_EVENT_CLOCK_RATE_CHANGED,
		.max_payld_sz = CLOCK_PAYLD_SZ,
		.max_report_sz = sizeof(struct scmi_clock_rate_notif_report),
	},
	{
		.id = SCMI_EVENT_CLOCK_RATE_CHANGE_REQUESTED,
		.max_payld_sz = CLOCK_PAYLD_SZ,
		.max_report_sz = sizeof(struct scmi_clock_rate_notif_report),
	},
};

static const struct scmi_event_ops clock_event_ops = {
	.get_num_sources = clock_get_num_sources,
	.set_notify_enabled = clock_set_notify_enabled,
	.fill_custom_report = clock_fill_custom_report,
	.is_notify_supported = clock_is_notify_supported,
};

static const struct scmi_protocol_events clock_protocol_events = {
	.ops = &clock_event_ops,
	.evts = clock_events,
	.num_events = sizeof(clock_events) / sizeof(clock_events[0]),
	.num_sources = 0, /* num_clocks, from discovery */
};

/* The SCMI specification's names of the events, by id (names.h). */
static const char *const clock_event_names[] = {
	[SCMI_EVENT_CLOCK_RATE_CHANGED] = "CLOCK_RATE_CHANGED",
	[SCMI_EVENT_CLOCK_RATE_CHANGE_REQUESTED] = "CLOCK_RATE_CHANGE_REQUESTED",
};

const struct scmi_proto_driver scmi_clock_driver = {
	.proto_id = SCMI_PROTOCOL_CLOCK,
	.name = "clock",
	.init = clock_init,
	.fini = clock_fini,
	.events = &clock_protocol_events,
	.event_names = clock_event_names,
};
