/* SPDX-License-Identifier: MIT */
/*
 * Message tables, their dispatch and name fields: see common.h.
 */
#include <string.h>

#include <scmi/wire.h>

#include "../log.h"
#include "common.h"

static const struct sim_msg *msg_find(const struct sim_msg *msgs, size_t n,
				      uint32_t id)
{
	for (size_t i = 0; i < n; i++)
		if (msgs[i].id == id)
			return &msgs[i];
	return NULL;
}

bool sim_msg_implemented(const struct sim_msg *msgs, size_t n, uint32_t id)
{
	const struct sim_msg *m = msg_find(msgs, n, id);

	return m && m->fn;
}

int32_t sim_msg_dispatch(const char *proto, const struct sim_msg *msgs,
			 size_t n, struct sim_agent *a, uint8_t msg_id,
			 const uint8_t *req, size_t req_len, uint8_t *resp,
			 size_t *resp_len)
{
	const struct sim_msg *m = msg_find(msgs, n, msg_id);

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
				proto, msg_id, m->resp_sz);
		return SCMI_ERR_SUPPORT;
	}
	return m->fn(a, req, resp, resp_len);
}

int32_t sim_msg_attributes(const struct sim_msg *msgs, size_t n,
			   const uint8_t *req, uint8_t *resp, size_t *resp_len)
{
	if (!sim_msg_implemented(msgs, n, scmi_get_le32(req)))
		return SCMI_ERR_ENTRY;
	scmi_put_le32(resp, 0);
	*resp_len = 4;
	return SCMI_SUCCESS;
}

void sim_put_name(uint8_t *p, size_t sz, const char *name)
{
	size_t n = strnlen(name, sz - 1);

	memset(p, 0, sz);
	memcpy(p, name, n);
}
