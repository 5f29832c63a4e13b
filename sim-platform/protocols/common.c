/* SPDX-License-Identifier: MIT */
/*
 * Message tables and their dispatch, the messages every protocol answers
 * alike, *_NOTIFY commands and names: see common.h.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stddef.h>
#include <string.h>

#include <scmi/wire.h>

#include "../access.h"
#include "../config.h"
#include "../emit.h"
#include "../log.h"
#include "common.h"

static const struct sim_msg *msg_find(const struct sim_proto *p, uint32_t id)
{
	for (size_t i = 0; i < p->num_msgs; i++)
		if (p->msgs[i].id == id)
			return &p->msgs[i];
	return NULL;
}

/* PROTOCOL_MESSAGE_ATTRIBUTES: +0 message_id; reply +0 attributes. */
static int32_t msg_attributes(const struct sim_proto *p, const uint8_t *req,
			      uint8_t *resp, size_t *resp_len)
{
	uint32_t id = scmi_get_le32(req), attr = 0;
	const struct sim_msg *m = msg_find(p, id);

	if (id > SCMI_PROTOCOL_MESSAGE_ATTRIBUTES && !(m && m->fn))
		return SCMI_ERR_ENTRY;   /* not defined, or not implemented */
	if (p->msg_attributes && p->msg_attributes(id, &attr) != SCMI_SUCCESS)
		return SCMI_ERR_ENTRY;
	scmi_put_le32(resp, attr);
	*resp_len = 4;
	return SCMI_SUCCESS;
}

int32_t sim_proto_dispatch(const struct sim_proto *p, struct sim_agent *a,
			   uint8_t msg_id, const uint8_t *req, size_t req_len,
			   uint8_t *resp, size_t *resp_len)
{
	const struct sim_msg *m = msg_find(p, msg_id);
	uint32_t agent_id = sim_agent_id(a), dom;
	uint8_t proto_id = sim_agent_cmd_proto(a);

	/* a protocol the agent may not use: DENIED, whatever the message */
	if (!sim_access_allowed(agent_id, proto_id, SIM_ACCESS_ANY))
		return SCMI_ERR_ACCESS;
	/* 0x0 PROTOCOL_VERSION, 0x1 PROTOCOL_ATTRIBUTES, 0x2 PROTOCOL_MESSAGE_ATTRIBUTES */
	if (msg_id <= SCMI_PROTOCOL_MESSAGE_ATTRIBUTES) {
		if (req_len != (msg_id == SCMI_PROTOCOL_MESSAGE_ATTRIBUTES ? 4 : 0))
			return SCMI_ERR_PROTOCOL;
		if (msg_id == SCMI_PROTOCOL_MESSAGE_ATTRIBUTES)
			return msg_attributes(p, req, resp, resp_len);
		if (msg_id == SCMI_PROTOCOL_ATTRIBUTES)
			return p->attributes(a, req, resp, resp_len);
		scmi_put_le32(resp, p->version);
		*resp_len = 4;
		return SCMI_SUCCESS;
	}
	if (!m)
		return SCMI_ERR_ENTRY;   /* not defined by the protocol */
	if (!m->fn)
		return SCMI_ERR_SUPPORT; /* defined, not implemented */
	if (req_len != m->req_sz)
		return SCMI_ERR_PROTOCOL;
	if (*resp_len < m->resp_sz) {
		static struct sim_ratelimit rl = SIM_RATELIMIT_INIT;

		/* never a reply cut short: NOT_SUPPORTED, as for a name */
		sim_log_limited(&rl, SIM_LOG_WARN,
				"%s message 0x%x: a reply of %u bytes exceeds max_msg_size",
				p->name, msg_id, m->resp_sz);
		return SCMI_ERR_SUPPORT;
	}
	if (m->domain) {
		dom = scmi_get_le32(req + 4 * (m->domain - SIM_DOM_W0));
		if (dom >= *(const unsigned int *)((const char *)sim_topo() +
						   p->num_off))
			return SCMI_ERR_ENTRY;
		/* one the agent may not use: DENIED before the parameters */
		if (!sim_access_allowed(agent_id, proto_id, dom))
			return SCMI_ERR_ACCESS;
	}
	return m->fn(a, req, resp, resp_len);
}

