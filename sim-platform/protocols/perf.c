/* SPDX-License-Identifier: MIT */
/*
 * The Performance domain protocol (0x13), version 3.0, over the perf
 * domains of the topology: discovery, levels (at most 10 12-byte entries
 * per page, fewer when max_msg_size is smaller), limits, and the two
 * events, PERFORMANCE_LIMITS_CHANGED and PERFORMANCE_LEVEL_CHANGED, sent
 * to the agents that subscribed to the domain when its limits or level
 * actually change (by an agent's command or by a control request). See
 * SCMI-REFERENCE.md 6.4.
 *
 * Rules of this platform:
 *  - PERF_DESCRIBE_LEVELS from a level_index at or beyond the number of
 *    levels is INVALID_PARAMETERS (perf keeps the pair opposite to clock
 *    and voltage, as the reference platform does);
 *  - a level must be one of the domain's levels and lie within its
 *    limits: anything else is OUT_OF_RANGE;
 *  - limits must lie within [lowest, highest] level, max >= min, and at
 *    least one level must lie between them (else OUT_OF_RANGE); the
 *    current level is then moved into them (to the highest level <= max,
 *    or the lowest >= min), which emits PERFORMANCE_LEVEL_CHANGED after
 *    PERFORMANCE_LIMITS_CHANGED;
 *  - fast channels (perf-fc.h) are offered for the domains the topology
 *    marks with fast_channels (attribute bit 27): LEVEL_GET and
 *    LIMITS_GET always, LEVEL_SET and LIMITS_SET when agents may set
 *    them, those two with a doorbell (a 32-bit word, set mask 1, then a
 *    ring of a2p_doorbell: perf-fc.h); the rate limit is the platform's
 *    polling period.
 *    PERF_DESCRIBE_FASTCHANNEL, as the reference platform answers it:
 *    NOT_SUPPORTED for a domain without them or a message without one,
 *    NOT_FOUND for a message id the protocol does not define; the
 *    channel's address is its offset in the agent's shared-memory region
 *    (high word 0). PROTOCOL_MESSAGE_ATTRIBUTES sets bit 0 (fast channel)
 *    for those four messages when a domain offers them;
 *  - extended names (PERF_DOMAIN_NAME_GET) are offered for every domain
 *    when a 68-byte reply fits max_msg_size.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <scmi/wire.h>

#include "../emit.h"
#include "../protocols.h"
#include "../topology.h"
#include "common.h"
#include "perf-fc.h"

#define PERF_VERSION SCMI_VERSION(3, 0)
#define PERF_POWER_MW (1u << 16)

#define PERF_ATTR_SET_LIMITS (1u << 31)
#define PERF_ATTR_SET_LEVEL (1u << 30)
#define PERF_ATTR_NOTIFY_LIMITS (1u << 29)
#define PERF_ATTR_NOTIFY_LEVEL (1u << 28)
#define PERF_ATTR_FAST_CHANNELS (1u << 27)
#define PERF_ATTR_EXT_NAME (1u << 26)
#define PERF_RATE_LIMIT_MASK 0xFFFFFu

#define PERF_SHORT_NAME_SZ 16
#define PERF_LEVEL_ENTRY_SZ 12
#define PERF_MAX_LEVELS_PER_PAGE 10   /* v1-v3 in a 128-byte page */

#define PERF_DESCRIBE_FC_SZ 44   /* its return values after the status */
#define PERF_MSG_ATTR_FAST_CHANNEL (1u << 0)
#define PERF_FC_DOORBELL (1u << 0)
#define PERF_FC_DOORBELL_32 (2u << 1)

#define PERF_EVT_LIMITS_CHANGED 0x0
#define PERF_EVT_LEVEL_CHANGED 0x1

enum perf_cmd {
	PERF_DOMAIN_ATTRIBUTES = 0x3,
	PERF_DESCRIBE_LEVELS = 0x4,
	PERF_LIMITS_SET = 0x5,
	PERF_LIMITS_GET = 0x6,
	PERF_LEVEL_SET = 0x7,
	PERF_LEVEL_GET = 0x8,
	PERF_NOTIFY_LIMITS = 0x9,
	PERF_NOTIFY_LEVEL = 0xA,
	PERF_DESCRIBE_FASTCHANNEL = 0xB,
	PERF_DOMAIN_NAME_GET = 0xC,
};

