/* SPDX-License-Identifier: MIT */
/*
 * The Voltage domain protocol (0x17): discovery at connect and the config
 * and level commands. The protocol has no events. See SCMI-REFERENCE.md
 * 6.8.
 *
 * Discovery, as Linux 6.6 does it: PROTOCOL_VERSION and
 * PROTOCOL_ATTRIBUTES, then for each domain VOLTAGE_DOMAIN_ATTRIBUTES,
 * VOLTAGE_DOMAIN_NAME_GET when the domain offers it (major >= 2; a failure
 * keeps the short name) and VOLTAGE_DESCRIBE_LEVELS, paged: the first page
 * fixes the count (returned + remaining) and the format; a segmented
 * domain must send exactly 3 values and nothing remaining; a page
 * announcing more values than are left of the count is refused. A domain
 * whose levels cannot be read keeps none (users get -ENODATA, as the
 * kernel hides it). A malformed reply, a transport error or a refused
 * DOMAIN_ATTRIBUTES fails the protocol.
 *
 * LEVEL_SET is asynchronous on a domain that offers it (from major 2), as
 * Linux sends it: scmi_voltage_level_set() waits for the delayed response
 * (domain_id, level), whose domain must be the one asked for (-EPROTO),
 * and scmi_voltage_level_set_async() completes through its callback when
 * it comes (common.h). Elsewhere both are synchronous (flags 0), and the
 * latter's callback comes later all the same.
 *
 * The discovered state is immutable once init returns; public calls find
 * it through scmi_agent_proto_priv() (common.c). A public call must not
 * run concurrently with scmi_agent_connect()/disconnect() of its agent
 * (agent.h).
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <scmi/agent.h>
#include <scmi/voltage.h>
#include <scmi/wire.h>

#include "common.h"
#include "log.h"
#include "protocols.h"
#include "symbols.h"

enum voltage_cmd {
	VOLTAGE_DOMAIN_ATTRIBUTES = 0x3,
	VOLTAGE_DESCRIBE_LEVELS = 0x4,
	VOLTAGE_CONFIG_SET = 0x5,
	VOLTAGE_CONFIG_GET = 0x6,
	VOLTAGE_LEVEL_SET = 0x7,
	VOLTAGE_LEVEL_GET = 0x8,
	VOLTAGE_DOMAIN_NAME_GET = 0x9,
};

#define VOLT_NUM_DOMAINS_MASK 0xFFFFu
#define VOLT_ATTR_ASYNC (1u << 31)       /* from major 2 */
#define VOLT_LEVEL_SET_ASYNC (1u << 0)
#define VOLT_ATTR_EXT_NAME (1u << 30)    /* from major 2 */

#define VOLT_SHORT_NAME_SZ 16

/* DESCRIBE_LEVELS flags word */
#define VOLT_LEVELS_RETURNED(w) ((w) & 0xFFFu)
#define VOLT_LEVELS_SEGMENTED(w) (((w) >> 12) & 1u)
#define VOLT_LEVELS_REMAINING(w) ((w) >> 16)
/* a page holds at most 4095 values: the largest well-formed reply */
#define VOLT_LEVELS_RX_SZ (4 + 4 * 0xFFF)

struct volt_dom {
	struct scmi_voltage_domain_info info;
	int32_t *levels_uv;                 /* [info.num_levels] */
};

struct volt_priv {
	struct scmi_agent *agent;
	struct scmi_voltage_protocol_info info;
	struct volt_dom *doms;              /* [info.num_domains] */
};

/* The ids discovery found: 0..count-1 (common.h). */
#define VOLT_COUNT_OFF offsetof(struct volt_priv, info.num_domains)

/*
 * Domain @domain_id of @a, or NULL with *ret: -EINVAL NULL agent or an
 * unknown domain, -ENOTCONN, or -EOPNOTSUPP the protocol is not up.
 */
static struct volt_dom *volt_lookup_domain(struct scmi_agent *a,
					   uint32_t domain_id, int *ret)
{
	struct volt_priv *p;

	p = scmi_proto_lookup_id(a, SCMI_PROTOCOL_VOLTAGE, VOLT_COUNT_OFF,
				 domain_id, ret);
	return p ? &p->doms[domain_id] : NULL;
}

/* ---------------------------------------------------------------- */
/* discovery                                                        */

