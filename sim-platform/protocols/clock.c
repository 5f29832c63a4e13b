/* SPDX-License-Identifier: MIT */
/*
 * The clock protocol (0x14), version 2.0, over the topology's clocks: their
 * attributes and names, their rates (a discrete list or a range), rate and
 * config changes, and the two notifications. See SCMI-REFERENCE.md 6.5.
 *
 * Statuses, as the reference platform's: CLOCK_DESCRIBE_RATES with a
 * rate_index at or beyond the clock's number of rates (a range: any index
 * but 0) is OUT_OF_RANGE; CLOCK_RATE_SET of a rate below the clock's
 * lowest or above its highest is INVALID_PARAMETERS (a rate between two
 * of its rates is rounded as the flags say).
 *
 * PROTOCOL_ATTRIBUTES says max_async_req (bits 23:16) as the topology
 * does (clock_proto.max_async_req). CLOCK_RATE_SET with flags bit 0 (async):
 *   - max_async_req 0: NOT_SUPPORTED;
 *   - the agent has max_async_req async rate sets pending: BUSY;
 *   - then checked as a synchronous set, with the same errors;
 *   - another async set of the same clock pending (from any agent), or
 *     the agent owed SIM_MAX_ASYNC_PER_AGENT delayed responses: BUSY;
 *   - else answered SUCCESS at once, and --async-delay later (delayed.h)
 *     the rate is set, with the notifications of a synchronous set, and
 *     CLOCK_RATE_SET_COMPLETE goes to the agent: type 2, message id 0x5,
 *     the command's token; payload status, clock_id, rate low, rate high
 *     (the rate set). With bit 1 too ("ignore delayed response"), the
 *     rate is set as late, and no delayed response is sent.
 * Bit 1 without bit 0 means nothing: the set is synchronous.
 *
 * A rate change, by an agent's CLOCK_RATE_SET or by the control request
 * "clock rate <clock> <hz>" (agent_id 0), emits CLOCK_RATE_CHANGE_REQUESTED
 * with the rate asked for, then, if the rate is different from what it
 * was, CLOCK_RATE_CHANGED with the new rate: each to the agents subscribed
 * to that clock's event, and to no other.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <scmi/wire.h>

#include "../delayed.h"
#include "../emit.h"
#include "../log.h"
#include "../protocols.h"
#include "../topology.h"
#include "common.h"

#define CLOCK_VERSION SCMI_VERSION(2, 0)
#define CLOCK_SHORT_NAME_SZ 16
#define CLOCK_RATES_PER_PAGE 15 /* Linux's limit: 4 + 15 * 8 = 124 bytes */

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

enum clock_evt {
	CLOCK_RATE_CHANGED = 0x0,
	CLOCK_RATE_CHANGE_REQUESTED = 0x1,
};

#define CLOCK_ATTR_ENABLED (1u << 0)
#define CLOCK_ATTR_NOTIFY_CHANGED (1u << 31)
#define CLOCK_ATTR_NOTIFY_REQUESTED (1u << 30)
#define CLOCK_ATTR_EXT_NAME (1u << 29)
#define CLOCK_RATES_RANGE (1u << 12)
#define CLOCK_SET_ASYNC (1u << 0)
#define CLOCK_SET_IGNORE_DELAYED (1u << 1)
#define CLOCK_SET_ROUND_UP (1u << 2)
#define CLOCK_SET_ROUND_AUTO (1u << 3)
#define CLOCK_SET_FLAGS_MASK 0xFu
#define CLOCK_CONFIG_ENABLE (1u << 0)

/* An asynchronous CLOCK_RATE_SET accepted and not done yet. */
struct pending_set {
	struct sim_delayed d;
	uint32_t clock_id;
	uint64_t requested, rate;
	bool respond;           /* false: "ignore delayed response" */
};

static struct pending_set pending[SIM_MAX_DOMAINS];

