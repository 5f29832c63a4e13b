/* SPDX-License-Identifier: MIT */
/*
 * The Voltage domain protocol (0x17), version 2.0, over the voltage
 * domains of the topology: discovery, levels (a discrete list, paged to
 * max_msg_size, or the segment {low, high, step}), config and level. No
 * notifications. See SCMI-REFERENCE.md 6.8.
 *
 * Rules of this platform:
 *  - a level must be one of the list, or within the segment and on its
 *    step; anything else is INVALID_PARAMETERS (a level the domain cannot
 *    take, as the reference platform answers);
 *  - VOLTAGE_DESCRIBE_LEVELS from a level_index at or beyond the number
 *    of levels (a segment: any index but 0) is OUT_OF_RANGE;
 *  - VOLTAGE_LEVEL_SET with flags bit 0 (async): NOT_SUPPORTED on a
 *    domain whose topology does not say async (attribute bit 31 clear);
 *    else checked as a synchronous set (same errors); BUSY while another
 *    async set of the domain is pending, or when the agent is owed
 *    SIM_MAX_ASYNC_PER_AGENT delayed responses; else SUCCESS at once, and
 *    --async-delay later (delayed.h) the level is set and the delayed
 *    response sent: type 2, message id 0x7, the command's token; payload
 *    status, domain_id, level (s32, uV);
 *  - config: 0x0 off, 0x7 on, 0x8-0xF implementation defined; 0x1-0x6
 *    and bits 31:4 are INVALID_PARAMETERS;
 *  - extended names (VOLTAGE_DOMAIN_NAME_GET) are offered for every
 *    domain when a 68-byte reply fits max_msg_size.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <scmi/wire.h>

#include "../delayed.h"
#include "../log.h"
#include "../protocols.h"
#include "../topology.h"
#include "common.h"

#define VOLT_VERSION SCMI_VERSION(2, 0)

#define VOLT_ATTR_ASYNC (1u << 31)
#define VOLT_ATTR_EXT_NAME (1u << 30)
#define VOLT_LEVELS_SEGMENTED (1u << 12)
#define VOLT_LEVEL_SET_ASYNC (1u << 0)

#define VOLT_SHORT_NAME_SZ 16
#define VOLT_MAX_PER_PAGE 0xFFFu  /* bits 11:0 of the count */

#define VOLT_CONFIG_MODE_MASK 0xFu
#define VOLT_CONFIG_OFF 0x0u
#define VOLT_CONFIG_ON 0x7u
#define VOLT_CONFIG_IMPL (1u << 3) /* 0x8-0xF: implementation defined */

enum voltage_cmd {
	VOLTAGE_DOMAIN_ATTRIBUTES = 0x3,
	VOLTAGE_DESCRIBE_LEVELS = 0x4,
	VOLTAGE_CONFIG_SET = 0x5,
	VOLTAGE_CONFIG_GET = 0x6,
	VOLTAGE_LEVEL_SET = 0x7,
	VOLTAGE_LEVEL_GET = 0x8,
	VOLTAGE_DOMAIN_NAME_GET = 0x9,
};

/* An asynchronous VOLTAGE_LEVEL_SET accepted and not done yet. */
struct pending_set {
	struct sim_delayed d;
	uint32_t domain_id;
	int32_t level_uv;
};

static struct pending_set pending[SIM_MAX_DOMAINS];

static struct sim_voltage_domain *domain_of(const uint8_t *req)
{
	struct sim_topology *t = sim_topo();
	uint32_t id = scmi_get_le32(req);

	return id < t->num_voltage ? &t->voltage[id] : NULL;
}

static bool level_ok(const struct sim_voltage_domain *d, int32_t uv)
{
	if (d->is_range) {
		int64_t low = d->levels_uv[0], high = d->levels_uv[1];
		int64_t step = d->levels_uv[2];

		if (d->num_levels != 3 || uv < low || uv > high)
			return false;
		return step <= 0 ? uv == low : ((int64_t)uv - low) % step == 0;
	}
	for (unsigned int i = 0; i < d->num_levels; i++)
		if (d->levels_uv[i] == uv)
			return true;
	return false;
}

static bool config_ok(uint32_t config)
{
	if (config & ~VOLT_CONFIG_MODE_MASK)
		return false;
	return config == VOLT_CONFIG_OFF || config == VOLT_CONFIG_ON ||
	       (config & VOLT_CONFIG_IMPL);
}