static int domain_attributes(struct volt_priv *p, struct volt_dom *vd)
{
	struct scmi_voltage_domain_info *d = &vd->info;
	struct scmi_agent *a = p->agent;
	bool v2 = SCMI_VERSION_MAJOR(p->info.version) >= 2;
	uint8_t tx[4], rx[4 + VOLT_SHORT_NAME_SZ];
	uint32_t attr;
	int ret;

	scmi_put_le32(tx, d->id);
	ret = scmi_agent_xfer_exact(a, SCMI_PROTOCOL_VOLTAGE,
				    VOLTAGE_DOMAIN_ATTRIBUTES, tx, sizeof(tx),
				    rx, sizeof(rx));
	if (ret) {
		scmi_err(scmi_agent_log(a),
			 "voltage domain %u: DOMAIN_ATTRIBUTES: %d", d->id, ret);
		return ret;
	}
	attr = scmi_get_le32(rx);
	d->async_level_set = v2 && (attr & VOLT_ATTR_ASYNC);
	d->extended_name = v2 && (attr & VOLT_ATTR_EXT_NAME);
	/* all 16 bytes of a field that lacks its NUL are taken */
	scmi_proto_copy_name(d->name, sizeof(d->name), rx + 4,
			     VOLT_SHORT_NAME_SZ);

	if (d->extended_name) {
		/* refused or malformed: short name kept; no answer: stop */
		ret = scmi_proto_ext_name_get(a, SCMI_PROTOCOL_VOLTAGE,
					      VOLTAGE_DOMAIN_NAME_GET,
					      "voltage domain", d->id, d->name,
					      sizeof(d->name));
		if (scmi_proto_unreachable(ret))
			return ret;
		if (ret)
			scmi_warn(scmi_agent_log(a),
				  "voltage domain %u: DOMAIN_NAME_GET: %d, keeping \"%s\"",
				  d->id, ret, d->name);
	}
	return 0;
}

/*
 * VOLTAGE_DESCRIBE_LEVELS, paged, into vd->levels_uv. 0; -EPROTO a
 * malformed page (a bad segment, a count beyond the first page's, a size
 * that does not match); the platform's refusal; -ENOMEM; or a transport
 * error. @rx has VOLT_LEVELS_RX_SZ bytes.
 */
static int describe_levels(struct volt_priv *p, struct volt_dom *vd,
			   uint8_t *rx)
{
	const struct scmi_log *log = scmi_agent_log(p->agent);
	struct scmi_voltage_domain_info *d = &vd->info;
	uint32_t got = 0, total = 0, num, remaining;

	do {
		uint32_t flags;
		size_t n;
		int ret;

		ret = scmi_proto_page_get(p->agent, SCMI_PROTOCOL_VOLTAGE,
					  VOLTAGE_DESCRIBE_LEVELS, d->id, got,
					  rx, VOLT_LEVELS_RX_SZ, &n);
		if (ret)
			return ret;
		flags = scmi_get_le32(rx);
		num = VOLT_LEVELS_RETURNED(flags);
		remaining = VOLT_LEVELS_REMAINING(flags);
		if (!vd->levels_uv) {
			/* the first page fixes the format and the count */
			d->segmented = VOLT_LEVELS_SEGMENTED(flags);
			if (d->segmented && (num != 3 || remaining)) {
				scmi_err(log,
					 "voltage domain %u: segment of %u values, %u remaining",
					 d->id, num, remaining);
				return -EPROTO;
			}
			total = num + remaining;
			if (!total)
				break;
			vd->levels_uv = calloc(total, sizeof(*vd->levels_uv));
			if (!vd->levels_uv)
				return -ENOMEM;
		}
		if (num > total - got) {
			scmi_err(log,
				 "voltage domain %u: DESCRIBE_LEVELS: %u values, %u left of %u",
				 d->id, num, total - got, total);
			return -EPROTO;
		}
		if (n != 4 + 4 * (size_t)num) {
			scmi_err(log,
				 "voltage domain %u: DESCRIBE_LEVELS: %zu return bytes for %u values",
				 d->id, n, num);
			return -EPROTO;
		}
		for (uint32_t i = 0; i < num; i++) {
			int32_t uv = (int32_t)scmi_get_le32(rx + 4 + 4 * i);

			vd->levels_uv[got + i] = uv;
			if (uv < 0)
				d->negative_volts_allowed = true;
		}
		got += num;
	} while (num && remaining);

	if (got < total)
		scmi_warn(log, "voltage domain %u: %u of %u levels described",
			  d->id, got, total);
	d->num_levels = got;
	return 0;
}