static struct sim_clock *clock_get(uint32_t id)
{
	struct sim_topology *t = sim_topo();

	return id < t->num_clocks ? &t->clocks[id] : NULL;
}

static uint64_t range_min(const struct sim_clock *c) { return c->rates[0]; }
static uint64_t range_max(const struct sim_clock *c) { return c->rates[1]; }
static uint64_t range_step(const struct sim_clock *c) { return c->rates[2]; }

/*
 * The rate the clock takes for a request of @rate Hz rounded as @flags
 * say: 0 with *out set, or SCMI_ERR_PARAMS when @rate is below its lowest
 * or above its highest rate.
 */
static int32_t round_rate(const struct sim_clock *c, uint64_t rate,
			  uint32_t flags, uint64_t *out)
{
	uint64_t lo, hi;

	if (c->is_range) {
		uint64_t min = range_min(c), max = range_max(c);
		uint64_t step = range_step(c), k;

		if (rate < min || rate > max)
			return SCMI_ERR_PARAMS;
		if (!step) {
			*out = rate;
			return SCMI_SUCCESS;
		}
		k = (rate - min) / step;
		lo = min + k * step;
		hi = lo == rate ? lo : lo + step;
		if (hi > max)
			hi = lo; /* max off the grid: its grid point below */
	} else {
		unsigned int i;

		if (!c->num_rates || rate < c->rates[0] ||
		    rate > c->rates[c->num_rates - 1])
			return SCMI_ERR_PARAMS;
		for (i = 0; i + 1 < c->num_rates && c->rates[i + 1] <= rate; i++)
			;
		lo = c->rates[i];
		hi = lo == rate || i + 1 == c->num_rates ? lo : c->rates[i + 1];
	}
	if (flags & CLOCK_SET_ROUND_AUTO)
		*out = rate - lo <= hi - rate ? lo : hi; /* a tie: down */
	else if (flags & CLOCK_SET_ROUND_UP)
		*out = hi;
	else
		*out = lo;
	return SCMI_SUCCESS;
}

/* +0 agent_id, +4 clock_id, +8 rate low, +12 rate high. */
static void emit_rate(uint8_t evt_id, uint32_t agent_id, uint32_t clock_id,
		      uint64_t rate)
{
	uint8_t payld[16];

	scmi_put_le32(payld, agent_id);
	scmi_put_le32(payld + 4, clock_id);
	scmi_put_le64(payld + 8, rate);
	sim_emit(SCMI_PROTOCOL_CLOCK, evt_id, clock_id, payld, sizeof(payld));
}

/* A rate change asked by @agent_id (0: the platform), already validated. */
static void change_rate(uint32_t agent_id, uint32_t clock_id,
			uint64_t requested, uint64_t rate)
{
	struct sim_clock *c = clock_get(clock_id);
	uint64_t old = c->rate;

	emit_rate(CLOCK_RATE_CHANGE_REQUESTED, agent_id, clock_id, requested);
	c->rate = rate;
	sim_log(SIM_LOG_INFO, "clock %u (%s): %llu Hz -> %llu Hz (agent %u)",
		clock_id, c->name, (unsigned long long)old,
		(unsigned long long)rate, agent_id);
	if (rate != old)
		emit_rate(CLOCK_RATE_CHANGED, agent_id, clock_id, rate);
}

/* An async rate set's time has come: set it, then CLOCK_RATE_SET_COMPLETE. */
static void on_pending(struct sim_delayed *d)
{
	struct pending_set *ps = sim_delayed_owner(d, struct pending_set, d);
	uint8_t ret[12];

	change_rate(d->agent_id, ps->clock_id, ps->requested, ps->rate);
	if (!ps->respond) {
		sim_delayed_cancel(d);
		return;
	}
	scmi_put_le32(ret, ps->clock_id);
	scmi_put_le64(ret + 4, ps->rate);
	sim_delayed_send(d, SCMI_SUCCESS, ret, sizeof(ret));
}

