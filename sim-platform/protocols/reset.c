/* SPDX-License-Identifier: MIT */
/*
 * The reset domain protocol (0x16), version 3.0, over the topology's
 * reset domains. See SCMI-REFERENCE.md 6.7.
 *
 * Commands: PROTOCOL_VERSION, PROTOCOL_ATTRIBUTES,
 * PROTOCOL_MESSAGE_ATTRIBUTES, RESET_DOMAIN_ATTRIBUTES, RESET,
 * RESET_NOTIFY, RESET_DOMAIN_NAME_GET.
 *
 * RESET: flags bit 0 autonomous reset (the domain is pulsed and ends
 * de-asserted), else bit 1 explicit assert (1, the domain stays asserted)
 * or de-assert (0); bit 2 asynchronous, only with bit 0, and only on a
 * domain whose topology says async (else NOT_SUPPORTED); other bits
 * INVALID_PARAMETERS. The simulator's domains know one reset_state, the
 * architectural cold reset (0); any other is INVALID_PARAMETERS.
 *
 * An asynchronous reset is answered SUCCESS at once (the domain is
 * checked as for a synchronous one) and done after the larger of the
 * domain's latency and --async-delay, from a timer (delayed.h): the
 * domain is reset (RESET_ISSUED as below), then the RESET_COMPLETE delayed
 * response goes to the agent that asked, if its session is still there:
 * type 2, message id 0x4, the command's token; payload status (0),
 * domain_id. One asynchronous reset per domain at a time: another while
 * one is pending is BUSY, as is one beyond the agent's delayed responses
 * owed (SIM_MAX_ASYNC_PER_AGENT).
 *
 * RESET_ISSUED (12 bytes: agent_id, domain_id, reset_state; source = the
 * domain) goes to every agent subscribed to the domain on each autonomous
 * reset and each assert (not on a de-assert), caused by an agent (its id)
 * or by a control request (0).
 *
 * Control: "reset issue <domain>" (an autonomous cold reset by the
 * platform), "reset get <domain>" ("asserted" or "deasserted").
 */
#include <errno.h>
#include <inttypes.h>
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

#define RESET_VERSION SCMI_VERSION(3, 0)

enum reset_cmd {
	RESET_DOMAIN_ATTRIBUTES = 0x3,
	RESET = 0x4,
	RESET_NOTIFY = 0x5,
	RESET_DOMAIN_NAME_GET = 0x6,
};

#define RESET_ISSUED 0x0

#define RESET_ATTR_ASYNC (1u << 31)
#define RESET_ATTR_NOTIFY (1u << 30)
#define RESET_ATTR_EXT_NAME (1u << 29)

#define RESET_AUTONOMOUS (1u << 0)
#define RESET_EXPLICIT_ASSERT (1u << 1)
#define RESET_ASYNC (1u << 2)
#define RESET_FLAGS_MASK (RESET_AUTONOMOUS | RESET_EXPLICIT_ASSERT | RESET_ASYNC)

#define RESET_STATE_COLD 0x0u

#define SHORT_NAME_SZ 16

/* An asynchronous reset accepted and not done yet. */
struct pending_reset {
	struct sim_delayed d;
	uint32_t domain_id;
	uint32_t reset_state;
};

static struct pending_reset pending[SIM_MAX_DOMAINS];

/* Whether the domain's full name needs RESET_DOMAIN_NAME_GET, and the reply fits. */
static bool has_ext_name(const struct sim_reset_domain *d)
{
	return strlen(d->name) >= SHORT_NAME_SZ && sim_ext_names();
}

/* Tell the subscribers of domain @id that @agent_id reset or asserted it. */
static void emit_issued(uint32_t id, uint32_t reset_state, uint32_t agent_id)
{
	uint8_t payld[12];

	scmi_put_le32(payld, agent_id);
	scmi_put_le32(payld + 4, id);
	scmi_put_le32(payld + 8, reset_state);
	sim_emit(SCMI_PROTOCOL_RESET, RESET_ISSUED, id, payld, sizeof(payld));
}

/* An autonomous reset of domain @id: pulsed, ends de-asserted. */
static void do_reset(uint32_t id, uint32_t reset_state, uint32_t agent_id)
{
	struct sim_reset_domain *d = &sim_topo()->reset[id];

	d->asserted = false;
	sim_log(SIM_LOG_INFO, "reset domain %u (%s): reset 0x%08x by agent %u",
		id, d->name, reset_state, agent_id);
	emit_issued(id, reset_state, agent_id);
}

/* An asynchronous reset's time has come: do it, then RESET_COMPLETE. */
static void on_pending(struct sim_delayed *d)
{
	struct pending_reset *pr = sim_delayed_owner(d, struct pending_reset, d);
	uint8_t ret[4];

	do_reset(pr->domain_id, pr->reset_state, d->agent_id);
	scmi_put_le32(ret, pr->domain_id);
	sim_delayed_send(d, SCMI_SUCCESS, ret, sizeof(ret));
}

/* ---- the commands ---------------------------------------------------- */
/*
 * Each gets a payload of exactly its size, max_msg_size bytes of room (32
 * or more), and the id of a domain that exists where its row says SIM_DOM_W*
 * (the dispatch checked it).
 */

