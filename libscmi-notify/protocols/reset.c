/* SPDX-License-Identifier: MIT */
/*
 * The reset domain protocol (0x16): discovery at connect, the public
 * calls of include/scmi/reset.h, and RESET_ISSUED for the notify core.
 * See SCMI-REFERENCE.md 6.7.
 *
 * Discovery: PROTOCOL_VERSION (4 bytes), PROTOCOL_ATTRIBUTES (4 bytes:
 * domains in bits 15:0), then per domain RESET_DOMAIN_ATTRIBUTES (24
 * bytes: attributes, latency, name[16]) and, when the version is 3.0 or
 * later and attribute bit 29 says so, RESET_DOMAIN_NAME_GET (68 bytes:
 * flags, name[64]); when the latter fails the short name stays, as Linux
 * does. Any other failure fails the protocol's bring-up: it stays down,
 * the connect goes on.
 *
 * An autonomous RESET of a domain that supports asynchronous resets is
 * sent asynchronous (bit 2), as Linux sends it: scmi_reset_domain_reset()
 * waits for the delayed response RESET_COMPLETE, and
 * scmi_reset_domain_reset_async() completes through its callback
 * (common.h); on any other domain both are synchronous, and the latter's
 * callback comes later all the same. Assert and de-assert are
 * synchronous.
 *
 * The public calls reach the private struct of their agent through
 * scmi_agent_proto_priv() (common.c): it is read-only once init returns,
 * and disconnect never runs beside other calls on the agent (agent.h).
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <scmi/agent.h>
#include <scmi/reset.h>
#include <scmi/wire.h>

#include "common.h"
#include "log.h"
#include "protocols.h"
#include "symbols.h"

enum reset_cmd {
	RESET_DOMAIN_ATTRIBUTES = 0x3,
	RESET = 0x4,
	RESET_NOTIFY = 0x5,
	RESET_DOMAIN_NAME_GET = 0x6,
};

#define RESET_ATTR_ASYNC (1u << 31)
#define RESET_ATTR_NOTIFY (1u << 30)
#define RESET_ATTR_EXT_NAME (1u << 29)
#define RESET_NUM_DOMAINS_MASK 0xFFFFu

/* RESET flags */
#define RESET_AUTONOMOUS (1u << 0)
#define RESET_EXPLICIT_ASSERT (1u << 1)
#define RESET_ASYNC (1u << 2)

#define RESET_SHORT_NAME_SZ 16
#define RESET_ATTRS_RX_SZ (8 + RESET_SHORT_NAME_SZ)
#define RESET_EVT_PAYLD_SZ 12 /* agent_id, domain_id, reset_state */

struct reset_domain {
	char name[SCMI_RESET_NAME_MAX];
	uint32_t attributes;
	uint32_t latency_us;
};

struct reset_priv {
	struct scmi_agent *agent;
	struct scmi_reset_protocol_info info;
	struct reset_domain *doms;          /* info.num_domains entries */
};

/* The ids discovery found: 0..count-1 (common.h). */
#define RESET_COUNT_OFF offsetof(struct reset_priv, info.num_domains)

static void reset_free(struct reset_priv *p)
{
	if (!p)
		return;
	free(p->doms);
	free(p);
}

/* ---------------------------------------------------------------- */
/* discovery                                                        */

static int domain_attributes(struct reset_priv *p, uint32_t id)
{
	uint8_t tx[4], rx[RESET_ATTRS_RX_SZ];
	struct reset_domain *d = &p->doms[id];
	int ret;

	scmi_put_le32(tx, id);
	ret = scmi_agent_xfer_exact(p->agent, SCMI_PROTOCOL_RESET,
				    RESET_DOMAIN_ATTRIBUTES, tx, sizeof(tx),
				    rx, sizeof(rx));
	if (ret)
		return ret;
	d->attributes = scmi_get_le32(rx);
	d->latency_us = scmi_get_le32(rx + 4);
	scmi_proto_copy_name(d->name, sizeof(d->name), rx + 8,
			     RESET_SHORT_NAME_SZ - 1);
	/* on any refusal the short name stays; a transport error fails */
	if ((d->attributes & RESET_ATTR_EXT_NAME) &&
	    SCMI_VERSION_MAJOR(p->info.version) >= 3)
		return scmi_proto_ext_name_get(p->agent, SCMI_PROTOCOL_RESET,
					       RESET_DOMAIN_NAME_GET,
					       "reset domain", id, d->name,
					       sizeof(d->name));
	return 0;
}