/* The async rate sets of @a's session pending. */
static uint32_t async_pending(const struct sim_agent *a)
{
	uint32_t n = 0;

	for (unsigned int i = 0; i < SIM_MAX_DOMAINS; i++)
		n += sim_delayed_pending(&pending[i].d) &&
		     sim_delayed_of(&pending[i].d, a);
	return n;
}

/* ---- the commands ---------------------------------------------------- */
/*
 * Each gets a payload of exactly its size, max_msg_size bytes of room (32
 * or more), and the id of a clock that exists where its row says SIM_DOM_W*
 * (the dispatch checked it).
 */

/* bits 15:0 num_clocks, 23:16 max_async_req */
static int32_t clock_protocol_attributes(struct sim_agent *a,
					 const uint8_t *req, uint8_t *resp,
					 size_t *resp_len)
{
	scmi_put_le32(resp, (sim_topo()->num_clocks & 0xFFFF) |
			    (sim_topo()->clock_proto.max_async_req & 0xFF) << 16);
	*resp_len = 4;
	return SCMI_SUCCESS;
}

/*
 * +0 attributes, +4 name[16], +20 enable latency (µs). Every clock offers
 * its name through CLOCK_NAME_GET too (bit 29; the full name when it is
 * longer than 15 characters), when a message holds its 68 bytes.
 */
static int32_t clock_attributes(struct sim_agent *a, const uint8_t *req,
				uint8_t *resp, size_t *resp_len)
{
	const struct sim_clock *c = clock_get(scmi_get_le32(req));
	uint32_t attr = 0;

	if (sim_ext_names())
		attr |= CLOCK_ATTR_EXT_NAME;
	if (c->enabled)
		attr |= CLOCK_ATTR_ENABLED;
	if (c->notify_changed)
		attr |= CLOCK_ATTR_NOTIFY_CHANGED;
	if (c->notify_requested)
		attr |= CLOCK_ATTR_NOTIFY_REQUESTED;
	scmi_put_le32(resp, attr);
	sim_put_name(resp + 4, CLOCK_SHORT_NAME_SZ, c->name);
	scmi_put_le32(resp + 20, c->enable_latency_us);
	*resp_len = 24;
	return SCMI_SUCCESS;
}

/*
 * +0 clock_id, +4 rate_index. Reply +0 flags (11:0 returned, bit 12
 * range, 31:16 remaining), +4 rates, {low, high} each. A range is one
 * page of three entries {min, max, step}, at index 0; a list is paged, at
 * most 15 rates (and what max_msg_size holds) per page. An index beyond:
 * OUT_OF_RANGE.
 */
static int32_t clock_describe_rates(struct sim_agent *a, const uint8_t *req,
				    uint8_t *resp, size_t *resp_len)
{
	const struct sim_clock *c = clock_get(scmi_get_le32(req));
	uint32_t index = scmi_get_le32(req + 4);
	size_t per_page = (*resp_len - 4) / 8;
	uint32_t num, remaining;

	if (c->is_range) {
		if (index != 0)
			return SCMI_ERR_RANGE;
		scmi_put_le32(resp, 3 | CLOCK_RATES_RANGE);
		for (int i = 0; i < 3; i++)
			scmi_put_le64(resp + 4 + 8 * i, c->rates[i]);
		*resp_len = 4 + 3 * 8;
		return SCMI_SUCCESS;
	}
	if (index >= c->num_rates)
		return SCMI_ERR_RANGE;
	if (per_page > CLOCK_RATES_PER_PAGE)
		per_page = CLOCK_RATES_PER_PAGE;
	num = c->num_rates - index;
	if (num > per_page)
		num = (uint32_t)per_page;
	remaining = c->num_rates - index - num;
	scmi_put_le32(resp, num | remaining << 16);
	for (uint32_t i = 0; i < num; i++)
		scmi_put_le64(resp + 4 + 8 * i, c->rates[index + i]);
	*resp_len = 4 + 8 * (size_t)num;
	return SCMI_SUCCESS;
}

