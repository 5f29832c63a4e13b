/* SPDX-License-Identifier: MIT */
/*
 * The Base protocol (0x10), version 2.0: discovery of the platform, its
 * protocols and agents, and BASE_NOTIFY_ERRORS with its one event,
 * BASE_ERROR_EVENT, sent to an agent that asked for it when one of its
 * own commands was malformed. See SCMI-REFERENCE.md sections 6.1 and 7.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <scmi/wire.h>

#include "../config.h"
#include "../emit.h"
#include "../protocols.h"
#include "common.h"

#define BASE_VERSION SCMI_VERSION(2, 0)
#define BASE_NAME_SZ 16                  /* vendor, sub-vendor, agent names */
#define BASE_AGENT_CALLER 0xFFFFFFFFu    /* DISCOVER_AGENT: "the caller" */
#define BASE_ERROR_EVENT 0x0
#define BASE_ERROR_COUNT_MASK 0x3FFu     /* error_status bits 9:0 */

enum base_cmd {
	BASE_DISCOVER_VENDOR = 0x3,
	BASE_DISCOVER_SUB_VENDOR = 0x4,
	BASE_DISCOVER_IMPLEMENTATION_VERSION = 0x5,
	BASE_DISCOVER_LIST_PROTOCOLS = 0x6,
	BASE_DISCOVER_AGENT = 0x7,
	BASE_NOTIFY_ERRORS = 0x8,
	BASE_SET_DEVICE_PERMISSIONS = 0x9,
	BASE_SET_PROTOCOL_PERMISSIONS = 0xA,
	BASE_RESET_AGENT_CONFIGURATION = 0xB,
};

static const char vendor[] = "libscmi-sim";
static const char sub_vendor[] = "simulator";

/* SCMI_SIM_VERSION "M.m.p" as 0x00MMmmpp, each part clamped to a byte. */
static uint32_t impl_version(void)
{
	const char *s = SCMI_SIM_VERSION;
	uint32_t v = 0;

	for (int i = 0; i < 3; i++) {
		char *end;
		unsigned long part = strtoul(s, &end, 10);

		v = v << 8 | (uint32_t)(part > 0xFF ? 0xFF : part);
		s = *end == '.' ? end + 1 : end;
	}
	return v;
}

/* The protocols other than Base, in id order, from the protocol table. */
static size_t other_protocols(uint8_t ids[256])
{
	size_t n = 0;

	for (unsigned int id = 0; id < 256; id++)
		if (id != SCMI_PROTOCOL_BASE && sim_protocol_find((uint8_t)id))
			ids[n++] = (uint8_t)id;
	return n;
}

/* ---- the commands ---------------------------------------------------- */
/* Each gets a payload of exactly its size and room for 32 bytes or more. */

static int32_t base_attributes(struct sim_agent *a, const uint8_t *req,
			       uint8_t *resp, size_t *resp_len)
{
	uint8_t ids[256];
	uint32_t num_protocols = (uint32_t)other_protocols(ids);

	scmi_put_le32(resp, (num_protocols & 0xFF) |
			    (sim_config()->max_agents & 0xFF) << 8);
	*resp_len = 4;
	return SCMI_SUCCESS;
}

static int32_t base_vendor(struct sim_agent *a, const uint8_t *req,
			   uint8_t *resp, size_t *resp_len)
{
	sim_put_name(resp, BASE_NAME_SZ, vendor);
	*resp_len = BASE_NAME_SZ;
	return SCMI_SUCCESS;
}

static int32_t base_sub_vendor(struct sim_agent *a, const uint8_t *req,
			       uint8_t *resp, size_t *resp_len)
{
	sim_put_name(resp, BASE_NAME_SZ, sub_vendor);
	*resp_len = BASE_NAME_SZ;
	return SCMI_SUCCESS;
}

static int32_t base_impl_version(struct sim_agent *a, const uint8_t *req,
				 uint8_t *resp, size_t *resp_len)
{
	scmi_put_le32(resp, impl_version());
	*resp_len = 4;
	return SCMI_SUCCESS;
}