int32_t sim_notify_cmd(struct sim_agent *a, uint8_t proto_id, uint8_t evt_id,
		       uint32_t src_id, uint32_t enable, bool supported,
		       size_t *resp_len)
{
	if (enable & ~1u)
		return SCMI_ERR_PARAMS;
	if (!supported)
		return SCMI_ERR_SUPPORT;
	if (sim_subscribe(a, proto_id, evt_id, src_id, enable & 1u) < 0)
		return SCMI_ERR_GENERIC;
	*resp_len = 0;
	return SCMI_SUCCESS;
}

bool sim_ext_names(void)
{
	return sim_config()->max_msg_size >= SIM_NAME_GET_SZ;
}

int32_t sim_name_get(const char *name, uint8_t *resp, size_t *resp_len)
{
	if (*resp_len < SIM_NAME_GET_SZ)
		return SCMI_ERR_SUPPORT; /* max_msg_size too small for a name */
	scmi_put_le32(resp, 0);          /* flags: reserved */
	sim_put_name(resp + 4, SIM_EXT_NAME_SZ, name);
	*resp_len = SIM_NAME_GET_SZ;
	return SCMI_SUCCESS;
}

int sim_ctl_domain(const char *proto, const char *word, uint32_t count,
		   uint32_t *id, char *out, size_t out_sz)
{
	if (sim_parse_u32(word, id)) {
		snprintf(out, out_sz, "%s: bad domain '%.32s'", proto, word);
		return -EINVAL;
	}
	if (*id >= count) {
		snprintf(out, out_sz, "%s: no domain %" PRIu32 " (%u domains)",
			 proto, *id, count);
		return -ENOENT;
	}
	return 0;
}

int sim_ctl_parse(int argc, char **argv, const struct sim_ctl_verb *verbs,
		  size_t n, const char *proto, const char *usage,
		  uint32_t count, uint32_t *id, int64_t vals[2], char *out,
		  size_t out_sz)
{
	const struct sim_ctl_verb *v = verbs;
	uint64_t u;

	while (v < verbs + n && strcmp(argv[0], v->name))
		v++;
	if (v == verbs + n) {
		snprintf(out, out_sz, "unknown verb '%.32s': %s", argv[0], usage);
		return -EOPNOTSUPP;
	}
	if (argc != 2 + v->nvals) {
		snprintf(out, out_sz, "%s: expected %d arguments: %s", argv[0],
			 1 + v->nvals, usage);
		return -EINVAL;
	}
	if (sim_parse_u32(argv[1], id)) {
		snprintf(out, out_sz, "bad domain id '%.32s'", argv[1]);
		return -EINVAL;
	}
	for (int i = 0; i < v->nvals; i++) {
		const char *w = argv[2 + i];

		if (v->sign ? sim_parse_signed(w, v->min, v->max, &vals[i]) :
			      sim_parse_unsigned(w, (uint64_t)v->max, &u)) {
			snprintf(out, out_sz, "bad value '%.32s'", w);
			return -EINVAL;
		}
		if (!v->sign)
			vals[i] = (int64_t)u;
	}
	if (*id >= count) {
		snprintf(out, out_sz, "no %s domain %" PRIu32 " (there are %u)",
			 proto, *id, count);
		return -ENOENT;
	}
	return (int)(v - verbs);
}

void sim_put_name(uint8_t *p, size_t sz, const char *name)
{
	size_t n = strnlen(name, sz - 1);

	memset(p, 0, sz);
	memcpy(p, name, n);
}