/* An async level set's time has come: set it, send the delayed response. */
static void on_pending(struct sim_delayed *d)
{
	struct pending_set *ps = sim_delayed_owner(d, struct pending_set, d);
	uint8_t ret[8];

	sim_topo()->voltage[ps->domain_id].level_uv = ps->level_uv;
	sim_log(SIM_LOG_INFO, "voltage domain %u: level %d uV (agent %u, async)",
		ps->domain_id, ps->level_uv, d->agent_id);
	scmi_put_le32(ret, ps->domain_id);
	scmi_put_le32(ret + 4, (uint32_t)ps->level_uv);
	sim_delayed_send(d, SCMI_SUCCESS, ret, sizeof(ret));
}

/* ---- the commands ---------------------------------------------------- */
/*
 * Each gets a payload of exactly its size, max_msg_size bytes of room (32
 * or more), and the id of a domain that exists where its row says SIM_DOM_W*
 * (the dispatch checked it).
 */

static int32_t volt_attributes(struct sim_agent *a, const uint8_t *req,
			       uint8_t *resp, size_t *resp_len)
{
	scmi_put_le32(resp, sim_topo()->num_voltage & 0xFFFFu);
	*resp_len = 4;
	return SCMI_SUCCESS;
}

static int32_t volt_domain_attributes(struct sim_agent *a, const uint8_t *req,
				      uint8_t *resp, size_t *resp_len)
{
	const struct sim_voltage_domain *d = domain_of(req);

	scmi_put_le32(resp, (sim_ext_names() ? VOLT_ATTR_EXT_NAME : 0) |
			    (d->async ? VOLT_ATTR_ASYNC : 0));
	sim_put_name(resp + 4, VOLT_SHORT_NAME_SZ, d->name);
	*resp_len = 4 + VOLT_SHORT_NAME_SZ;
	return SCMI_SUCCESS;
}

/*
 * +0 domain, +4 first level wanted. Reply +0 bits 11:0 returned, bit 12
 * segmented, bits 31:16 remaining, then s32 levels. A segment is sent
 * whole, for a first level of 0 only. Beyond the levels: OUT_OF_RANGE.
 */
static int32_t volt_describe_levels(struct sim_agent *a, const uint8_t *req,
				    uint8_t *resp, size_t *resp_len)
{
	const struct sim_voltage_domain *d = domain_of(req);
	uint32_t first = scmi_get_le32(req + 4);
	size_t per_page = (*resp_len - 4) / 4;
	size_t num;

	if (d->is_range) {
		if (first != 0)
			return SCMI_ERR_RANGE;
		scmi_put_le32(resp, 3 | VOLT_LEVELS_SEGMENTED);
		for (unsigned int i = 0; i < 3; i++)
			scmi_put_le32(resp + 4 + 4 * i,
				      (uint32_t)d->levels_uv[i]);
		*resp_len = 4 + 3 * 4;
		return SCMI_SUCCESS;
	}
	if (first >= d->num_levels)
		return SCMI_ERR_RANGE;
	if (per_page > VOLT_MAX_PER_PAGE)
		per_page = VOLT_MAX_PER_PAGE;
	num = d->num_levels - first;
	if (num > per_page)
		num = per_page;
	scmi_put_le32(resp, (uint32_t)num |
			    (uint32_t)(d->num_levels - first - num) << 16);
	for (size_t i = 0; i < num; i++)
		scmi_put_le32(resp + 4 + 4 * i,
			      (uint32_t)d->levels_uv[first + i]);
	*resp_len = 4 + 4 * num;
	return SCMI_SUCCESS;
}

static int32_t volt_config_set(struct sim_agent *a, const uint8_t *req,
			       uint8_t *resp, size_t *resp_len)
{
	struct sim_voltage_domain *d = domain_of(req);
	uint32_t config = scmi_get_le32(req + 4);

	if (!config_ok(config))
		return SCMI_ERR_PARAMS;
	d->config = config;
	*resp_len = 0;
	return SCMI_SUCCESS;
}

static int32_t volt_config_get(struct sim_agent *a, const uint8_t *req,
			       uint8_t *resp, size_t *resp_len)
{
	const struct sim_voltage_domain *d = domain_of(req);

	scmi_put_le32(resp, d->config);
	*resp_len = 4;
	return SCMI_SUCCESS;
}