/* +0 flags, +4 clock_id, +8 rate low, +12 rate high. Status only. */
static int32_t clock_rate_set(struct sim_agent *a, const uint8_t *req,
			      uint8_t *resp, size_t *resp_len)
{
	uint32_t flags = scmi_get_le32(req);
	uint32_t id = scmi_get_le32(req + 4);
	uint64_t requested = scmi_get_le64(req + 8), rate;
	uint32_t max_async = sim_topo()->clock_proto.max_async_req;
	const struct sim_clock *c = clock_get(id);
	struct pending_set *ps;
	int32_t status;

	if (flags & ~CLOCK_SET_FLAGS_MASK)
		return SCMI_ERR_PARAMS;
	if ((flags & CLOCK_SET_ASYNC) && !max_async)
		return SCMI_ERR_SUPPORT;
	if ((flags & CLOCK_SET_ASYNC) && async_pending(a) >= max_async)
		return SCMI_ERR_BUSY;
	status = round_rate(c, requested, flags, &rate);
	if (status != SCMI_SUCCESS)
		return status;
	*resp_len = 0;
	if (!(flags & CLOCK_SET_ASYNC)) {
		change_rate(sim_agent_id(a), id, requested, rate);
		return SCMI_SUCCESS;
	}
	/* done from a timer: the response goes out first */
	ps = &pending[id];
	if (sim_delayed_begin(a, &ps->d) < 0)
		return SCMI_ERR_BUSY; /* one at a time per clock, 16 per agent */
	ps->clock_id = id;
	ps->requested = requested;
	ps->rate = rate;
	ps->respond = !(flags & CLOCK_SET_IGNORE_DELAYED);
	sim_delayed_start(&ps->d, 0, on_pending);
	return SCMI_SUCCESS;
}

/* +0 clock_id. Reply +0 rate low, +4 rate high. */
static int32_t clock_rate_get(struct sim_agent *a, const uint8_t *req,
			      uint8_t *resp, size_t *resp_len)
{
	const struct sim_clock *c = clock_get(scmi_get_le32(req));

	scmi_put_le64(resp, c->rate);
	*resp_len = 8;
	return SCMI_SUCCESS;
}

/* +0 clock_id, +4 attributes: bit 0 enable; the others reserved. */
static int32_t clock_config_set(struct sim_agent *a, const uint8_t *req,
				uint8_t *resp, size_t *resp_len)
{
	uint32_t id = scmi_get_le32(req);
	uint32_t attr = scmi_get_le32(req + 4);
	struct sim_clock *c = clock_get(id);

	if (attr & ~CLOCK_CONFIG_ENABLE)
		return SCMI_ERR_PARAMS;
	c->enabled = attr & CLOCK_CONFIG_ENABLE;
	sim_log(SIM_LOG_INFO, "clock %u (%s): %s by agent %u", id, c->name,
		c->enabled ? "enabled" : "disabled", sim_agent_id(a));
	*resp_len = 0;
	return SCMI_SUCCESS;
}

/* +0 clock_id. Reply +0 flags (0), +4 name[64]. */
static int32_t clock_name_get(struct sim_agent *a, const uint8_t *req,
			      uint8_t *resp, size_t *resp_len)
{
	const struct sim_clock *c = clock_get(scmi_get_le32(req));

	return sim_name_get(c->name, resp, resp_len);
}

/* +0 clock_id, +4 notify_enable (bit 0). Status only. */
static int32_t clock_notify(struct sim_agent *a, const uint8_t *req,
			    size_t *resp_len, uint8_t evt_id)
{
	uint32_t id = scmi_get_le32(req);
	const struct sim_clock *c = clock_get(id);

	return sim_notify_cmd(a, SCMI_PROTOCOL_CLOCK, evt_id, id,
			      scmi_get_le32(req + 4),
			      evt_id == CLOCK_RATE_CHANGED ? c->notify_changed :
							     c->notify_requested,
			      resp_len);
}