static void volt_free(struct volt_priv *p)
{
	if (!p)
		return;
	if (p->doms)
		for (uint32_t i = 0; i < p->info.num_domains; i++)
			free(p->doms[i].levels_uv);
	free(p->doms);
	free(p);
}

static int volt_init(struct scmi_agent *a, void **priv)
{
	const struct scmi_log *log = scmi_agent_log(a);
	struct volt_priv *p;
	uint8_t *rx = NULL;
	uint8_t w[4];
	int ret;

	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->agent = a;

	ret = scmi_proto_version_attrs(a, SCMI_PROTOCOL_VOLTAGE,
				       &p->info.version, w, sizeof(w));
	if (ret)
		goto fail;
	p->info.num_domains = scmi_get_le32(w) & VOLT_NUM_DOMAINS_MASK;
	if (!p->info.num_domains)
		scmi_warn(log, "voltage: the platform has no domains");

	p->doms = calloc(p->info.num_domains ? p->info.num_domains : 1,
			 sizeof(*p->doms));
	rx = malloc(VOLT_LEVELS_RX_SZ);
	if (!p->doms || !rx) {
		ret = -ENOMEM;
		goto fail;
	}
	for (uint32_t i = 0; i < p->info.num_domains; i++) {
		struct volt_dom *vd = &p->doms[i];

		vd->info.id = i;
		ret = domain_attributes(p, vd);
		if (ret)
			goto fail;
		ret = describe_levels(p, vd, rx);
		if (scmi_proto_unreachable(ret) || ret == -ENOMEM)
			goto fail;
		if (ret) {
			scmi_warn(log, "voltage domain %u (%s): no levels: %d",
				  i, vd->info.name, ret);
			free(vd->levels_uv);
			vd->levels_uv = NULL;
			vd->info.num_levels = 0;
			vd->info.segmented = false;
			vd->info.negative_volts_allowed = false;
		}
	}
	free(rx);

	scmi_info(log, "voltage v%u.%u: %u domains",
		  SCMI_VERSION_MAJOR(p->info.version),
		  SCMI_VERSION_MINOR(p->info.version), p->info.num_domains);
	*priv = p;
	return 0;

fail:
	free(rx);
	volt_free(p);
	return ret;
}

static void volt_fini(struct scmi_agent *a, void *priv)
{
	volt_free(priv);
}

/* ---------------------------------------------------------------- */
/* public calls                                                     */

int scmi_voltage_protocol_info_get_full(struct scmi_agent *a,
					struct scmi_voltage_protocol_info *info)
{
	return scmi_proto_info_get(a, SCMI_PROTOCOL_VOLTAGE,
				   offsetof(struct volt_priv, info), info,
				   sizeof(*info));
}

SCMI_EXPORT int scmi_voltage_domain_count(struct scmi_agent *a)
{
	return scmi_proto_count(a, SCMI_PROTOCOL_VOLTAGE, VOLT_COUNT_OFF);
}

int scmi_voltage_domain_info_get_full(struct scmi_agent *a, uint32_t domain_id,
				      struct scmi_voltage_domain_info *info)
{
	const struct volt_dom *vd;
	int ret;

	if (!info)
		return -EINVAL;
	vd = volt_lookup_domain(a, domain_id, &ret);
	if (!vd)
		return ret;
	if (!vd->info.num_levels)
		return -ENODATA;
	*info = vd->info;
	return 0;
}

SCMI_EXPORT int scmi_voltage_domain_levels(struct scmi_agent *a,
					   uint32_t domain_id,
					   int32_t *levels_uv, size_t cap)
{
	const struct volt_dom *vd;
	size_t n;
	int ret;

	if (!levels_uv && cap)
		return -EINVAL;
	vd = volt_lookup_domain(a, domain_id, &ret);
	if (!vd)
		return ret;
	if (!vd->info.num_levels)
		return -ENODATA;
	n = vd->info.num_levels < cap ? vd->info.num_levels : cap;
	if (n)
		memcpy(levels_uv, vd->levels_uv, n * sizeof(*levels_uv));
	return (int)vd->info.num_levels;
}

SCMI_EXPORT int scmi_voltage_config_get(struct scmi_agent *a,
					uint32_t domain_id, uint32_t *config)
{
	uint8_t tx[4], rx[4];
	int ret;

	if (!config)
		return -EINVAL;
	if (!volt_lookup_domain(a, domain_id, &ret))
		return ret;
	scmi_put_le32(tx, domain_id);
	ret = scmi_agent_xfer_exact(a, SCMI_PROTOCOL_VOLTAGE,
				    VOLTAGE_CONFIG_GET, tx, sizeof(tx), rx,
				    sizeof(rx));
	if (ret)
		return ret;
	*config = scmi_get_le32(rx);
	return 0;
}

