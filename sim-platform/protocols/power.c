/* SPDX-License-Identifier: MIT */
/*
 * The power domain protocol (0x11), version 3.0, over the topology's
 * power domains. See SCMI-REFERENCE.md 6.2.
 *
 * Commands: PROTOCOL_VERSION, PROTOCOL_ATTRIBUTES (no statistics area),
 * PROTOCOL_MESSAGE_ATTRIBUTES, POWER_DOMAIN_ATTRIBUTES, POWER_STATE_SET,
 * POWER_STATE_GET, POWER_STATE_NOTIFY, POWER_DOMAIN_NAME_GET.
 * POWER_STATE_CHANGE_REQUESTED_NOTIFY (v1/v2 only) is not implemented.
 *
 * States: the simulator's domains know the two generic states, on
 * (0x00000000) and off (0x40000000); any other word is INVALID_PARAMETERS.
 * Every domain supports synchronous changes (attribute bit 29); those
 * whose topology says async also take the asynchronous flag: the state
 * then changes once the response is out (on the next loop iteration),
 * with no delayed response, as the spec has none for this command. A
 * later synchronous change, or a control request, supersedes an
 * asynchronous one still pending.
 *
 * POWER_STATE_CHANGED (12 bytes: agent_id, domain_id, power_state; source
 * = the domain) goes to every agent subscribed to the domain, whenever a
 * domain's state really changes (setting the state it already has emits
 * nothing), caused by an agent (its id) or by a control request (0).
 *
 * Control: "power set <domain> <state>", "power get <domain>".
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ev.h>

#include <scmi/wire.h>

#include "../emit.h"
#include "../log.h"
#include "../protocols.h"
#include "../topology.h"
#include "common.h"

#define POWER_VERSION SCMI_VERSION(3, 0)

enum power_cmd {
	POWER_DOMAIN_ATTRIBUTES = 0x3,
	POWER_STATE_SET = 0x4,
	POWER_STATE_GET = 0x5,
	POWER_STATE_NOTIFY = 0x6,
	POWER_STATE_CHANGE_REQUESTED_NOTIFY = 0x7,
	POWER_DOMAIN_NAME_GET = 0x8,
};

#define POWER_STATE_CHANGED 0x0

#define POWER_ATTR_NOTIFY (1u << 31)
#define POWER_ATTR_ASYNC (1u << 30)
#define POWER_ATTR_SYNC (1u << 29)
#define POWER_ATTR_EXT_NAME (1u << 27)
#define POWER_SET_ASYNC (1u << 0)

#define POWER_ON 0x00000000u
#define POWER_OFF 0x40000000u

#define SHORT_NAME_SZ 16

/* An asynchronous POWER_STATE_SET accepted and not applied yet. */
struct pending_set {
	ev_timer w;
	uint32_t domain_id;
	uint32_t agent_id;
	uint32_t state;
};

static struct pending_set pending[SIM_MAX_DOMAINS];

static bool state_valid(uint32_t state)
{
	return state == POWER_ON || state == POWER_OFF;
}

/* Whether the domain's full name needs POWER_DOMAIN_NAME_GET, and the reply fits. */
static bool has_ext_name(const struct sim_power_domain *d)
{
	return strlen(d->name) >= SHORT_NAME_SZ && sim_ext_names();
}

/*
 * Set domain @id to @state on behalf of @agent_id (0: the platform), and
 * tell the subscribers if it changed.
 */
static void apply_state(uint32_t id, uint32_t state, uint32_t agent_id)
{
	struct sim_power_domain *d = &sim_topo()->power[id];
	uint8_t payld[12];

	if (d->state == state)
		return;
	d->state = state;
	sim_log(SIM_LOG_INFO, "power domain %u (%s): state 0x%08x by agent %u",
		id, d->name, state, agent_id);
	scmi_put_le32(payld, agent_id);
	scmi_put_le32(payld + 4, id);
	scmi_put_le32(payld + 8, state);
	sim_emit(SCMI_PROTOCOL_POWER, POWER_STATE_CHANGED, id, payld,
		 sizeof(payld));
}

static void cancel_pending(uint32_t id)
{
	if (ev_is_active(&pending[id].w))
		ev_timer_stop(EV_DEFAULT, &pending[id].w);
}

static void on_pending(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct pending_set *ps = w->data;

	ev_timer_stop(loop, w);
	apply_state(ps->domain_id, ps->state, ps->agent_id);
}

/* ---- the commands ---------------------------------------------------- */
/*
 * Each gets a payload of exactly its size, max_msg_size bytes of room (32
 * or more), and the id of a domain that exists where its row says SIM_DOM_W*
 * (the dispatch checked it).
 */

static int32_t power_attributes(struct sim_agent *a, const uint8_t *req,
				uint8_t *resp, size_t *resp_len)
{
	scmi_put_le32(resp, sim_topo()->num_power & 0xFFFF);
	scmi_put_le32(resp + 4, 0);  /* no statistics area: address low */
	scmi_put_le32(resp + 8, 0);  /* high */
	scmi_put_le32(resp + 12, 0); /* length */
	*resp_len = 16;
	return SCMI_SUCCESS;
}