/*
 * Paged: +0 how many ids the agent has already; reply +0 how many follow,
 * then the ids one byte each, four to a word, zero padded to a word. A
 * page holds as many as fit the room.
 */
static int32_t base_list_protocols(struct sim_agent *a, const uint8_t *req,
				   uint8_t *resp, size_t *resp_len)
{
	uint8_t ids[256];
	size_t total = other_protocols(ids);
	uint32_t skip = scmi_get_le32(req);
	size_t per_page = (*resp_len - 4) / 4 * 4;
	size_t num, words;

	if (skip > total)
		return SCMI_ERR_PARAMS;
	num = total - skip < per_page ? total - skip : per_page;
	words = (num + 3) / 4;
	scmi_put_le32(resp, (uint32_t)num);
	memset(resp + 4, 0, words * 4);
	memcpy(resp + 4, ids + skip, num);
	*resp_len = 4 + words * 4;
	return SCMI_SUCCESS;
}

static int32_t base_discover_agent(struct sim_agent *a, const uint8_t *req,
				   uint8_t *resp, size_t *resp_len)
{
	uint32_t id = scmi_get_le32(req);
	char name[24];                    /* "agent-255" at most */

	if (id == BASE_AGENT_CALLER)
		id = sim_agent_id(a);
	if (id == 0)
		snprintf(name, sizeof(name), "platform");
	else if (id <= sim_config()->max_agents)
		snprintf(name, sizeof(name), "agent-%u", id);
	else
		return SCMI_ERR_ENTRY;
	scmi_put_le32(resp, id);
	sim_put_name(resp + 4, BASE_NAME_SZ, name);
	*resp_len = 4 + BASE_NAME_SZ;
	return SCMI_SUCCESS;
}

static int32_t base_notify_errors(struct sim_agent *a, const uint8_t *req,
				  uint8_t *resp, size_t *resp_len)
{
	return sim_notify_cmd(a, SCMI_PROTOCOL_BASE, BASE_ERROR_EVENT, 0,
			      scmi_get_le32(req), true, resp_len);
}

static const struct sim_msg base_msgs[] = {
	{ BASE_DISCOVER_VENDOR, 0, base_vendor, 0, 0 },
	{ BASE_DISCOVER_SUB_VENDOR, 0, base_sub_vendor, 0, 0 },
	{ BASE_DISCOVER_IMPLEMENTATION_VERSION, 0, base_impl_version, 0, 0 },
	{ BASE_DISCOVER_LIST_PROTOCOLS, 4, base_list_protocols, 0, 0 },
	{ BASE_DISCOVER_AGENT, 4, base_discover_agent, 0, 0 },
	{ BASE_NOTIFY_ERRORS, 4, base_notify_errors, 0, 0 },
	/* no agent permissions: NOT_SUPPORTED */
	{ .id = BASE_SET_DEVICE_PERMISSIONS },
	{ .id = BASE_SET_PROTOCOL_PERMISSIONS },
	{ .id = BASE_RESET_AGENT_CONFIGURATION },
};

SIM_PROTOCOL(base, BASE_VERSION, SIM_NO_DOMAINS, base_attributes, base_msgs,
	     NULL)

/*
 * BASE_ERROR_EVENT, source 0: +0 agent_id, +4 error_status (not fatal, one
 * entry), +8 one u64 entry, low word first. The entry's layout is the
 * simulator's (the spec leaves it open): bits 31:0 the header word the
 * agent wrote, bits 63:32 the status it got (PROTOCOL_ERROR, or
 * COMMS_ERROR when only CHANNEL_ERROR could be set).
 */
void sim_base_report_error(struct sim_agent *a, uint32_t msg_hdr,
			   int32_t status)
{
	uint8_t payld[8 + 8];

	scmi_put_le32(payld, sim_agent_id(a));
	scmi_put_le32(payld + 4, 1u & BASE_ERROR_COUNT_MASK);
	scmi_put_le64(payld + 8, (uint64_t)(uint32_t)status << 32 | msg_hdr);
	sim_emit_to(a, SCMI_PROTOCOL_BASE, BASE_ERROR_EVENT, 0, payld,
		    sizeof(payld));
}
