/* SPDX-License-Identifier: MIT */
/*
 * The Powercap protocol (0x18), version 2.0, over the powercap domains of
 * the topology. See SCMI-REFERENCE.md 6.9.
 *
 * What the platform says about its domains (POWERCAP_DOMAIN_ATTRIBUTES):
 * the notification, async, configurability bits of the topology; every
 * domain has monitoring (MEASUREMENTS_GET), the extended-name bit
 * (POWERCAP_DOMAIN_NAME_GET answers for all) when a 68-byte reply fits
 * max_msg_size, power in mW, no fast channels
 * (POWERCAP_DESCRIBE_FASTCHANNEL is NOT_SUPPORTED). The default topology
 * is consistent by Linux 6.6's rules (a fixed cap or PAI has min == max; a
 * configurable one min != max and a step).
 *
 * A reply that does not fit max_msg_size is never cut short: the command
 * is NOT_SUPPORTED, as the other protocols answer (POWERCAP_DOMAIN_NAME_GET
 * below 68 bytes; POWERCAP_DOMAIN_ATTRIBUTES, 56 bytes, below that, which
 * leaves an agent nothing to discover the domains with).
 *
 * POWERCAP_CAP_SET:
 *   reserved flag bits: INVALID_PARAMETERS; cap not configurable: DENIED;
 *   async flag (bit 1) on a domain without async support: NOT_SUPPORTED;
 *   0 disables capping (v2); otherwise outside [min, max] or off the
 *   step: OUT_OF_RANGE.
 *   Async with "ignore delayed response" (bits 1 and 0) is done at once
 *   and answered like a synchronous request. Async alone: BUSY while
 *   another async set of the domain is pending, or when the agent is owed
 *   SIM_MAX_ASYNC_PER_AGENT delayed responses; else SUCCESS at once, and
 *   --async-delay later (delayed.h) the cap is set (CAP_CHANGED as
 *   below) and the delayed response sent: type 2, message id 0x5, the
 *   command's token; payload status, domain_id, power_cap.
 * POWERCAP_PAI_SET: reserved flags: INVALID_PARAMETERS; PAI not
 *   configurable: DENIED; outside [min, max] or off the step: OUT_OF_RANGE.
 *
 * Events:
 *   POWERCAP_CAP_CHANGED (16 bytes: agent, domain, cap, pai) when the cap
 *   or the PAI changes: an agent's CAP_SET or PAI_SET (agent_id = that
 *   agent), or "powercap cap" / "powercap pai" (agent_id 0). Setting the
 *   value it already has changes nothing and emits nothing.
 *   POWERCAP_MEASUREMENTS_CHANGED (12 bytes: agent, domain, power) when
 *   "powercap measure" changes the power: sent to each subscribed agent
 *   for which the new power is outside the [low, high] thresholds that
 *   agent gave in its last POWERCAP_MEASUREMENTS_NOTIFY enable (low above
 *   high is INVALID_PARAMETERS). Every such change is sent, not only the
 *   first one out of the band. agent_id is 0 (the platform measured it).
 */
#include <errno.h>
#include <stddef.h>
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

#define POWERCAP_VERSION SCMI_VERSION(2, 0)
#define SHORT_NAME_SZ 16
#define DOM_ATTR_SZ 56

#define POWERCAP_CAP_CHANGED 0x0
#define POWERCAP_MEASUREMENTS_CHANGED 0x1

/* attributes */
#define ATTR_NOTIFY_CAP (1u << 31)
#define ATTR_NOTIFY_MEAS (1u << 30)
#define ATTR_ASYNC_CAP_SET (1u << 29)
#define ATTR_EXT_NAME (1u << 28)
#define ATTR_CAP_CONFIG (1u << 27)
#define ATTR_MONITORING (1u << 26)
#define ATTR_PAI_CONFIG (1u << 25)
#define ATTR_UNIT_MW (2u << 23)

/* POWERCAP_CAP_SET flags */
#define CAP_SET_ASYNC (1u << 1)
#define CAP_SET_IGNORE_DRESP (1u << 0)

