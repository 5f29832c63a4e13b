/* SPDX-License-Identifier: MIT */
/*
 * The Base protocol (0x10): discovery at connect, BASE_DISCOVER_AGENT, the
 * permission commands a trusted agent sends (BASE_SET_DEVICE_PERMISSIONS,
 * BASE_SET_PROTOCOL_PERMISSIONS, BASE_RESET_AGENT_CONFIGURATION), and the
 * BASE_ERROR_EVENT for the notify core.
 *
 * Discovery (SCMI-REFERENCE.md 7), in Linux's order: PROTOCOL_VERSION and
 * PROTOCOL_ATTRIBUTES must succeed; DISCOVER_VENDOR, DISCOVER_SUB_VENDOR
 * and DISCOVER_IMPLEMENTATION_VERSION may be refused by the platform (the
 * field stays empty); DISCOVER_LIST_PROTOCOLS (paged) must succeed;
 * DISCOVER_AGENT of this agent may be refused. A malformed reply (wrong
 * size) or a transport error fails the connect.
 */
#include <errno.h>
#include <string.h>

#include <scmi/agent.h>
#include <scmi/protocols.h>
#include <scmi/wire.h>

#include "common.h"
#include "log.h"
#include "protocols.h"
#include "symbols.h"

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

#define BASE_NAME_SZ 16
#define BASE_AGENT_SELF 0xFFFFFFFFu
#define BASE_ERR_FATAL (1u << 31)
#define BASE_ERR_COUNT_MASK 0x3FFu
#define BASE_PERM_ALLOW 0x1u      /* SET_*_PERMISSIONS flags bit 0 */
#define BASE_RESET_PERMS 0x1u     /* RESET_AGENT_CONFIGURATION flags bit 0 */

/* A fixed 16-byte name: at most 15 characters, NUL-terminated, zero-padded. */
static void copy_name(char dst[BASE_NAME_SZ], const uint8_t *src)
{
	scmi_proto_copy_name(dst, BASE_NAME_SZ, src, BASE_NAME_SZ - 1);
}

/*
 * A discovery command the platform may refuse: 0 with the reply in @rx, 1
 * when the platform refused it (logged), -EPROTO a reply of the wrong
 * size, or a transport error.
 */
static int optional_cmd(struct scmi_agent *a, uint8_t msg_id, const void *tx,
			size_t tx_sz, void *rx, size_t rx_sz)
{
	int32_t status;
	size_t got = 0;
	int ret;

	ret = scmi_agent_do_xfer(a, SCMI_PROTOCOL_BASE, msg_id, tx, tx_sz, rx,
				 rx_sz, &got, &status);
	if (ret)
		return ret;
	if (status != SCMI_SUCCESS) {
		scmi_info(scmi_agent_log(a), "Base command 0x%x: %s", msg_id,
			  scmi_status_name(status));
		return 1;
	}
	if (got != rx_sz) {
		scmi_err(scmi_agent_log(a),
			 "Base command 0x%x: %zu return bytes, expected %zu",
			 msg_id, got, rx_sz);
		return -EPROTO;
	}
	return 0;
}