static int32_t clock_rate_notify(struct sim_agent *a, const uint8_t *req,
				 uint8_t *resp, size_t *resp_len)
{
	return clock_notify(a, req, resp_len, CLOCK_RATE_CHANGED);
}

static int32_t clock_rate_change_requested_notify(struct sim_agent *a,
						  const uint8_t *req,
						  uint8_t *resp,
						  size_t *resp_len)
{
	return clock_notify(a, req, resp_len, CLOCK_RATE_CHANGE_REQUESTED);
}

static const struct sim_msg clock_msgs[] = {
	{ CLOCK_ATTRIBUTES, 4, clock_attributes, 0, SIM_DOM_W0 },
	{ CLOCK_DESCRIBE_RATES, 8, clock_describe_rates, 0, SIM_DOM_W0 },
	{ CLOCK_RATE_SET, 16, clock_rate_set, 0, SIM_DOM_W1 },
	{ CLOCK_RATE_GET, 4, clock_rate_get, 0, SIM_DOM_W0 },
	{ CLOCK_CONFIG_SET, 8, clock_config_set, 0, SIM_DOM_W0 },
	{ CLOCK_NAME_GET, 4, clock_name_get, 0, SIM_DOM_W0 },
	{ CLOCK_RATE_NOTIFY, 8, clock_rate_notify, 0, SIM_DOM_W0 },
	{ CLOCK_RATE_CHANGE_REQUESTED_NOTIFY, 8,
	  clock_rate_change_requested_notify, 0, SIM_DOM_W0 },
};

SIM_PROTOCOL(clock, CLOCK_VERSION, SIM_NUM(num_clocks),
	     clock_protocol_attributes, clock_msgs, NULL)

/* ---- control --------------------------------------------------------- */

/*
 * "rate <clock> <hz>": the platform sets the clock to exactly @hz, one of
 * its rates (a list member, or a point of the range's grid).
 */
static int control_rate(int argc, char **argv, char *out, size_t out_sz)
{
	const struct sim_clock *c;
	uint64_t id, hz, rate;

	if (argc != 3 || sim_parse_unsigned(argv[1], UINT64_MAX, &id) ||
	    sim_parse_unsigned(argv[2], UINT64_MAX, &hz)) {
		snprintf(out, out_sz, "usage: clock rate <clock> <hz>");
		return -EINVAL;
	}
	c = id <= UINT32_MAX ? clock_get((uint32_t)id) : NULL;
	if (!c) {
		snprintf(out, out_sz, "no clock %llu (%u clocks)",
			 (unsigned long long)id, sim_topo()->num_clocks);
		return -ENOENT;
	}
	if (round_rate(c, hz, 0, &rate) != SCMI_SUCCESS || rate != hz) {
		snprintf(out, out_sz, "clock %llu (%s) has no rate %llu Hz",
			 (unsigned long long)id, c->name,
			 (unsigned long long)hz);
		return -ERANGE;
	}
	change_rate(0, (uint32_t)id, hz, rate);
	snprintf(out, out_sz, "clock %llu rate %llu", (unsigned long long)id,
		 (unsigned long long)rate);
	return 0;
}

int sim_clock_control(int argc, char **argv, char *out, size_t out_sz)
{
	if (argc < 1) {
		snprintf(out, out_sz, "usage: clock rate <clock> <hz>");
		return -EINVAL;
	}
	if (!strcmp(argv[0], "rate"))
		return control_rate(argc, argv, out, out_sz);
	snprintf(out, out_sz, "no clock verb '%.32s' (rate)", argv[0]);
	return -EOPNOTSUPP;
}
