/* SPDX-License-Identifier: MIT */
/*
 * The power domain protocol (0x11): discovery at connect, the public
 * calls of include/scmi/power.h, and POWER_STATE_CHANGED for the notify
 * core. See SCMI-REFERENCE.md 6.2.
 *
 * Discovery: PROTOCOL_VERSION (4 bytes), PROTOCOL_ATTRIBUTES (16 bytes:
 * domains in bits 15:0, the statistics area), then per domain
 * POWER_DOMAIN_ATTRIBUTES (20 bytes: attributes, name[16]) and, when the
 * version is 3.0 or later and attribute bit 27 says so,
 * POWER_DOMAIN_NAME_GET (68 bytes: flags, name[64]); when the latter
 * fails the short name stays, as Linux does. Any other failure (a platform
 * error, a reply of the wrong size, a transport error) fails the
 * protocol's bring-up: it stays down, the connect goes on.
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
#include <scmi/power.h>
#include <scmi/wire.h>

#include "common.h"
#include "log.h"
#include "protocols.h"
#include "symbols.h"

enum power_cmd {
	POWER_DOMAIN_ATTRIBUTES = 0x3,
	POWER_STATE_SET = 0x4,
	POWER_STATE_GET = 0x5,
	POWER_STATE_NOTIFY = 0x6,
	POWER_DOMAIN_NAME_GET = 0x8,
};

#define POWER_ATTR_NOTIFY (1u << 31)
#define POWER_ATTR_ASYNC (1u << 30)
#define POWER_ATTR_SYNC (1u << 29)
#define POWER_ATTR_EXT_NAME (1u << 27)
#define POWER_SET_ASYNC (1u << 0)
#define POWER_NUM_DOMAINS_MASK 0xFFFFu

#define POWER_SHORT_NAME_SZ 16
#define POWER_ATTRS_RX_SZ (4 + POWER_SHORT_NAME_SZ)
#define POWER_EVT_PAYLD_SZ 12 /* agent_id, domain_id, power_state */

struct power_domain {
	char name[SCMI_POWER_NAME_MAX];
	uint32_t attributes;
};

struct power_priv {
	struct scmi_agent *agent;
	struct scmi_power_protocol_info info;
	struct power_domain *doms;          /* info.num_domains entries */
};

/* The ids discovery found: 0..count-1 (common.h). */
#define POWER_COUNT_OFF offsetof(struct power_priv, info.num_domains)

static void power_free(struct power_priv *p)
{
	if (!p)
		return;
	free(p->doms);
	free(p);
}

/* ---------------------------------------------------------------- */
/* discovery                                                        */

static int domain_attributes(struct power_priv *p, uint32_t id)
{
	uint8_t tx[4], rx[POWER_ATTRS_RX_SZ];
	struct power_domain *d = &p->doms[id];
	int ret;

	scmi_put_le32(tx, id);
	ret = scmi_agent_xfer_exact(p->agent, SCMI_PROTOCOL_POWER,
				    POWER_DOMAIN_ATTRIBUTES, tx, sizeof(tx),
				    rx, sizeof(rx));
	if (ret)
		return ret;
	d->attributes = scmi_get_le32(rx);
	scmi_proto_copy_name(d->name, sizeof(d->name), rx + 4,
			     POWER_SHORT_NAME_SZ - 1);
	/* on any refusal the short name stays; a transport error fails */
	if ((d->attributes & POWER_ATTR_EXT_NAME) &&
	    SCMI_VERSION_MAJOR(p->info.version) >= 3)
		return scmi_proto_ext_name_get(p->agent, SCMI_PROTOCOL_POWER,
					       POWER_DOMAIN_NAME_GET,
					       "power domain", id, d->name,
					       sizeof(d->name));
	return 0;
}