/* BASE_DISCOVER_LIST_PROTOCOLS, paged, with every check Linux makes. */
static int list_protocols(struct scmi_agent *a, struct scmi_base_info *bi,
			  uint32_t total)
{
	const struct scmi_log *log = scmi_agent_log(a);
	uint8_t rx[4 + 256]; /* count, then at most 255 ids, padded */
	uint32_t got = 0;

	do {
		uint32_t num, calc_sz, list_sz;
		uint8_t tx[4];
		int32_t status;
		size_t n = 0;
		int ret;

		scmi_put_le32(tx, got); /* skip: ids already received */
		ret = scmi_agent_do_xfer(a, SCMI_PROTOCOL_BASE,
					 BASE_DISCOVER_LIST_PROTOCOLS, tx,
					 sizeof(tx), rx, sizeof(rx), &n,
					 &status);
		if (ret)
			return ret;
		if (status != SCMI_SUCCESS) {
			scmi_err(log, "DISCOVER_LIST_PROTOCOLS: %s",
				 scmi_status_name(status));
			return scmi_status_to_errno(status);
		}
		if (n < 4) {
			scmi_err(log, "DISCOVER_LIST_PROTOCOLS: %zu return bytes, no count",
				 n);
			return -EPROTO;
		}
		num = scmi_get_le32(rx);
		if (!num)
			break; /* incomplete, but not an error (Linux) */
		if (num > total - got) {
			scmi_err(log,
				 "DISCOVER_LIST_PROTOCOLS: %u ids, only %u remaining of %u",
				 num, total - got, total);
			break;
		}
		if (n < 8) {
			scmi_err(log, "DISCOVER_LIST_PROTOCOLS: %zu return bytes for %u ids",
				 n, num);
			return -EPROTO;
		}
		list_sz = (uint32_t)(n - 4);
		calc_sz = (num + 3) / 4 * 4;
		if (list_sz != calc_sz) {
			scmi_warn(log,
				  "DISCOVER_LIST_PROTOCOLS: %u bytes of ids for %u ids, expected %u",
				  list_sz, num, calc_sz);
			if (list_sz < calc_sz)
				return -EPROTO;
		}
		for (uint32_t i = 0; i < num; i++) {
			uint8_t id = rx[4 + i];
			bool dup = false;

			for (uint32_t j = 0; j < bi->num_protocols; j++)
				dup |= bi->protocols[j] == id;
			if (id <= SCMI_PROTOCOL_BASE || dup) {
				scmi_warn(log,
					  "DISCOVER_LIST_PROTOCOLS: protocol id 0x%x %s, ignored",
					  id, dup ? "listed twice" : "invalid");
				continue;
			}
			bi->protocols[bi->num_protocols++] = id;
		}
		got += num;
	} while (got < total);

	if (got < total)
		scmi_warn(log, "DISCOVER_LIST_PROTOCOLS: %u of %u protocols listed",
			  got, total);
	return 0;
}

/* BASE_DISCOVER_AGENT, v2 layout (id, name) or v1 (name only). */
static int discover_agent(struct scmi_agent *a, uint32_t version,
			  uint32_t agent_id, bool optional, uint32_t *id_out,
			  char name[BASE_NAME_SZ])
{
	bool v2 = SCMI_VERSION_MAJOR(version) >= 2;
	size_t rx_sz = v2 ? 4 + BASE_NAME_SZ : BASE_NAME_SZ;
	uint8_t tx[4], rx[4 + BASE_NAME_SZ];
	int ret;

	scmi_put_le32(tx, agent_id);
	if (optional)
		ret = optional_cmd(a, BASE_DISCOVER_AGENT, tx, sizeof(tx), rx,
				   rx_sz);
	else
		ret = scmi_agent_xfer_exact(a, SCMI_PROTOCOL_BASE,
					    BASE_DISCOVER_AGENT, tx,
					    sizeof(tx), rx, rx_sz);
	if (ret)
		return ret;
	if (id_out)
		*id_out = v2 ? scmi_get_le32(rx) : agent_id;
	if (name)
		copy_name(name, v2 ? rx + 4 : rx);
	return 0;
}