static int reset_init(struct scmi_agent *a, void **priv)
{
	const struct scmi_log *log = scmi_agent_log(a);
	struct reset_priv *p;
	uint8_t rx[4];
	int ret;

	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->agent = a;

	ret = scmi_proto_version_attrs(a, SCMI_PROTOCOL_RESET, &p->info.version,
				       rx, sizeof(rx));
	if (ret)
		goto fail;
	p->info.num_domains = scmi_get_le32(rx) & RESET_NUM_DOMAINS_MASK;

	p->doms = calloc(p->info.num_domains ? p->info.num_domains : 1,
			 sizeof(*p->doms));
	if (!p->doms) {
		ret = -ENOMEM;
		goto fail;
	}
	for (uint32_t id = 0; id < p->info.num_domains; id++) {
		ret = domain_attributes(p, id);
		if (ret) {
			scmi_err(log, "reset domain %u: attributes: %d", id, ret);
			goto fail;
		}
	}
	if (!p->info.num_domains)
		scmi_warn(log, "reset: the platform has no reset domains");

	scmi_info(log, "reset v%u.%u: %u domains",
		  SCMI_VERSION_MAJOR(p->info.version),
		  SCMI_VERSION_MINOR(p->info.version), p->info.num_domains);
	*priv = p;
	return 0;

fail:
	reset_free(p);
	return ret;
}

static void reset_fini(struct scmi_agent *a, void *priv)
{
	reset_free(priv);
}

/* ---------------------------------------------------------------- */
/* public calls                                                     */

/*
 * Domain @domain_id of @a, or NULL with *ret: -EINVAL NULL @a or an
 * unknown domain, -ENOTCONN, -EOPNOTSUPP the protocol is not up.
 */
static const struct reset_domain *reset_domain_get(struct scmi_agent *a,
						   uint32_t domain_id,
						   int *ret)
{
	struct reset_priv *p;

	p = scmi_proto_lookup_id(a, SCMI_PROTOCOL_RESET, RESET_COUNT_OFF,
				 domain_id, ret);
	return p ? &p->doms[domain_id] : NULL;
}

SCMI_EXPORT int scmi_reset_domain_count(struct scmi_agent *a)
{
	return scmi_proto_count(a, SCMI_PROTOCOL_RESET, RESET_COUNT_OFF);
}

int scmi_reset_protocol_info_get_full(struct scmi_agent *a,
				      struct scmi_reset_protocol_info *info)
{
	return scmi_proto_info_get(a, SCMI_PROTOCOL_RESET,
				   offsetof(struct reset_priv, info), info,
				   sizeof(*info));
}

int scmi_reset_domain_info_get_full(struct scmi_agent *a, uint32_t domain_id,
				    struct scmi_reset_domain_info *info)
{
	const struct reset_domain *d;
	int ret;

	if (!info)
		return -EINVAL;
	d = reset_domain_get(a, domain_id, &ret);
	if (!d)
		return ret;
	memset(info, 0, sizeof(*info));
	memcpy(info->name, d->name, sizeof(info->name));
	info->attributes = d->attributes;
	info->async = d->attributes & RESET_ATTR_ASYNC;
	info->notify = d->attributes & RESET_ATTR_NOTIFY;
	info->extended_name = d->attributes & RESET_ATTR_EXT_NAME;
	info->latency_us = d->latency_us;
	return 0;
}

/*
 * RESET of domain @domain_id, the architectural cold reset, with @flags
 * into @tx. An autonomous reset of a domain that supports it is
 * asynchronous, as Linux sends it (*@async): done when RESET_COMPLETE
 * (domain_id) arrives. Returns 0, or the error of reset_domain_get().
 */
static int reset_tx(struct scmi_agent *a, uint32_t domain_id, uint32_t flags,
		    uint8_t tx[12], bool *async)
{
	const struct reset_domain *d;
	int ret;

	d = reset_domain_get(a, domain_id, &ret);
	if (!d)
		return ret;
	*async = (flags & RESET_AUTONOMOUS) &&
		 (d->attributes & RESET_ATTR_ASYNC);
	scmi_put_le32(tx, domain_id);
	scmi_put_le32(tx + 4, *async ? flags | RESET_ASYNC : flags);
	scmi_put_le32(tx + 8, SCMI_RESET_STATE_COLD);
	return 0;
}

static int reset_cmd(struct scmi_agent *a, uint32_t domain_id,
		     uint32_t flags)
{
	uint8_t tx[12];
	bool async = false;
	int ret;

	ret = reset_tx(a, domain_id, flags, tx, &async);
	if (ret)
		return ret;
	if (async)
		return scmi_proto_xfer_async_id(a, SCMI_PROTOCOL_RESET, RESET,
						tx, sizeof(tx), domain_id,
						NULL, 0);
	return scmi_agent_xfer(a, SCMI_PROTOCOL_RESET, RESET, tx, sizeof(tx),
			       NULL, 0, NULL);
}