enum powercap_cmd {
	POWERCAP_DOMAIN_ATTRIBUTES = 0x3,
	POWERCAP_CAP_GET = 0x4,
	POWERCAP_CAP_SET = 0x5,
	POWERCAP_PAI_GET = 0x6,
	POWERCAP_PAI_SET = 0x7,
	POWERCAP_DOMAIN_NAME_GET = 0x8,
	POWERCAP_MEASUREMENTS_GET = 0x9,
	POWERCAP_CAP_NOTIFY = 0xA,
	POWERCAP_MEASUREMENTS_NOTIFY = 0xB,
	POWERCAP_DESCRIBE_FASTCHANNEL = 0xC,
};

/* An asynchronous POWERCAP_CAP_SET accepted and not done yet. */
struct pending_set {
	struct sim_delayed d;
	uint32_t domain_id;
	uint32_t cap;
};

static struct pending_set pending[SIM_MAX_DOMAINS];

/* Each agent's measurement thresholds, by agent id and domain. */
static struct {
	uint32_t low, high;
} thresholds[256][SIM_MAX_DOMAINS];

static struct sim_powercap_domain *domain_get(uint32_t id)
{
	struct sim_topology *t = sim_topo();

	return id < t->num_powercap ? &t->powercap[id] : NULL;
}

/* @v in [min, max] and on a step from min (a step of 0: only min). */
static bool in_range(uint32_t v, uint32_t min, uint32_t max, uint32_t step)
{
	if (v < min || v > max)
		return false;
	return step ? (v - min) % step == 0 : v == min;
}

/* ---- events ---------------------------------------------------------- */

static void emit_cap_changed(uint32_t agent_id, uint32_t id)
{
	const struct sim_powercap_domain *d = domain_get(id);
	uint8_t payld[16];

	scmi_put_le32(payld, agent_id);
	scmi_put_le32(payld + 4, id);
	scmi_put_le32(payld + 8, d->cap);
	scmi_put_le32(payld + 12, d->pai);
	sim_emit(SCMI_PROTOCOL_POWERCAP, POWERCAP_CAP_CHANGED, id, payld,
		 sizeof(payld));
}

/* The cap of @id becomes @cap (0: disabled); emits if it changed. */
static void set_cap(uint32_t agent_id, uint32_t id, uint32_t cap)
{
	struct sim_powercap_domain *d = domain_get(id);

	if (d->cap == cap)
		return;
	d->cap = cap;
	sim_log(SIM_LOG_INFO, "powercap %u: cap %u (agent %u)", id, cap,
		agent_id);
	emit_cap_changed(agent_id, id);
}

static void set_pai(uint32_t agent_id, uint32_t id, uint32_t pai)
{
	struct sim_powercap_domain *d = domain_get(id);

	if (d->pai == pai)
		return;
	d->pai = pai;
	sim_log(SIM_LOG_INFO, "powercap %u: pai %u (agent %u)", id, pai,
		agent_id);
	emit_cap_changed(agent_id, id);
}

/* A measurement of a domain, for outside_band(). */
struct measurement {
	uint32_t id, power;
};

/* Whether agent @agent_id's thresholds on the domain leave out the power. */
static bool outside_band(uint32_t agent_id, void *ctx)
{
	const struct measurement *m = ctx;

	return m->power < thresholds[agent_id][m->id].low ||
	       m->power > thresholds[agent_id][m->id].high;
}

/* The power of @id becomes @power: each agent whose band it leaves hears. */
static void set_power(uint32_t id, uint32_t power)
{
	struct sim_powercap_domain *d = domain_get(id);
	struct measurement m = { id, power };
	uint8_t payld[12];

	if (d->power == power)
		return;
	d->power = power;
	scmi_put_le32(payld, 0); /* the platform */
	scmi_put_le32(payld + 4, id);
	scmi_put_le32(payld + 8, power);
	sim_emit_if(SCMI_PROTOCOL_POWERCAP, POWERCAP_MEASUREMENTS_CHANGED, id,
		    payld, sizeof(payld), outside_band, &m);
}

/* An async cap set's time has come: set it, send the delayed response. */
static void on_pending(struct sim_delayed *d)
{
	struct pending_set *ps = sim_delayed_owner(d, struct pending_set, d);
	uint8_t ret[8];

	set_cap(d->agent_id, ps->domain_id, ps->cap);
	scmi_put_le32(ret, ps->domain_id);
	scmi_put_le32(ret + 4, ps->cap);
	sim_delayed_send(d, SCMI_SUCCESS, ret, sizeof(ret));
}

/* ---- the commands ---------------------------------------------------- */
/*
 * Each gets a payload of exactly its size, max_msg_size bytes of room (32
 * or more), and the id of a domain that exists where its row says SIM_DOM_W*
 * (the dispatch checked it).
 */