static int32_t power_domain_attributes(struct sim_agent *a, const uint8_t *req,
				       uint8_t *resp, size_t *resp_len)
{
	const struct sim_power_domain *d = &sim_topo()->power[scmi_get_le32(req)];

	scmi_put_le32(resp, POWER_ATTR_SYNC |
			    (d->notify ? POWER_ATTR_NOTIFY : 0) |
			    (d->async ? POWER_ATTR_ASYNC : 0) |
			    (has_ext_name(d) ? POWER_ATTR_EXT_NAME : 0));
	sim_put_name(resp + 4, SHORT_NAME_SZ, d->name);
	*resp_len = 4 + SHORT_NAME_SZ;
	return SCMI_SUCCESS;
}

static int32_t power_state_set(struct sim_agent *a, const uint8_t *req,
			       uint8_t *resp, size_t *resp_len)
{
	uint32_t flags = scmi_get_le32(req);
	uint32_t id = scmi_get_le32(req + 4);
	uint32_t state = scmi_get_le32(req + 8);
	struct pending_set *ps;

	if ((flags & ~POWER_SET_ASYNC) || !state_valid(state))
		return SCMI_ERR_PARAMS;
	if ((flags & POWER_SET_ASYNC) && !sim_topo()->power[id].async)
		return SCMI_ERR_SUPPORT;
	*resp_len = 0;
	cancel_pending(id);
	if (!(flags & POWER_SET_ASYNC)) {
		apply_state(id, state, sim_agent_id(a));
		return SCMI_SUCCESS;
	}
	/* after the response: the loop runs the timer on its next iteration */
	ps = &pending[id];
	ev_timer_init(&ps->w, on_pending, 0., 0.);
	ps->w.data = ps;
	ps->domain_id = id;
	ps->agent_id = sim_agent_id(a);
	ps->state = state;
	ev_timer_start(EV_DEFAULT, &ps->w);
	return SCMI_SUCCESS;
}

static int32_t power_state_get(struct sim_agent *a, const uint8_t *req,
			       uint8_t *resp, size_t *resp_len)
{
	scmi_put_le32(resp, sim_topo()->power[scmi_get_le32(req)].state);
	*resp_len = 4;
	return SCMI_SUCCESS;
}

static int32_t power_state_notify(struct sim_agent *a, const uint8_t *req,
				  uint8_t *resp, size_t *resp_len)
{
	uint32_t id = scmi_get_le32(req);

	return sim_notify_cmd(a, SCMI_PROTOCOL_POWER, POWER_STATE_CHANGED, id,
			      scmi_get_le32(req + 4),
			      sim_topo()->power[id].notify, resp_len);
}

static int32_t power_domain_name_get(struct sim_agent *a, const uint8_t *req,
				     uint8_t *resp, size_t *resp_len)
{
	return sim_name_get(sim_topo()->power[scmi_get_le32(req)].name, resp,
			    resp_len);
}

static const struct sim_msg power_msgs[] = {
	{ POWER_DOMAIN_ATTRIBUTES, 4, power_domain_attributes, 0, SIM_DOM_W0 },
	{ POWER_STATE_SET, 12, power_state_set, 0, SIM_DOM_W1 },
	{ POWER_STATE_GET, 4, power_state_get, 0, SIM_DOM_W0 },
	{ POWER_STATE_NOTIFY, 8, power_state_notify, 0, SIM_DOM_W0 },
	{ .id = POWER_STATE_CHANGE_REQUESTED_NOTIFY }, /* NOT_SUPPORTED */
	{ POWER_DOMAIN_NAME_GET, 4, power_domain_name_get, 0, SIM_DOM_W0 },
};

SIM_PROTOCOL(power, POWER_VERSION, SIM_NUM(num_power), power_attributes,
	     power_msgs, NULL)

/* ---- control --------------------------------------------------------- */

int sim_power_control(int argc, char **argv, char *out, size_t out_sz)
{
	uint32_t id, state;
	int ret;

	if (argc < 1) {
		snprintf(out, out_sz, "power: missing verb");
		return -EINVAL;
	}
	if (!strcmp(argv[0], "set")) {
		if (argc != 3) {
			snprintf(out, out_sz, "usage: power set <domain> <state>");
			return -EINVAL;
		}
		ret = sim_ctl_domain("power", argv[1], sim_topo()->num_power, &id,
				     out, out_sz);
		if (ret)
			return ret;
		if (sim_parse_u32(argv[2], &state)) {
			snprintf(out, out_sz, "power: bad state '%.32s'", argv[2]);
			return -EINVAL;
		}
		if (!state_valid(state)) {
			snprintf(out, out_sz,
				 "power: state 0x%08" PRIx32 " not supported (on 0x0, off 0x40000000)",
				 state);
			return -ERANGE;
		}
		cancel_pending(id);
		if (sim_topo()->power[id].state == state) {
			snprintf(out, out_sz, "unchanged");
			return 0;
		}
		apply_state(id, state, 0);
		return 0;
	}
	if (!strcmp(argv[0], "get")) {
		if (argc != 2) {
			snprintf(out, out_sz, "usage: power get <domain>");
			return -EINVAL;
		}
		ret = sim_ctl_domain("power", argv[1], sim_topo()->num_power, &id,
				     out, out_sz);
		if (ret)
			return ret;
		snprintf(out, out_sz, "0x%08" PRIx32, sim_topo()->power[id].state);
		return 0;
	}
	snprintf(out, out_sz, "power: no verb '%.32s' (set, get)", argv[0]);
	return -EOPNOTSUPP;
}