/* +0 domain, +4 flags (bit 0 async), +8 s32 level. */
static int32_t volt_level_set(struct sim_agent *a, const uint8_t *req,
			      uint8_t *resp, size_t *resp_len)
{
	uint32_t id = scmi_get_le32(req);
	struct sim_voltage_domain *d = domain_of(req);
	uint32_t flags = scmi_get_le32(req + 4);
	int32_t uv = (int32_t)scmi_get_le32(req + 8);
	struct pending_set *ps;

	if (flags & ~VOLT_LEVEL_SET_ASYNC)
		return SCMI_ERR_PARAMS;
	if ((flags & VOLT_LEVEL_SET_ASYNC) && !d->async)
		return SCMI_ERR_SUPPORT;
	if (!level_ok(d, uv))
		return SCMI_ERR_PARAMS;
	*resp_len = 0;
	if (!(flags & VOLT_LEVEL_SET_ASYNC)) {
		d->level_uv = uv;
		return SCMI_SUCCESS;
	}
	/* done from a timer: the response goes out first */
	ps = &pending[id];
	if (sim_delayed_begin(a, &ps->d) < 0)
		return SCMI_ERR_BUSY; /* one at a time per domain, 16 per agent */
	ps->domain_id = id;
	ps->level_uv = uv;
	sim_delayed_start(&ps->d, 0, on_pending);
	return SCMI_SUCCESS;
}

static int32_t volt_level_get(struct sim_agent *a, const uint8_t *req,
			      uint8_t *resp, size_t *resp_len)
{
	const struct sim_voltage_domain *d = domain_of(req);

	scmi_put_le32(resp, (uint32_t)d->level_uv);
	*resp_len = 4;
	return SCMI_SUCCESS;
}

static int32_t volt_domain_name_get(struct sim_agent *a, const uint8_t *req,
				    uint8_t *resp, size_t *resp_len)
{
	const struct sim_voltage_domain *d = domain_of(req);

	return sim_name_get(d->name, resp, resp_len);
}

static const struct sim_msg volt_msgs[] = {
	{ VOLTAGE_DOMAIN_ATTRIBUTES, 4, volt_domain_attributes, 0, SIM_DOM_W0 },
	{ VOLTAGE_DESCRIBE_LEVELS, 8, volt_describe_levels, 0, SIM_DOM_W0 },
	{ VOLTAGE_CONFIG_SET, 8, volt_config_set, 0, SIM_DOM_W0 },
	{ VOLTAGE_CONFIG_GET, 4, volt_config_get, 0, SIM_DOM_W0 },
	{ VOLTAGE_LEVEL_SET, 12, volt_level_set, 0, SIM_DOM_W0 },
	{ VOLTAGE_LEVEL_GET, 4, volt_level_get, 0, SIM_DOM_W0 },
	{ VOLTAGE_DOMAIN_NAME_GET, 4, volt_domain_name_get, 0, SIM_DOM_W0 },
};

SIM_PROTOCOL(voltage, VOLT_VERSION, SIM_NUM(num_voltage), volt_attributes,
	     volt_msgs, NULL)

/* ---- control --------------------------------------------------------- */

static const char volt_usage[] =
	"voltage level <domain> <uV> | voltage config <domain> <config> | "
	"voltage get <domain>";

/*
 *   level <domain> <uV>        set the level (checked as for agents)
 *   config <domain> <config>   set the config word (checked as for agents)
 *   get <domain>               "level L config C"
 */
int sim_voltage_control(int argc, char **argv, char *out, size_t out_sz)
{
	static const struct sim_ctl_verb verbs[] = {
		{ "level", 1, true, INT32_MIN, INT32_MAX },
		{ "config", 1, true, 0, UINT32_MAX },
		{ "get", 0, false, 0, 0 },
	};
	struct sim_topology *t = sim_topo();
	struct sim_voltage_domain *d;
	int64_t v[2];
	uint32_t id;
	int verb;

	verb = sim_ctl_parse(argc, argv, SIM_MSGS(verbs), "voltage", volt_usage,
			     t->num_voltage, &id, v, out, out_sz);
	if (verb < 0)
		return verb;
	d = &t->voltage[id];
	if (verb == 0) {
		if (!level_ok(d, (int32_t)v[0])) {
			snprintf(out, out_sz,
				 "%" PRId64 " uV is not a level of voltage domain %" PRIu32,
				 v[0], id);
			return -ERANGE;
		}
		d->level_uv = (int32_t)v[0];
	} else if (verb == 1) {
		if (!config_ok((uint32_t)v[0])) {
			snprintf(out, out_sz, "config 0x%" PRIx64 " is reserved", v[0]);
			return -EINVAL;
		}
		d->config = (uint32_t)v[0];
	}
	snprintf(out, out_sz, "level %d config 0x%x", d->level_uv, d->config);
	return 0;
}