SCMI_EXPORT int scmi_voltage_config_set(struct scmi_agent *a,
					uint32_t domain_id, uint32_t config)
{
	uint8_t tx[8];
	int ret;

	if (!volt_lookup_domain(a, domain_id, &ret))
		return ret;
	scmi_put_le32(tx, domain_id);
	scmi_put_le32(tx + 4, config);
	return scmi_agent_xfer(a, SCMI_PROTOCOL_VOLTAGE, VOLTAGE_CONFIG_SET,
			       tx, sizeof(tx), NULL, 0, NULL);
}

SCMI_EXPORT int scmi_voltage_level_get(struct scmi_agent *a,
				       uint32_t domain_id, int32_t *level_uv)
{
	uint8_t tx[4], rx[4];
	int ret;

	if (!level_uv)
		return -EINVAL;
	if (!volt_lookup_domain(a, domain_id, &ret))
		return ret;
	scmi_put_le32(tx, domain_id);
	ret = scmi_agent_xfer_exact(a, SCMI_PROTOCOL_VOLTAGE,
				    VOLTAGE_LEVEL_GET, tx, sizeof(tx), rx,
				    sizeof(rx));
	if (ret)
		return ret;
	*level_uv = (int32_t)scmi_get_le32(rx);
	return 0;
}

/*
 * VOLTAGE_LEVEL_SET of domain @domain_id to @level_uv into @tx:
 * asynchronous on a domain that offers it, as Linux sends it. Returns
 * the domain, or NULL with *@ret as volt_lookup_domain().
 */
static const struct volt_dom *level_set_tx(struct scmi_agent *a,
					   uint32_t domain_id,
					   int32_t level_uv, uint8_t tx[12],
					   int *ret)
{
	const struct volt_dom *vd = volt_lookup_domain(a, domain_id, ret);

	if (!vd)
		return NULL;
	scmi_put_le32(tx, domain_id);
	scmi_put_le32(tx + 4,
		      vd->info.async_level_set ? VOLT_LEVEL_SET_ASYNC : 0);
	scmi_put_le32(tx + 8, (uint32_t)level_uv);
	return vd;
}

SCMI_EXPORT int scmi_voltage_level_set(struct scmi_agent *a,
				       uint32_t domain_id, int32_t level_uv)
{
	const struct volt_dom *vd;
	uint8_t tx[12];
	int ret;

	vd = level_set_tx(a, domain_id, level_uv, tx, &ret);
	if (!vd)
		return ret;
	if (vd->info.async_level_set)
		return scmi_proto_xfer_async_id(a, SCMI_PROTOCOL_VOLTAGE,
						VOLTAGE_LEVEL_SET, tx,
						sizeof(tx), domain_id, NULL, 4);
	return scmi_agent_xfer(a, SCMI_PROTOCOL_VOLTAGE, VOLTAGE_LEVEL_SET, tx,
			       sizeof(tx), NULL, 0, NULL);
}

SCMI_EXPORT int scmi_voltage_level_set_async(struct scmi_agent *a,
					     uint32_t domain_id,
					     int32_t level_uv,
					     scmi_voltage_async_fn done,
					     void *userdata)
{
	uint8_t tx[12];
	struct scmi_proto_async_cmd cmd = {
		.proto_id = SCMI_PROTOCOL_VOLTAGE,
		.msg_id = VOLTAGE_LEVEL_SET,
		.tx = tx,
		.tx_sz = sizeof(tx),
		.id = domain_id,
		.ret_sz = 4, /* the level set */
	};
	const struct volt_dom *vd;
	int ret;

	if (!done)
		return -EINVAL;
	vd = level_set_tx(a, domain_id, level_uv, tx, &ret);
	if (!vd)
		return ret;
	cmd.async = vd->info.async_level_set;
	return scmi_proto_async_result(a, &cmd, done, userdata);
}

const struct scmi_proto_driver scmi_voltage_driver = {
	.proto_id = SCMI_PROTOCOL_VOLTAGE,
	.name = "voltage",
	.init = volt_init,
	.fini = volt_fini,
	.events = NULL, /* the protocol has no notifications */
};