/* The domain the first word of @req names (SIM_DOM_W0: one there is). */
static struct sim_perf_domain *domain_of(const uint8_t *req)
{
	return &sim_topo()->perf[scmi_get_le32(req)];
}

static bool is_level(const struct sim_perf_domain *d, uint32_t perf)
{
	for (unsigned int i = 0; i < d->num_levels; i++)
		if (d->levels[i].perf == perf)
			return true;
	return false;
}

/* ---- state changes, shared by commands and control -------------------- */

static void emit_limits(uint32_t agent_id, uint32_t dom_id,
			const struct sim_perf_domain *d)
{
	uint8_t payld[16];

	scmi_put_le32(payld, agent_id);
	scmi_put_le32(payld + 4, dom_id);
	scmi_put_le32(payld + 8, d->range_max);
	scmi_put_le32(payld + 12, d->range_min);
	sim_emit(SCMI_PROTOCOL_PERF, PERF_EVT_LIMITS_CHANGED, dom_id, payld,
		 sizeof(payld));
}

static void emit_level(uint32_t agent_id, uint32_t dom_id,
		       const struct sim_perf_domain *d)
{
	uint8_t payld[12];

	scmi_put_le32(payld, agent_id);
	scmi_put_le32(payld + 4, dom_id);
	scmi_put_le32(payld + 8, d->level);
	sim_emit(SCMI_PROTOCOL_PERF, PERF_EVT_LEVEL_CHANGED, dom_id, payld,
		 sizeof(payld));
}

/* Set the level (checked) and emit if it changed. An SCMI status. */
static int32_t level_set(uint32_t agent_id, uint32_t dom_id,
			 struct sim_perf_domain *d, uint32_t level)
{
	if (!is_level(d, level) || level < d->range_min || level > d->range_max)
		return SCMI_ERR_RANGE;
	if (level != d->level) {
		d->level = level;
		sim_perf_fc_publish(dom_id, d);
		emit_level(agent_id, dom_id, d);
	}
	return SCMI_SUCCESS;
}

/*
 * Set the limits (checked), move the level into them, and emit what
 * changed: the limits first, then the level. An SCMI status.
 */
static int32_t limits_set(uint32_t agent_id, uint32_t dom_id,
			  struct sim_perf_domain *d, uint32_t max, uint32_t min)
{
	uint32_t lowest, highest, level = d->level;
	bool inside = false;

	if (!d->num_levels)
		return SCMI_ERR_RANGE;
	lowest = d->levels[0].perf;
	highest = d->levels[d->num_levels - 1].perf;
	if (max < min || min < lowest || max > highest)
		return SCMI_ERR_RANGE;
	for (unsigned int i = 0; i < d->num_levels; i++)
		inside |= d->levels[i].perf >= min && d->levels[i].perf <= max;
	if (!inside)
		return SCMI_ERR_RANGE;

	if (level > max) {
		for (unsigned int i = 0; i < d->num_levels; i++)
			if (d->levels[i].perf <= max)
				level = d->levels[i].perf;
	} else if (level < min) {
		for (unsigned int i = d->num_levels; i-- > 0;)
			if (d->levels[i].perf >= min)
				level = d->levels[i].perf;
	}

	if (max != d->range_max || min != d->range_min) {
		d->range_max = max;
		d->range_min = min;
		sim_perf_fc_publish(dom_id, d);
		emit_limits(agent_id, dom_id, d);
	}
	if (level != d->level) {
		d->level = level;
		sim_perf_fc_publish(dom_id, d);
		emit_level(agent_id, dom_id, d);
	}
	return SCMI_SUCCESS;
}

/* ---- the commands ---------------------------------------------------- */
/*
 * Each gets a payload of exactly its size, max_msg_size bytes of room (32
 * or more), and the id of a domain that exists where its row says SIM_DOM_W*
 * (the dispatch checked it).
 */