static int base_init(struct scmi_agent *a, void **priv)
{
	const struct scmi_log *log = scmi_agent_log(a);
	struct scmi_base_info *bi = scmi_agent_base(a);
	uint8_t rx[BASE_NAME_SZ];
	char name[BASE_NAME_SZ];
	uint32_t attr, total, id;
	int ret;

	memset(bi, 0, sizeof(*bi));

	ret = scmi_agent_xfer_exact(a, SCMI_PROTOCOL_BASE,
				    SCMI_PROTOCOL_VERSION, NULL, 0, rx, 4);
	if (ret)
		return ret;
	bi->version = scmi_get_le32(rx);

	ret = scmi_agent_xfer_exact(a, SCMI_PROTOCOL_BASE,
				    SCMI_PROTOCOL_ATTRIBUTES, NULL, 0, rx, 4);
	if (ret)
		return ret;
	attr = scmi_get_le32(rx);
	total = attr & 0xFF;
	bi->num_agents = (attr >> 8) & 0xFF;

	ret = optional_cmd(a, BASE_DISCOVER_VENDOR, NULL, 0, rx, BASE_NAME_SZ);
	if (ret < 0)
		return ret;
	if (!ret)
		copy_name(bi->vendor, rx);

	ret = optional_cmd(a, BASE_DISCOVER_SUB_VENDOR, NULL, 0, rx,
			   BASE_NAME_SZ);
	if (ret < 0)
		return ret;
	if (!ret)
		copy_name(bi->sub_vendor, rx);

	ret = optional_cmd(a, BASE_DISCOVER_IMPLEMENTATION_VERSION, NULL, 0,
			   rx, 4);
	if (ret < 0)
		return ret;
	if (!ret)
		bi->impl_version = scmi_get_le32(rx);

	ret = list_protocols(a, bi, total);
	if (ret)
		return ret;

	ret = discover_agent(a, bi->version, BASE_AGENT_SELF, true, &id, name);
	if (ret < 0)
		return ret;
	if (!ret && id != scmi_agent_assigned_id(a))
		scmi_warn(log, "DISCOVER_AGENT says this agent is %u, the hello said %u",
			  id, scmi_agent_assigned_id(a));

	scmi_info(log,
		  "Base v%u.%u: %s/%s 0x%08x, %u protocols, %u agents; this agent is %u \"%s\"",
		  SCMI_VERSION_MAJOR(bi->version),
		  SCMI_VERSION_MINOR(bi->version), bi->vendor, bi->sub_vendor,
		  bi->impl_version, bi->num_protocols, bi->num_agents,
		  scmi_agent_assigned_id(a), ret ? "?" : name);
	*priv = a;
	return 0;
}

/* ---------------------------------------------------------------- */
/* public Base calls                                                */

/* scmi_agent_base_info() is agent.c's: it copies what base_init() found. */

SCMI_EXPORT int scmi_base_discover_agent(struct scmi_agent *a,
					 uint32_t agent_id, uint32_t *id_out,
					 char name[16])
{
	if (!a)
		return -EINVAL;
	return discover_agent(a, scmi_agent_base(a)->version, agent_id, false,
			      id_out, name);
}

/* The permission commands: status only, no return values. */
static int perm_cmd(struct scmi_agent *a, uint8_t msg_id, const uint8_t *tx,
		    size_t tx_sz)
{
	if (!a)
		return -EINVAL;
	return scmi_agent_xfer_exact(a, SCMI_PROTOCOL_BASE, msg_id, tx, tx_sz,
				     NULL, 0);
}

SCMI_EXPORT int scmi_base_set_device_permissions(struct scmi_agent *a,
						 uint32_t agent_id,
						 uint32_t device_id, bool allow)
{
	uint8_t tx[12];

	scmi_put_le32(tx, agent_id);
	scmi_put_le32(tx + 4, device_id);
	scmi_put_le32(tx + 8, allow ? BASE_PERM_ALLOW : 0);
	return perm_cmd(a, BASE_SET_DEVICE_PERMISSIONS, tx, sizeof(tx));
}

SCMI_EXPORT int scmi_base_set_protocol_permissions(struct scmi_agent *a,
						   uint32_t agent_id,
						   uint32_t device_id,
						   uint8_t protocol_id,
						   bool allow)
{
	uint8_t tx[16];

	scmi_put_le32(tx, agent_id);
	scmi_put_le32(tx + 4, device_id);
	scmi_put_le32(tx + 8, protocol_id);
	scmi_put_le32(tx + 12, allow ? BASE_PERM_ALLOW : 0);
	return perm_cmd(a, BASE_SET_PROTOCOL_PERMISSIONS, tx, sizeof(tx));
}