static int32_t powercap_attributes(struct sim_agent *a, const uint8_t *req,
				   uint8_t *resp, size_t *resp_len)
{
	scmi_put_le32(resp, sim_topo()->num_powercap & 0xFFFFu);
	*resp_len = 4;
	return SCMI_SUCCESS;
}

static int32_t powercap_domain_attributes(struct sim_agent *a,
					  const uint8_t *req, uint8_t *resp,
					  size_t *resp_len)
{
	const struct sim_powercap_domain *d = domain_get(scmi_get_le32(req));
	uint32_t attr = ATTR_MONITORING | ATTR_UNIT_MW;

	if (sim_ext_names())
		attr |= ATTR_EXT_NAME;
	if (d->notify_cap)
		attr |= ATTR_NOTIFY_CAP;
	if (d->notify_meas)
		attr |= ATTR_NOTIFY_MEAS;
	if (d->async_cap)
		attr |= ATTR_ASYNC_CAP_SET;
	if (d->cap_config)
		attr |= ATTR_CAP_CONFIG;
	if (d->pai_config)
		attr |= ATTR_PAI_CONFIG;
	scmi_put_le32(resp, attr);
	sim_put_name(resp + 4, SHORT_NAME_SZ, d->name);
	scmi_put_le32(resp + 20, d->min_pai);
	scmi_put_le32(resp + 24, d->max_pai);
	scmi_put_le32(resp + 28, d->pai_step);
	scmi_put_le32(resp + 32, d->min_cap);
	scmi_put_le32(resp + 36, d->max_cap);
	scmi_put_le32(resp + 40, d->cap_step);
	scmi_put_le32(resp + 44, d->sustainable_power);
	scmi_put_le32(resp + 48, d->accuracy);
	scmi_put_le32(resp + 52, d->parent_id);
	*resp_len = DOM_ATTR_SZ;
	return SCMI_SUCCESS;
}

static int32_t powercap_cap_get(struct sim_agent *a, const uint8_t *req,
				uint8_t *resp, size_t *resp_len)
{
	const struct sim_powercap_domain *d = domain_get(scmi_get_le32(req));

	scmi_put_le32(resp, d->cap);
	*resp_len = 4;
	return SCMI_SUCCESS;
}

static int32_t powercap_cap_set(struct sim_agent *a, const uint8_t *req,
				uint8_t *resp, size_t *resp_len)
{
	uint32_t id = scmi_get_le32(req), flags = scmi_get_le32(req + 4);
	uint32_t cap = scmi_get_le32(req + 8);
	const struct sim_powercap_domain *d = domain_get(id);
	struct pending_set *ps;

	if (flags & ~(CAP_SET_ASYNC | CAP_SET_IGNORE_DRESP))
		return SCMI_ERR_PARAMS;
	if (!d->cap_config)
		return SCMI_ERR_ACCESS;
	if ((flags & CAP_SET_ASYNC) && !d->async_cap)
		return SCMI_ERR_SUPPORT;
	if (cap && !in_range(cap, d->min_cap, d->max_cap, d->cap_step))
		return SCMI_ERR_RANGE;
	*resp_len = 0;
	if ((flags & (CAP_SET_ASYNC | CAP_SET_IGNORE_DRESP)) != CAP_SET_ASYNC) {
		/* synchronous, or async with no delayed response: now */
		set_cap(sim_agent_id(a), id, cap);
		return SCMI_SUCCESS;
	}
	/* done from a timer: the response goes out first */
	ps = &pending[id];
	if (sim_delayed_begin(a, &ps->d) < 0)
		return SCMI_ERR_BUSY; /* one at a time per domain, 16 per agent */
	ps->domain_id = id;
	ps->cap = cap;
	sim_delayed_start(&ps->d, 0, on_pending);
	return SCMI_SUCCESS;
}

static int32_t powercap_pai_get(struct sim_agent *a, const uint8_t *req,
				uint8_t *resp, size_t *resp_len)
{
	const struct sim_powercap_domain *d = domain_get(scmi_get_le32(req));

	scmi_put_le32(resp, d->pai);
	*resp_len = 4;
	return SCMI_SUCCESS;
}