static int32_t perf_attributes(struct sim_agent *a, const uint8_t *req,
			       uint8_t *resp, size_t *resp_len)
{
	scmi_put_le32(resp, (sim_topo()->num_perf & 0xFFFFu) | PERF_POWER_MW);
	scmi_put_le32(resp + 4, 0);  /* no statistics area */
	scmi_put_le32(resp + 8, 0);
	scmi_put_le32(resp + 12, 0);
	*resp_len = 16;
	return SCMI_SUCCESS;
}

static int32_t perf_domain_attributes(struct sim_agent *a, const uint8_t *req,
				      uint8_t *resp, size_t *resp_len)
{
	const struct sim_perf_domain *d = domain_of(req);

	scmi_put_le32(resp, (d->set_limits ? PERF_ATTR_SET_LIMITS : 0) |
			    (d->set_level ? PERF_ATTR_SET_LEVEL : 0) |
			    (d->notify_limits ? PERF_ATTR_NOTIFY_LIMITS : 0) |
			    (d->notify_level ? PERF_ATTR_NOTIFY_LEVEL : 0) |
			    (d->fast_channels ? PERF_ATTR_FAST_CHANNELS : 0) |
			    (sim_ext_names() ? PERF_ATTR_EXT_NAME : 0));
	scmi_put_le32(resp + 4, d->rate_limit_us & PERF_RATE_LIMIT_MASK);
	scmi_put_le32(resp + 8, d->sustained_freq_khz);
	scmi_put_le32(resp + 12, d->sustained_perf);
	sim_put_name(resp + 16, PERF_SHORT_NAME_SZ, d->name);
	*resp_len = 16 + PERF_SHORT_NAME_SZ;
	return SCMI_SUCCESS;
}

/*
 * +0 domain, +4 first level wanted. Reply +0 bits 11:0 returned, 31:16
 * remaining, then 12-byte entries: perf, power, latency (bits 15:0).
 */
static int32_t perf_describe_levels(struct sim_agent *a, const uint8_t *req,
				    uint8_t *resp, size_t *resp_len)
{
	const struct sim_perf_domain *d = domain_of(req);
	uint32_t first = scmi_get_le32(req + 4);
	size_t per_page = (*resp_len - 4) / PERF_LEVEL_ENTRY_SZ;
	size_t num;

	if (first >= d->num_levels)
		return SCMI_ERR_PARAMS;
	if (per_page > PERF_MAX_LEVELS_PER_PAGE)
		per_page = PERF_MAX_LEVELS_PER_PAGE;
	num = d->num_levels - first;
	if (num > per_page)
		num = per_page;
	scmi_put_le32(resp, (uint32_t)num |
			    (uint32_t)(d->num_levels - first - num) << 16);
	for (size_t i = 0; i < num; i++) {
		const struct sim_perf_level *l = &d->levels[first + i];
		uint8_t *e = resp + 4 + i * PERF_LEVEL_ENTRY_SZ;

		scmi_put_le32(e, l->perf);
		scmi_put_le32(e + 4, l->power);
		scmi_put_le32(e + 8, l->latency_us & 0xFFFFu);
	}
	*resp_len = 4 + num * PERF_LEVEL_ENTRY_SZ;
	return SCMI_SUCCESS;
}

static int32_t perf_limits_set(struct sim_agent *a, const uint8_t *req,
			       uint8_t *resp, size_t *resp_len)
{
	*resp_len = 0;
	return sim_perf_fc_limits_set(sim_agent_id(a), scmi_get_le32(req),
				      scmi_get_le32(req + 4),
				      scmi_get_le32(req + 8));
}

static int32_t perf_limits_get(struct sim_agent *a, const uint8_t *req,
			       uint8_t *resp, size_t *resp_len)
{
	const struct sim_perf_domain *d = domain_of(req);

	scmi_put_le32(resp, d->range_max);
	scmi_put_le32(resp + 4, d->range_min);
	*resp_len = 8;
	return SCMI_SUCCESS;
}

static int32_t perf_level_set(struct sim_agent *a, const uint8_t *req,
			      uint8_t *resp, size_t *resp_len)
{
	*resp_len = 0;
	return sim_perf_fc_level_set(sim_agent_id(a), scmi_get_le32(req),
				     scmi_get_le32(req + 4));
}