static int power_init(struct scmi_agent *a, void **priv)
{
	const struct scmi_log *log = scmi_agent_log(a);
	struct power_priv *p;
	uint8_t rx[16];
	int ret;

	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->agent = a;

	ret = scmi_proto_version_attrs(a, SCMI_PROTOCOL_POWER, &p->info.version,
				       rx, sizeof(rx));
	if (ret)
		goto fail;
	p->info.num_domains = scmi_get_le32(rx) & POWER_NUM_DOMAINS_MASK;
	p->info.stats_addr = scmi_get_le64(rx + 4);
	p->info.stats_len = scmi_get_le32(rx + 12);

	p->doms = calloc(p->info.num_domains ? p->info.num_domains : 1,
			 sizeof(*p->doms));
	if (!p->doms) {
		ret = -ENOMEM;
		goto fail;
	}
	for (uint32_t id = 0; id < p->info.num_domains; id++) {
		ret = domain_attributes(p, id);
		if (ret) {
			scmi_err(log, "power domain %u: attributes: %d", id, ret);
			goto fail;
		}
	}
	if (!p->info.num_domains)
		scmi_warn(log, "power: the platform has no power domains");

	scmi_info(log, "power v%u.%u: %u domains",
		  SCMI_VERSION_MAJOR(p->info.version),
		  SCMI_VERSION_MINOR(p->info.version), p->info.num_domains);
	*priv = p;
	return 0;

fail:
	power_free(p);
	return ret;
}

static void power_fini(struct scmi_agent *a, void *priv)
{
	power_free(priv);
}

/* ---------------------------------------------------------------- */
/* public calls                                                     */

/*
 * Domain @domain_id of @a, or NULL with *ret: -EINVAL NULL @a or an
 * unknown domain, -ENOTCONN, -EOPNOTSUPP the protocol is not up.
 */
static const struct power_domain *power_domain_get(struct scmi_agent *a,
						   uint32_t domain_id,
						   int *ret)
{
	struct power_priv *p;

	p = scmi_proto_lookup_id(a, SCMI_PROTOCOL_POWER, POWER_COUNT_OFF,
				 domain_id, ret);
	return p ? &p->doms[domain_id] : NULL;
}

SCMI_EXPORT int scmi_power_domain_count(struct scmi_agent *a)
{
	return scmi_proto_count(a, SCMI_PROTOCOL_POWER, POWER_COUNT_OFF);
}

int scmi_power_protocol_info_get_full(struct scmi_agent *a,
				      struct scmi_power_protocol_info *info)
{
	return scmi_proto_info_get(a, SCMI_PROTOCOL_POWER,
				   offsetof(struct power_priv, info), info,
				   sizeof(*info));
}

static int state_get(struct scmi_agent *a, uint32_t domain_id,
		     uint32_t *state)
{
	uint8_t tx[4], rx[4];
	int ret;

	scmi_put_le32(tx, domain_id);
	ret = scmi_agent_xfer_exact(a, SCMI_PROTOCOL_POWER, POWER_STATE_GET,
				    tx, sizeof(tx), rx, sizeof(rx));
	if (!ret)
		*state = scmi_get_le32(rx);
	return ret;
}

int scmi_power_domain_info_get_full(struct scmi_agent *a, uint32_t domain_id,
				    struct scmi_power_domain_info *info)
{
	const struct power_domain *d;
	uint32_t state;
	int ret;

	if (!info)
		return -EINVAL;
	d = power_domain_get(a, domain_id, &ret);
	if (!d)
		return ret;
	ret = state_get(a, domain_id, &state);
	if (ret)
		return ret;
	memset(info, 0, sizeof(*info));
	memcpy(info->name, d->name, sizeof(info->name));
	info->attributes = d->attributes;
	info->notify = d->attributes & POWER_ATTR_NOTIFY;
	info->async = d->attributes & POWER_ATTR_ASYNC;
	info->sync = d->attributes & POWER_ATTR_SYNC;
	info->extended_name = d->attributes & POWER_ATTR_EXT_NAME;
	info->state = state;
	return 0;
}

SCMI_EXPORT int scmi_power_state_get(struct scmi_agent *a, uint32_t domain_id,
				     uint32_t *state)
{
	int ret;

	if (!state)
		return -EINVAL;
	if (!power_domain_get(a, domain_id, &ret))
		return ret;
	return state_get(a, domain_id, state);
}

static int state_set(struct scmi_agent *a, uint32_t domain_id,
		     uint32_t state, bool async)
{
	const struct power_domain *d;
	uint8_t tx[12];
	int ret;

	d = power_domain_get(a, domain_id, &ret);
	if (!d)
		return ret;
	if (state & SCMI_POWER_STATE_RESERVED_MASK)
		return -EINVAL;
	if (!(d->attributes & (async ? POWER_ATTR_ASYNC : POWER_ATTR_SYNC)))
		return -EOPNOTSUPP;
	scmi_put_le32(tx, async ? POWER_SET_ASYNC : 0);
	scmi_put_le32(tx + 4, domain_id);
	scmi_put_le32(tx + 8, state);
	return scmi_agent_xfer(a, SCMI_PROTOCOL_POWER, POWER_STATE_SET, tx,
			       sizeof(tx), NULL, 0, NULL);
}