static int32_t reset_attributes(struct sim_agent *a, const uint8_t *req,
				uint8_t *resp, size_t *resp_len)
{
	scmi_put_le32(resp, sim_topo()->num_reset & 0xFFFF);
	*resp_len = 4;
	return SCMI_SUCCESS;
}

static int32_t reset_domain_attributes(struct sim_agent *a, const uint8_t *req,
				       uint8_t *resp, size_t *resp_len)
{
	const struct sim_reset_domain *d = &sim_topo()->reset[scmi_get_le32(req)];

	scmi_put_le32(resp, (d->async ? RESET_ATTR_ASYNC : 0) |
			    (d->notify ? RESET_ATTR_NOTIFY : 0) |
			    (has_ext_name(d) ? RESET_ATTR_EXT_NAME : 0));
	scmi_put_le32(resp + 4, d->latency_us);
	sim_put_name(resp + 8, SHORT_NAME_SZ, d->name);
	*resp_len = 8 + SHORT_NAME_SZ;
	return SCMI_SUCCESS;
}

static int32_t reset_reset(struct sim_agent *a, const uint8_t *req,
			   uint8_t *resp, size_t *resp_len)
{
	uint32_t id = scmi_get_le32(req);
	uint32_t flags = scmi_get_le32(req + 4);
	uint32_t reset_state = scmi_get_le32(req + 8);
	struct sim_reset_domain *d = &sim_topo()->reset[id];
	struct pending_reset *pr;

	if ((flags & ~RESET_FLAGS_MASK) ||
	    ((flags & RESET_ASYNC) && !(flags & RESET_AUTONOMOUS)) ||
	    reset_state != RESET_STATE_COLD)
		return SCMI_ERR_PARAMS;
	if ((flags & RESET_ASYNC) && !d->async)
		return SCMI_ERR_SUPPORT;
	*resp_len = 0;

	if (flags & RESET_ASYNC) {
		/* done from a timer: the response goes out first */
		pr = &pending[id];
		if (sim_delayed_begin(a, &pr->d) < 0)
			return SCMI_ERR_BUSY; /* one at a time per domain, 16 per agent */
		pr->domain_id = id;
		pr->reset_state = reset_state;
		/* 0xFFFFFFFF: latency unknown, --async-delay alone */
		sim_delayed_start(&pr->d, d->latency_us == UINT32_MAX ? 0 :
					  d->latency_us, on_pending);
	} else if (flags & RESET_AUTONOMOUS) {
		do_reset(id, reset_state, sim_agent_id(a));
	} else if (flags & RESET_EXPLICIT_ASSERT) {
		d->asserted = true;
		sim_log(SIM_LOG_INFO, "reset domain %u (%s): asserted by agent %u",
			id, d->name, sim_agent_id(a));
		emit_issued(id, reset_state, sim_agent_id(a));
	} else {
		d->asserted = false;
		sim_log(SIM_LOG_INFO, "reset domain %u (%s): de-asserted by agent %u",
			id, d->name, sim_agent_id(a));
	}
	return SCMI_SUCCESS;
}

static int32_t reset_notify(struct sim_agent *a, const uint8_t *req,
			    uint8_t *resp, size_t *resp_len)
{
	uint32_t id = scmi_get_le32(req);

	return sim_notify_cmd(a, SCMI_PROTOCOL_RESET, RESET_ISSUED, id,
			      scmi_get_le32(req + 4),
			      sim_topo()->reset[id].notify, resp_len);
}

static int32_t reset_domain_name_get(struct sim_agent *a, const uint8_t *req,
				     uint8_t *resp, size_t *resp_len)
{
	return sim_name_get(sim_topo()->reset[scmi_get_le32(req)].name, resp,
			    resp_len);
}

static const struct sim_msg reset_msgs[] = {
	{ RESET_DOMAIN_ATTRIBUTES, 4, reset_domain_attributes, 0, SIM_DOM_W0 },
	{ RESET, 12, reset_reset, 0, SIM_DOM_W0 },
	{ RESET_NOTIFY, 8, reset_notify, 0, SIM_DOM_W0 },
	{ RESET_DOMAIN_NAME_GET, 4, reset_domain_name_get, 0, SIM_DOM_W0 },
};

SIM_PROTOCOL(reset, RESET_VERSION, SIM_NUM(num_reset), reset_attributes,
	     reset_msgs, NULL)

/* ---- control --------------------------------------------------------- */

int sim_reset_control(int argc, char **argv, char *out, size_t out_sz)
{
	uint32_t id;
	int ret;

	if (argc < 1) {
		snprintf(out, out_sz, "reset: missing verb");
		return -EINVAL;
	}
	if (!strcmp(argv[0], "issue") || !strcmp(argv[0], "get")) {
		bool issue = argv[0][0] == 'i';

		if (argc != 2) {
			snprintf(out, out_sz, "usage: reset %s <domain>", argv[0]);
			return -EINVAL;
		}
		ret = sim_ctl_domain("reset", argv[1], sim_topo()->num_reset, &id,
				     out, out_sz);
		if (ret)
			return ret;
		if (issue)
			do_reset(id, RESET_STATE_COLD, 0);
		else
			snprintf(out, out_sz, "%s",
				 sim_topo()->reset[id].asserted ? "asserted" :
								  "deasserted");
		return 0;
	}
	snprintf(out, out_sz, "reset: no verb '%.32s' (issue, get)", argv[0]);
	return -EOPNOTSUPP;
}