static int32_t perf_level_get(struct sim_agent *a, const uint8_t *req,
			      uint8_t *resp, size_t *resp_len)
{
	scmi_put_le32(resp, domain_of(req)->level);
	*resp_len = 4;
	return SCMI_SUCCESS;
}

static int32_t perf_notify(struct sim_agent *a, const uint8_t *req,
			   size_t *resp_len, uint8_t evt_id)
{
	const struct sim_perf_domain *d = domain_of(req);

	return sim_notify_cmd(a, SCMI_PROTOCOL_PERF, evt_id, scmi_get_le32(req),
			      scmi_get_le32(req + 4),
			      evt_id == PERF_EVT_LIMITS_CHANGED ? d->notify_limits :
								  d->notify_level,
			      resp_len);
}

static int32_t perf_notify_limits(struct sim_agent *a, const uint8_t *req,
				  uint8_t *resp, size_t *resp_len)
{
	return perf_notify(a, req, resp_len, PERF_EVT_LIMITS_CHANGED);
}

static int32_t perf_notify_level(struct sim_agent *a, const uint8_t *req,
				 uint8_t *resp, size_t *resp_len)
{
	return perf_notify(a, req, resp_len, PERF_EVT_LEVEL_CHANGED);
}

/*
 * +0 domain, +4 message id. Reply: +0 attributes (bit 0 doorbell, bits
 * 2:1 its width: 2, 32 bits), +4 rate limit, +8/+12 the channel's offset
 * in the region, +16 its size, +20/+24 the doorbell's offset, +28/+32
 * its set mask (1), +36/+40 its preserve mask (0); the doorbell's fields
 * 0 when it has none.
 */
static int32_t perf_describe_fastchannel(struct sim_agent *a,
					 const uint8_t *req, uint8_t *resp,
					 size_t *resp_len)
{
	uint32_t msg_id = scmi_get_le32(req + 4);
	struct sim_perf_fc_desc desc;

	if (msg_id > PERF_DOMAIN_NAME_GET)
		return SCMI_ERR_ENTRY;
	if (sim_perf_fc_describe(a, scmi_get_le32(req), (uint8_t)msg_id,
				 &desc))
		return SCMI_ERR_SUPPORT;
	memset(resp, 0, PERF_DESCRIBE_FC_SZ);
	scmi_put_le32(resp + 4, SIM_PERF_FC_POLL_US & PERF_RATE_LIMIT_MASK);
	scmi_put_le32(resp + 8, desc.off);
	scmi_put_le32(resp + 16, desc.size);
	if (desc.db_off) {
		scmi_put_le32(resp, PERF_FC_DOORBELL | PERF_FC_DOORBELL_32);
		scmi_put_le32(resp + 20, desc.db_off);
		scmi_put_le32(resp + 28, 1);
	}
	*resp_len = PERF_DESCRIBE_FC_SZ;
	return SCMI_SUCCESS;
}

static int32_t perf_domain_name_get(struct sim_agent *a, const uint8_t *req,
				    uint8_t *resp, size_t *resp_len)
{
	return sim_name_get(domain_of(req)->name, resp, resp_len);
}

static const struct sim_msg perf_msgs[] = {
	{ PERF_DOMAIN_ATTRIBUTES, 4, perf_domain_attributes, 0, SIM_DOM_W0 },
	{ PERF_DESCRIBE_LEVELS, 8, perf_describe_levels, 0, SIM_DOM_W0 },
	{ PERF_LIMITS_SET, 12, perf_limits_set, 0, SIM_DOM_W0 },
	{ PERF_LIMITS_GET, 4, perf_limits_get, 0, SIM_DOM_W0 },
	{ PERF_LEVEL_SET, 8, perf_level_set, 0, SIM_DOM_W0 },
	{ PERF_LEVEL_GET, 4, perf_level_get, 0, SIM_DOM_W0 },
	{ PERF_NOTIFY_LIMITS, 8, perf_notify_limits, 0, SIM_DOM_W0 },
	{ PERF_NOTIFY_LEVEL, 8, perf_notify_level, 0, SIM_DOM_W0 },
	{ PERF_DESCRIBE_FASTCHANNEL, 8, perf_describe_fastchannel,
	  PERF_DESCRIBE_FC_SZ, SIM_DOM_W0 },
	{ PERF_DOMAIN_NAME_GET, 4, perf_domain_name_get, 0, SIM_DOM_W0 },
};