SCMI_EXPORT int scmi_base_reset_agent_configuration(struct scmi_agent *a,
						    uint32_t agent_id,
						    bool reset_permissions)
{
	uint8_t tx[8];

	scmi_put_le32(tx, agent_id);
	scmi_put_le32(tx + 4, reset_permissions ? BASE_RESET_PERMS : 0);
	return perm_cmd(a, BASE_RESET_AGENT_CONFIGURATION, tx, sizeof(tx));
}

/* ---------------------------------------------------------------- */
/* events                                                           */

static int base_get_num_sources(void *priv)
{
	return 1;
}

static int base_set_notify_enabled(void *priv, uint8_t evt_id,
				   uint32_t src_id, bool enable)
{
	struct scmi_agent *a = priv;
	uint8_t tx[4];
	int ret;

	if (evt_id != SCMI_EVENT_BASE_ERROR_EVENT || src_id != 0)
		return -EINVAL;
	scmi_put_le32(tx, enable ? 1 : 0);
	ret = scmi_agent_xfer(a, SCMI_PROTOCOL_BASE, BASE_NOTIFY_ERRORS, tx,
			      sizeof(tx), NULL, 0, NULL);
	/* the platform is gone: nothing is left on to turn off */
	if (!enable && (ret == -ECONNRESET || ret == -ENOTCONN))
		return 0;
	return ret;
}

/*
 * BASE_ERROR_EVENT: +0 agent_id, +4 error_status (bit 31 fatal, bits 9:0
 * count), +8 count u64 reports, low word first.
 */
static void *base_fill_custom_report(void *priv, uint8_t evt_id,
				     uint64_t timestamp_ns, const void *payld,
				     size_t payld_sz, void *report,
				     uint32_t *src_id)
{
	struct scmi_base_error_report *r = report;
	const uint8_t *p = payld;
	uint32_t status, count;

	if (evt_id != SCMI_EVENT_BASE_ERROR_EVENT || payld_sz < 8)
		return NULL;
	status = scmi_get_le32(p + 4);
	count = status & BASE_ERR_COUNT_MASK;
	if (payld_sz < 8 + 8 * (size_t)count)
		return NULL;

	r->timestamp = timestamp_ns;
	r->agent_id = scmi_get_le32(p);
	r->fatal = status & BASE_ERR_FATAL;
	r->cmd_count = count;
	for (uint32_t i = 0; i < count; i++)
		r->reports[i] = scmi_get_le64(p + 8 + 8 * i);
	*src_id = 0;
	return r;
}

static const struct scmi_event base_events[] = {
	{
		.id = SCMI_EVENT_BASE_ERROR_EVENT,
		/* the kernel's limit; the transport caps it at max_msg_size */
		.max_payld_sz = 8 + 8 * SCMI_BASE_MAX_CMD_ERR_COUNT,
		.max_report_sz = sizeof(struct scmi_base_error_report) +
				 8 * SCMI_BASE_MAX_CMD_ERR_COUNT,
	},
};

static const struct scmi_event_ops base_event_ops = {
	.get_num_sources = base_get_num_sources,
	.set_notify_enabled = base_set_notify_enabled,
	.fill_custom_report = base_fill_custom_report,
};

static const struct scmi_protocol_events base_protocol_events = {
	.queue_sz = 4 * SCMI_NOTIFY_DEFAULT_QUEUE_SZ, /* as the kernel's Base */
	.ops = &base_event_ops,
	.evts = base_events,
	.num_events = sizeof(base_events) / sizeof(base_events[0]),
	.num_sources = 1,
};

/* The SCMI specification's names of the events, by id (names.h). */
static const char *const base_event_names[] = {
	[SCMI_EVENT_BASE_ERROR_EVENT] = "BASE_ERROR_EVENT",
};

const struct scmi_proto_driver scmi_base_driver = {
	.proto_id = SCMI_PROTOCOL_BASE,
	.name = "base",
	.init = base_init,
	.events = &base_protocol_events,
	.event_names = base_event_names,
};