static int32_t powercap_pai_set(struct sim_agent *a, const uint8_t *req,
				uint8_t *resp, size_t *resp_len)
{
	uint32_t id = scmi_get_le32(req), flags = scmi_get_le32(req + 4);
	uint32_t pai = scmi_get_le32(req + 8);
	const struct sim_powercap_domain *d = domain_get(id);

	if (flags)
		return SCMI_ERR_PARAMS;
	if (!d->pai_config)
		return SCMI_ERR_ACCESS;
	if (!in_range(pai, d->min_pai, d->max_pai, d->pai_step))
		return SCMI_ERR_RANGE;
	set_pai(sim_agent_id(a), id, pai);
	*resp_len = 0;
	return SCMI_SUCCESS;
}

static int32_t powercap_domain_name_get(struct sim_agent *a,
					const uint8_t *req, uint8_t *resp,
					size_t *resp_len)
{
	const struct sim_powercap_domain *d = domain_get(scmi_get_le32(req));

	return sim_name_get(d->name, resp, resp_len);
}

static int32_t powercap_measurements_get(struct sim_agent *a,
					 const uint8_t *req, uint8_t *resp,
					 size_t *resp_len)
{
	const struct sim_powercap_domain *d = domain_get(scmi_get_le32(req));

	scmi_put_le32(resp, d->power);
	scmi_put_le32(resp + 4, d->pai);
	*resp_len = 8;
	return SCMI_SUCCESS;
}

static int32_t powercap_cap_notify(struct sim_agent *a, const uint8_t *req,
				   uint8_t *resp, size_t *resp_len)
{
	uint32_t id = scmi_get_le32(req);
	const struct sim_powercap_domain *d = domain_get(id);

	return sim_notify_cmd(a, SCMI_PROTOCOL_POWERCAP, POWERCAP_CAP_CHANGED,
			      id, scmi_get_le32(req + 4), d->notify_cap, resp_len);
}

static int32_t powercap_measurements_notify(struct sim_agent *a,
					    const uint8_t *req, uint8_t *resp,
					    size_t *resp_len)
{
	uint32_t id = scmi_get_le32(req), enable = scmi_get_le32(req + 4);
	uint32_t low = scmi_get_le32(req + 8), high = scmi_get_le32(req + 12);
	const struct sim_powercap_domain *d = domain_get(id);
	uint32_t aid = sim_agent_id(a);     /* 1..255 (config.h) */
	int32_t status;

	if ((enable & 1u) && low > high)
		return SCMI_ERR_PARAMS;
	status = sim_notify_cmd(a, SCMI_PROTOCOL_POWERCAP,
				POWERCAP_MEASUREMENTS_CHANGED, id, enable,
				d->notify_meas, resp_len);
	if (status == SCMI_SUCCESS && (enable & 1u)) {
		thresholds[aid][id].low = low;
		thresholds[aid][id].high = high;
		sim_log(SIM_LOG_INFO, "agent %u: powercap %u thresholds [%u, %u]",
			aid, id, low, high);
	}
	return status;
}

static const struct sim_msg powercap_msgs[] = {
	{ POWERCAP_DOMAIN_ATTRIBUTES, 4, powercap_domain_attributes, DOM_ATTR_SZ,
	  SIM_DOM_W0 },
	{ POWERCAP_CAP_GET, 4, powercap_cap_get, 4, SIM_DOM_W0 },
	{ POWERCAP_CAP_SET, 12, powercap_cap_set, 0, SIM_DOM_W0 },
	{ POWERCAP_PAI_GET, 4, powercap_pai_get, 4, SIM_DOM_W0 },
	{ POWERCAP_PAI_SET, 12, powercap_pai_set, 0, SIM_DOM_W0 },
	{ POWERCAP_DOMAIN_NAME_GET, 4, powercap_domain_name_get, 0, SIM_DOM_W0 },
	{ POWERCAP_MEASUREMENTS_GET, 4, powercap_measurements_get, 8,
	  SIM_DOM_W0 },
	{ POWERCAP_CAP_NOTIFY, 8, powercap_cap_notify, 0, SIM_DOM_W0 },
	{ POWERCAP_MEASUREMENTS_NOTIFY, 16, powercap_measurements_notify, 0,
	  SIM_DOM_W0 },
	{ .id = POWERCAP_DESCRIBE_FASTCHANNEL }, /* no fast channels */
};