/* Bit 0: a fast channel for the message, when a domain offers them. */
static int32_t perf_msg_attributes(uint32_t msg_id, uint32_t *attr)
{
	if (msg_id >= PERF_LIMITS_SET && msg_id <= PERF_LEVEL_GET &&
	    sim_perf_fc_size())
		*attr = PERF_MSG_ATTR_FAST_CHANNEL;
	return SCMI_SUCCESS;
}

SIM_PROTOCOL(perf, PERF_VERSION, SIM_NUM(num_perf), perf_attributes,
	     perf_msgs, perf_msg_attributes)

/* ---- fast channels (perf-fc.h) ----------------------------------------- */

int32_t sim_perf_fc_level_set(uint32_t agent_id, uint32_t dom_id,
			      uint32_t level)
{
	struct sim_perf_domain *d = &sim_topo()->perf[dom_id];

	if (!d->set_level)
		return SCMI_ERR_ACCESS;
	return level_set(agent_id, dom_id, d, level);
}

int32_t sim_perf_fc_limits_set(uint32_t agent_id, uint32_t dom_id,
			       uint32_t max, uint32_t min)
{
	struct sim_perf_domain *d = &sim_topo()->perf[dom_id];

	if (!d->set_limits)
		return SCMI_ERR_ACCESS;
	return limits_set(agent_id, dom_id, d, max, min);
}

/* ---- control --------------------------------------------------------- */

static const char perf_usage[] =
	"perf level <domain> <level> | perf limits <domain> <max> <min> | "
	"perf get <domain> | perf fc <domain>";

/*
 *   level <domain> <level>        set the level (any domain)
 *   limits <domain> <max> <min>   set the limits (any domain)
 *   get <domain>                  "level L max M min m"
 *   fc <domain>                   "applied A ignored I rung R late L":
 *                                 the agents' fast-channel writes,
 *                                 doorbells, and writes the timer found
 *                                 (perf-fc.h)
 * Changes are the platform's own: agent_id 0 in the events.
 */
int sim_perf_control(int argc, char **argv, char *out, size_t out_sz)
{
	static const struct sim_ctl_verb verbs[] = {
		{ "level", 1, false, 0, UINT32_MAX },
		{ "limits", 2, false, 0, UINT32_MAX },
		{ "get", 0, false, 0, 0 },
		{ "fc", 0, false, 0, 0 },
	};
	struct sim_topology *t = sim_topo();
	struct sim_perf_domain *d;
	int64_t v[2];
	uint32_t id;
	int verb;

	verb = sim_ctl_parse(argc, argv, SIM_MSGS(verbs), "perf", perf_usage,
			     t->num_perf, &id, v, out, out_sz);
	if (verb < 0)
		return verb;
	d = &t->perf[id];
	if (verb == 3) {
		struct sim_perf_fc_counts c;

		sim_perf_fc_counts(id, &c);
		snprintf(out, out_sz,
			 "applied %" PRIu64 " ignored %" PRIu64 " rung %" PRIu64
			 " late %" PRIu64, c.applied, c.refused, c.rung, c.late);
		return 0;
	}
	if (verb == 0 && level_set(0, id, d, (uint32_t)v[0])) {
		snprintf(out, out_sz,
			 "level %u is not a level of domain %u within [%u, %u]",
			 (uint32_t)v[0], id, d->range_min, d->range_max);
		return -ERANGE;
	}
	if (verb == 1 && limits_set(0, id, d, (uint32_t)v[0], (uint32_t)v[1])) {
		snprintf(out, out_sz,
			 "limits max %u min %u out of range for domain %u",
			 (uint32_t)v[0], (uint32_t)v[1], id);
		return -ERANGE;
	}
	snprintf(out, out_sz, "level %u max %u min %u", d->level, d->range_max,
		 d->range_min);
	return 0;
}
