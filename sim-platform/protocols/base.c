/* SPDX-License-Identifier: MIT */
/*
 * The Base protocol (0x10), version 2.0: discovery of the platform, its
 * protocols (those the calling agent may use) and agents (their names
 * the topology's roles), BASE_NOTIFY_ERRORS with its one event,
 * BASE_ERROR_EVENT, sent to an agent that asked for it when one of its
 * own commands was malformed, and the permission commands a trusted
 * agent changes the others' access with (access.h). See SCMI-REFERENCE.md
 * sections 6.1 and 7; the statuses of the permission commands are the
 * reference platform's (SCP-firmware): an untrusted caller DENIED before
 * the parameters, an agent id beyond the platform's, a device or protocol
 * it does not have NOT_FOUND, agent 0 (the platform) SUCCESS with nothing
 * changed, reserved flag bits INVALID_PARAMETERS, Base itself DENIED.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <scmi/wire.h>

#include "../access.h"
#include "../config.h"
#include "../emit.h"
#include "../protocols.h"
#include "common.h"

#define BASE_VERSION SCMI_VERSION(2, 0)
#define BASE_NAME_SZ 16                  /* vendor, sub-vendor, agent names */
#define BASE_AGENT_CALLER 0xFFFFFFFFu    /* DISCOVER_AGENT: "the caller" */
#define BASE_ERROR_EVENT 0x0
#define BASE_ERROR_COUNT_MASK 0x3FFu     /* error_status bits 9:0 */
#define BASE_PERM_ALLOW 0x1u             /* SET_*_PERMISSIONS flags bit 0 */
#define BASE_RESET_PERMS 0x1u            /* RESET_AGENT_CONFIGURATION flags bit 0 */

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

/*
 * The protocols other than Base that agent @a may use, in id order, from
 * the protocol table.
 */
static size_t other_protocols(const struct sim_agent *a, uint8_t ids[256])
{
	size_t n = 0;

	for (unsigned int id = 0; id < 256; id++)
		if (id != SCMI_PROTOCOL_BASE && sim_protocol_find((uint8_t)id) &&
		    sim_access_allowed(sim_agent_id(a), (uint8_t)id,
				       SIM_ACCESS_ANY))
			ids[n++] = (uint8_t)id;
	return n;
}

/* ---- the commands ---------------------------------------------------- */
/* Each gets a payload of exactly its size and room for 32 bytes or more. */

static int32_t base_attributes(struct sim_agent *a, const uint8_t *req,
			       uint8_t *resp, size_t *resp_len)
{
	uint8_t ids[256];
	uint32_t num_protocols = (uint32_t)other_protocols(a, ids);

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
	size_t total = other_protocols(a, ids);
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

/* Its name: the platform's, or the agent's role's ("agent-<id>" by default). */
static int32_t base_discover_agent(struct sim_agent *a, const uint8_t *req,
				   uint8_t *resp, size_t *resp_len)
{
	uint32_t id = scmi_get_le32(req);
	struct sim_agent_role r;

	if (id == BASE_AGENT_CALLER)
		id = sim_agent_id(a);
	if (id > sim_config()->max_agents)
		return SCMI_ERR_ENTRY;
	if (id == 0)
		snprintf(r.name, sizeof(r.name), "platform");
	else
		sim_access_role(id, &r);
	scmi_put_le32(resp, id);
	sim_put_name(resp + 4, BASE_NAME_SZ, r.name);
	*resp_len = 4 + BASE_NAME_SZ;
	return SCMI_SUCCESS;
}

/*
 * What the three permission commands check first, in the reference
 * platform's order: the caller trusted (else DENIED), the agent id one of
 * the platform's (else NOT_FOUND), the flags (else INVALID_PARAMETERS).
 * SCMI_SUCCESS with *@target set, or the status; agent 0, the platform,
 * is SUCCESS with *@target 0: nothing to change.
 */
static int32_t perm_target(struct sim_agent *a, uint32_t id, uint32_t flags,
			   uint32_t valid_flags, uint32_t *target)
{
	if (!sim_access_trusted(sim_agent_id(a)))
		return SCMI_ERR_ACCESS;
	if (id > sim_config()->max_agents)
		return SCMI_ERR_ENTRY;
	*target = id;
	if (id != 0 && (flags & ~valid_flags))
		return SCMI_ERR_PARAMS;
	return SCMI_SUCCESS;
}

/* +0 agent_id, +4 device_id, +8 flags (bit 0: allow). Status only. */
static int32_t base_set_device_perms(struct sim_agent *a, const uint8_t *req,
				     uint8_t *resp, size_t *resp_len)
{
	uint32_t flags = scmi_get_le32(req + 8), target, dom;
	int32_t st = perm_target(a, scmi_get_le32(req), flags, BASE_PERM_ALLOW,
				 &target);
	uint8_t proto_id;

	if (st != SCMI_SUCCESS)
		return st;
	*resp_len = 0;
	if (target == 0)
		return SCMI_SUCCESS;
	if (!sim_access_device(scmi_get_le32(req + 4), &proto_id, &dom))
		return SCMI_ERR_ENTRY;
	sim_access_set_device(target, proto_id, dom, flags & BASE_PERM_ALLOW);
	return SCMI_SUCCESS;
}

/*
 * +0 agent_id, +4 device_id, +8 protocol_id, +12 flags (bit 0: allow).
 * The device must be one of the protocol's (system power's one device
 * for system power): access is kept per agent and protocol, so that the
 * permission applies to the protocol for every device of it.
 */
static int32_t base_set_protocol_perms(struct sim_agent *a, const uint8_t *req,
				       uint8_t *resp, size_t *resp_len)
{
	uint32_t flags = scmi_get_le32(req + 12), proto = scmi_get_le32(req + 8);
	uint32_t target, dom;
	int32_t st = perm_target(a, scmi_get_le32(req), flags, BASE_PERM_ALLOW,
				 &target);
	uint8_t dev_proto;

	if (st != SCMI_SUCCESS)
		return st;
	*resp_len = 0;
	if (target == 0)
		return SCMI_SUCCESS;
	if (proto == SCMI_PROTOCOL_BASE)
		return SCMI_ERR_ACCESS;
	if (proto > 0xFF || !sim_protocol_find((uint8_t)proto) ||
	    !sim_access_device(scmi_get_le32(req + 4), &dev_proto, &dom) ||
	    dev_proto != proto)
		return SCMI_ERR_ENTRY;
	sim_access_set_protocol(target, (uint8_t)proto, flags & BASE_PERM_ALLOW);
	return SCMI_SUCCESS;
}

/*
 * +0 agent_id, +4 flags (bit 0: the permissions too). The simulator
 * keeps no other configuration of an agent's than its access (an agent's
 * subscriptions are its session's): without bit 0, nothing changes.
 */
static int32_t base_reset_agent_config(struct sim_agent *a, const uint8_t *req,
				       uint8_t *resp, size_t *resp_len)
{
	uint32_t flags = scmi_get_le32(req + 4), target;
	int32_t st = perm_target(a, scmi_get_le32(req), flags, BASE_RESET_PERMS,
				 &target);

	if (st != SCMI_SUCCESS)
		return st;
	*resp_len = 0;
	if (target != 0 && (flags & BASE_RESET_PERMS))
		sim_access_reset(target);
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
	{ BASE_SET_DEVICE_PERMISSIONS, 12, base_set_device_perms, 0, 0 },
	{ BASE_SET_PROTOCOL_PERMISSIONS, 16, base_set_protocol_perms, 0, 0 },
	{ BASE_RESET_AGENT_CONFIGURATION, 8, base_reset_agent_config, 0, 0 },
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