/* No fast channel on any message: 0 for each in PROTOCOL_MESSAGE_ATTRIBUTES. */
SIM_PROTOCOL(powercap, POWERCAP_VERSION, SIM_NUM(num_powercap),
	     powercap_attributes, powercap_msgs, NULL)

/* ---- control --------------------------------------------------------- */

/*
 * Fault injection: "attr <domain> <field> <value>" rewrites one field of
 * what POWERCAP_DOMAIN_ATTRIBUTES reports, consistent or not, so that an
 * agent's validation of the domain can be tested. No event follows.
 */
static int control_attr(int argc, char **argv, char *out, size_t out_sz)
{
	static const struct {
		const char *name;
		size_t off;
	} fields[] = {
		{ "min_pai", offsetof(struct sim_powercap_domain, min_pai) },
		{ "max_pai", offsetof(struct sim_powercap_domain, max_pai) },
		{ "pai_step", offsetof(struct sim_powercap_domain, pai_step) },
		{ "min_cap", offsetof(struct sim_powercap_domain, min_cap) },
		{ "max_cap", offsetof(struct sim_powercap_domain, max_cap) },
		{ "cap_step", offsetof(struct sim_powercap_domain, cap_step) },
		{ "parent", offsetof(struct sim_powercap_domain, parent_id) },
	};
	struct sim_powercap_domain *d;
	uint32_t id, v;

	if (argc != 4 || sim_parse_u32(argv[1], &id) || sim_parse_u32(argv[3], &v)) {
		snprintf(out, out_sz,
			 "usage: powercap attr <domain> <field> <value>");
		return -EINVAL;
	}
	d = domain_get(id);
	if (!d) {
		snprintf(out, out_sz, "no powercap domain %u", id);
		return -ENOENT;
	}
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		if (!strcmp(argv[2], fields[i].name)) {
			memcpy((char *)d + fields[i].off, &v, sizeof(v));
			sim_log(SIM_LOG_INFO, "powercap %u: %s = %u (fault)", id,
				fields[i].name, v);
			return 0;
		}
	}
	snprintf(out, out_sz,
		 "no field '%.32s' (min_pai, max_pai, pai_step, min_cap, max_cap, cap_step, parent)",
		 argv[2]);
	return -EINVAL;
}

/*
 * "measure <domain> <mW>": the power measured from now on; the
 *   MEASUREMENTS_CHANGED events that follow are sent.
 * "cap <domain> <mW>": the platform sets the cap itself (0 disables
 *   capping; else in [min, max] on the step, configurable or not).
 * "pai <domain> <us>": the platform sets the PAI itself (in range).
 * "attr <domain> <field> <value>": fault injection, above.
 */
int sim_powercap_control(int argc, char **argv, char *out, size_t out_sz)
{
	const struct sim_powercap_domain *d;
	uint32_t id, v;
	bool measure = !strcmp(argv[0], "measure");
	bool cap = !strcmp(argv[0], "cap");
	bool pai = !strcmp(argv[0], "pai");

	if (!strcmp(argv[0], "attr"))
		return control_attr(argc, argv, out, out_sz);
	if (!measure && !cap && !pai) {
		snprintf(out, out_sz,
			 "powercap: no verb '%.32s' (measure, cap, pai, attr)",
			 argv[0]);
		return -EOPNOTSUPP;
	}
	if (argc != 3 || sim_parse_u32(argv[1], &id) || sim_parse_u32(argv[2], &v)) {
		snprintf(out, out_sz, "usage: powercap %s <domain> <%s>",
			 argv[0], pai ? "us" : "mW");
		return -EINVAL;
	}
	d = domain_get(id);
	if (!d) {
		snprintf(out, out_sz, "no powercap domain %u", id);
		return -ENOENT;
	}
	if (measure) {
		set_power(id, v);
	} else if (cap) {
		if (v && !in_range(v, d->min_cap, d->max_cap, d->cap_step)) {
			snprintf(out, out_sz,
				 "cap %u outside %u..%u step %u (0 disables)",
				 v, d->min_cap, d->max_cap, d->cap_step);
			return -ERANGE;
		}
		set_cap(0, id, v);
	} else {
		if (!in_range(v, d->min_pai, d->max_pai, d->pai_step)) {
			snprintf(out, out_sz, "pai %u outside %u..%u step %u",
				 v, d->min_pai, d->max_pai, d->pai_step);
			return -ERANGE;
		}
		set_pai(0, id, v);
	}
	return 0;
}