SCMI_EXPORT int scmi_power_state_set(struct scmi_agent *a, uint32_t domain_id,
				     uint32_t state)
{
	return state_set(a, domain_id, state, false);
}

SCMI_EXPORT int scmi_power_state_set_async(struct scmi_agent *a,
					   uint32_t domain_id, uint32_t state)
{
	return state_set(a, domain_id, state, true);
}

/* ---------------------------------------------------------------- */
/* events                                                           */

static int power_get_num_sources(void *priv)
{
	struct power_priv *p = priv;

	return (int)p->info.num_domains;
}

static int power_set_notify_enabled(void *priv, uint8_t evt_id,
				    uint32_t src_id, bool enable)
{
	struct power_priv *p = priv;
	uint8_t tx[8];
	int ret;

	if (evt_id != SCMI_EVENT_POWER_STATE_CHANGED ||
	    src_id >= p->info.num_domains)
		return -EINVAL;
	scmi_put_le32(tx, src_id);
	scmi_put_le32(tx + 4, enable ? 1 : 0);
	ret = scmi_agent_xfer(p->agent, SCMI_PROTOCOL_POWER,
			      POWER_STATE_NOTIFY, tx, sizeof(tx), NULL, 0,
			      NULL);
	return scmi_proto_notify_result(enable, ret);
}

static bool power_is_notify_supported(void *priv, uint8_t evt_id,
				      uint32_t src_id)
{
	struct power_priv *p = priv;

	return evt_id == SCMI_EVENT_POWER_STATE_CHANGED &&
	       src_id < p->info.num_domains &&
	       (p->doms[src_id].attributes & POWER_ATTR_NOTIFY);
}

/* POWER_STATE_CHANGED: +0 agent_id, +4 domain_id, +8 power_state. */
static void *power_fill_custom_report(void *priv, uint8_t evt_id,
				      uint64_t timestamp_ns, const void *payld,
				      size_t payld_sz, void *report,
				      uint32_t *src_id)
{
	struct power_priv *p = priv;
	struct scmi_power_state_changed_report *r = report;
	const uint8_t *b = payld;
	uint32_t domain_id;

	if (evt_id != SCMI_EVENT_POWER_STATE_CHANGED ||
	    payld_sz != POWER_EVT_PAYLD_SZ)
		return NULL;
	domain_id = scmi_get_le32(b + 4);
	if (domain_id >= p->info.num_domains)
		return NULL;
	r->timestamp = timestamp_ns;
	r->agent_id = scmi_get_le32(b);
	r->domain_id = domain_id;
	r->power_state = scmi_get_le32(b + 8);
	*src_id = domain_id;
	return r;
}

static const struct scmi_event power_events[] = {
	{
		.id = SCMI_EVENT_POWER_STATE_CHANGED,
		.max_payld_sz = POWER_EVT_PAYLD_SZ,
		.max_report_sz = sizeof(struct scmi_power_state_changed_report),
	},
};

static const struct scmi_event_ops power_event_ops = {
	.get_num_sources = power_get_num_sources,
	.set_notify_enabled = power_set_notify_enabled,
	.fill_custom_report = power_fill_custom_report,
	.is_notify_supported = power_is_notify_supported,
};

static const struct scmi_protocol_events power_protocol_events = {
	.ops = &power_event_ops,
	.evts = power_events,
	.num_events = sizeof(power_events) / sizeof(power_events[0]),
};

/* The SCMI specification's names of the events, by id (names.h). */
static const char *const power_event_names[] = {
	[SCMI_EVENT_POWER_STATE_CHANGED] = "POWER_STATE_CHANGED",
};

const struct scmi_proto_driver scmi_power_driver = {
	.proto_id = SCMI_PROTOCOL_POWER,
	.name = "power",
	.init = power_init,
	.fini = power_fini,
	.events = &power_protocol_events,
	.event_names = power_event_names,
};