SCMI_EXPORT int scmi_reset_domain_reset(struct scmi_agent *a,
					uint32_t domain_id)
{
	return reset_cmd(a, domain_id, RESET_AUTONOMOUS);
}

SCMI_EXPORT int scmi_reset_domain_reset_async(struct scmi_agent *a,
					      uint32_t domain_id,
					      scmi_reset_async_fn done,
					      void *userdata)
{
	uint8_t tx[12];
	struct scmi_proto_async_cmd cmd = {
		.proto_id = SCMI_PROTOCOL_RESET,
		.msg_id = RESET,
		.tx = tx,
		.tx_sz = sizeof(tx),
		.id = domain_id,
	};
	int ret;

	if (!done)
		return -EINVAL;
	ret = reset_tx(a, domain_id, RESET_AUTONOMOUS, tx, &cmd.async);
	if (ret)
		return ret;
	return scmi_proto_async_result(a, &cmd, done, userdata);
}

SCMI_EXPORT int scmi_reset_domain_assert(struct scmi_agent *a,
					 uint32_t domain_id)
{
	return reset_cmd(a, domain_id, RESET_EXPLICIT_ASSERT);
}

SCMI_EXPORT int scmi_reset_domain_deassert(struct scmi_agent *a,
					   uint32_t domain_id)
{
	return reset_cmd(a, domain_id, 0);
}

/* ---------------------------------------------------------------- */
/* events                                                           */

static int reset_get_num_sources(void *priv)
{
	struct reset_priv *p = priv;

	return (int)p->info.num_domains;
}

static int reset_set_notify_enabled(void *priv, uint8_t evt_id,
				    uint32_t src_id, bool enable)
{
	struct reset_priv *p = priv;
	uint8_t tx[8];
	int ret;

	if (evt_id != SCMI_EVENT_RESET_ISSUED || src_id >= p->info.num_domains)
		return -EINVAL;
	scmi_put_le32(tx, src_id);
	scmi_put_le32(tx + 4, enable ? 1 : 0);
	ret = scmi_agent_xfer(p->agent, SCMI_PROTOCOL_RESET, RESET_NOTIFY, tx,
			      sizeof(tx), NULL, 0, NULL);
	return scmi_proto_notify_result(enable, ret);
}

static bool reset_is_notify_supported(void *priv, uint8_t evt_id,
				      uint32_t src_id)
{
	struct reset_priv *p = priv;

	return evt_id == SCMI_EVENT_RESET_ISSUED &&
	       src_id < p->info.num_domains &&
	       (p->doms[src_id].attributes & RESET_ATTR_NOTIFY);
}

/* RESET_ISSUED: +0 agent_id, +4 domain_id, +8 reset_state. */
static void *reset_fill_custom_report(void *priv, uint8_t evt_id,
				      uint64_t timestamp_ns, const void *payld,
				      size_t payld_sz, void *report,
				      uint32_t *src_id)
{
	struct reset_priv *p = priv;
	struct scmi_reset_issued_report *r = report;
	const uint8_t *b = payld;
	uint32_t domain_id;

	if (evt_id != SCMI_EVENT_RESET_ISSUED || payld_sz != RESET_EVT_PAYLD_SZ)
		return NULL;
	domain_id = scmi_get_le32(b + 4);
	if (domain_id >= p->info.num_domains)
		return NULL;
	r->timestamp = timestamp_ns;
	r->agent_id = scmi_get_le32(b);
	r->domain_id = domain_id;
	r->reset_state = scmi_get_le32(b + 8);
	*src_id = domain_id;
	return r;
}

static const struct scmi_event reset_events[] = {
	{
		.id = SCMI_EVENT_RESET_ISSUED,
		.max_payld_sz = RESET_EVT_PAYLD_SZ,
		.max_report_sz = sizeof(struct scmi_reset_issued_report),
	},
};

static const struct scmi_event_ops reset_event_ops = {
	.get_num_sources = reset_get_num_sources,
	.set_notify_enabled = reset_set_notify_enabled,
	.fill_custom_report = reset_fill_custom_report,
	.is_notify_supported = reset_is_notify_supported,
};

static const struct scmi_protocol_events reset_protocol_events = {
	.ops = &reset_event_ops,
	.evts = reset_events,
	.num_events = sizeof(reset_events) / sizeof(reset_events[0]),
};

/* The SCMI specification's names of the events, by id (names.h). */
static const char *const reset_event_names[] = {
	[SCMI_EVENT_RESET_ISSUED] = "RESET_ISSUED",
};

const struct scmi_proto_driver scmi_reset_driver = {
	.proto_id = SCMI_PROTOCOL_RESET,
	.name = "reset",
	.init = reset_init,
	.fini = reset_fini,
	.events = &reset_protocol_events,
	.event_names = reset_event_names,
};
