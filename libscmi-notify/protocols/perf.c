/* SPDX-License-Identifier: MIT */
/*
 * The Performance domain protocol (0x13): discovery at connect, the
 * level and limits commands, and the two events for the notify core.
 * See SCMI-REFERENCE.md 6.4.
 *
 * Discovery, as Linux 6.6 does it: PROTOCOL_VERSION and
 * PROTOCOL_ATTRIBUTES, then for each domain PERF_DOMAIN_ATTRIBUTES,
 * PERF_DOMAIN_NAME_GET when the domain offers it (major >= 3; a failure
 * keeps the short name) and PERF_DESCRIBE_LEVELS, paged: the agent asks
 * from the number of levels it already has; a page announcing more levels
 * than are left of the 16 a domain may have is refused with -EINVAL, and
 * so is the domain's table (it keeps no levels, as the kernel's). A
 * malformed reply, a transport error or a refused DOMAIN_ATTRIBUTES fails
 * the protocol.
 *
 * Fast channels, as Linux uses them: for each domain whose attributes
 * offer them (bit 27), PERF_DESCRIBE_FASTCHANNEL for LEVEL_GET and
 * LIMITS_GET, and for LEVEL_SET and LIMITS_SET where the domain lets
 * agents set them and its levels are known (else the command decides);
 * a channel is used when the reply
 * is well formed and passes fastchan.h's checks (inside the region, its
 * size, aligned, off the SMT areas); any other, or a refusal, leaves
 * that message to the command. A SET channel's doorbell is used when it
 * is a 32-bit word of the region (checked alike): after a write the
 * agent sets it and rings a2p_doorbell (transport.h), through a
 * descriptor of the driver's own (a dup, as the mapping below); another
 * doorbell is not rung (the platform must poll).
 * The public calls then write or read the channel instead of sending the
 * command. A channel has no status: before a write the agent checks what
 * the command would be refused for that it can see (a level not among
 * the domain's, or outside the limits its LIMITS_GET channel shows:
 * -ERANGE; limits outside the levels or max < min: -ERANGE), and a value
 * read is checked (a level among the domain's levels, max >= min: else
 * -EPROTO). A write is applied by the platform later (the simulator
 * within a millisecond); its events follow as for the command.
 * scmi_perf_fc_force_messages() (perf-internal.h) turns their use off
 * and on, for tests and benchmarks that compare the two.
 *
 * Only the version 1-3 formats are spoken (12-byte level entries): a
 * version 4 platform's level-indexing mode (attribute bit 25) is not
 * used; wire values are level values.
 *
 * The discovered state is immutable once init returns; public calls find
 * it through scmi_agent_proto_priv() (common.c). A public call must not
 * run concurrently with scmi_agent_connect()/disconnect() of its agent
 * (agent.h), so the state it found stays valid for the call.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <scmi/agent.h>
#include <scmi/perf.h>
#include <scmi/transport.h>
#include <scmi/wire.h>

#include "common.h"
#include "fastchan.h"
#include "log.h"
#include "perf-internal.h"
#include "protocols.h"
#include "symbols.h"

enum perf_cmd {
	PERF_DOMAIN_ATTRIBUTES = 0x3,
	PERF_DESCRIBE_LEVELS = 0x4,
	PERF_LIMITS_SET = 0x5,
	PERF_LIMITS_GET = 0x6,
	PERF_LEVEL_SET = 0x7,
	PERF_LEVEL_GET = 0x8,
	PERF_NOTIFY_LIMITS = 0x9,
	PERF_NOTIFY_LEVEL = 0xA,
	PERF_DESCRIBE_FASTCHANNEL = 0xB,
	PERF_DOMAIN_NAME_GET = 0xC,
};

/* PROTOCOL_ATTRIBUTES word */
#define PERF_NUM_DOMAINS_MASK 0xFFFFu
#define PERF_POWER_MW (1u << 16)
#define PERF_POWER_UW (1u << 17)   /* honoured from major 3 */

/* PERF_DOMAIN_ATTRIBUTES attributes */
#define PERF_ATTR_SET_LIMITS (1u << 31)
#define PERF_ATTR_SET_LEVEL (1u << 30)
#define PERF_ATTR_NOTIFY_LIMITS (1u << 29)
#define PERF_ATTR_NOTIFY_LEVEL (1u << 28)
#define PERF_ATTR_FAST_CHANNELS (1u << 27)
#define PERF_ATTR_EXT_NAME (1u << 26)   /* from major 3 */
#define PERF_RATE_LIMIT_MASK 0xFFFFFu

#define PERF_SHORT_NAME_SZ 16
#define PERF_DOM_ATTR_SZ (16 + PERF_SHORT_NAME_SZ)
#define PERF_LEVEL_ENTRY_SZ 12
#define PERF_LEVELS_RX_SZ (4 + PERF_LEVEL_ENTRY_SZ * SCMI_PERF_MAX_LEVELS)

/* PERF_DESCRIBE_FASTCHANNEL return values */
#define PERF_FC_RX_SZ 44
#define PERF_FC_ATTR_DOORBELL (1u << 0)
#define PERF_FC_ATTR_DB_WIDTH(a) (((a) >> 1) & 0x3u)
#define PERF_FC_DB_WIDTH_32 2u

/* A SET channel's doorbell: a 32-bit word of the region, then a ring. */
struct perf_db {
	_Atomic uint32_t *w;              /* NULL: none */
	uint32_t set, keep;               /* set mask, preserve mask */
};

/* A domain's fast channels, NULL where the command is used. */
struct perf_fc {
	bool offered;                     /* attribute bit 27 */
	_Atomic uint32_t *level_set;      /* level */
	_Atomic uint32_t *level_get;      /* level */
	_Atomic uint32_t *limits_set;     /* range_max, range_min */
	_Atomic uint32_t *limits_get;     /* range_max, range_min */
	struct perf_db level_db, limits_db;
};

struct perf_priv {
	struct scmi_agent *agent;
	struct scmi_perf_protocol_info info;
	struct scmi_perf_domain_info *doms; /* [info.num_domains] */
	struct perf_fc *fc;                 /* [info.num_domains] */
	struct scmi_fc_map fcm;             /* the region, when a channel is used */
	int db_fd;                          /* a2p_doorbell, ours (dup); -1 */
	atomic_uint db_rings;               /* rings of db_fd, for the flag checks */
	atomic_bool fc_off;                 /* scmi_perf_fc_force_messages() */
};

/* The ids discovery found: 0..count-1 (common.h). */
#define PERF_COUNT_OFF offsetof(struct perf_priv, info.num_domains)

/*
 * The state of @a with @domain_id a discovered domain, or NULL with *ret:
 * -EINVAL NULL agent or an unknown domain, -ENOTCONN, or -EOPNOTSUPP the
 * protocol is not up.
 */
static struct perf_priv *perf_lookup_domain(struct scmi_agent *a,
					    uint32_t domain_id, int *ret)
{
	return scmi_proto_lookup_id(a, SCMI_PROTOCOL_PERF, PERF_COUNT_OFF,
				    domain_id, ret);
}

/* ---------------------------------------------------------------- */
/* discovery                                                        */

static int domain_attributes(struct perf_priv *p,
			     struct scmi_perf_domain_info *d,
			     struct perf_fc *fc)
{
	struct scmi_agent *a = p->agent;
	uint8_t tx[4], rx[PERF_DOM_ATTR_SZ];
	uint32_t attr;
	int ret;

	scmi_put_le32(tx, d->id);
	ret = scmi_agent_xfer_exact(a, SCMI_PROTOCOL_PERF,
				    PERF_DOMAIN_ATTRIBUTES, tx, sizeof(tx),
				    rx, sizeof(rx));
	if (ret) {
		scmi_err(scmi_agent_log(a), "perf domain %u: DOMAIN_ATTRIBUTES: %d",
			 d->id, ret);
		return ret;
	}
	attr = scmi_get_le32(rx);
	d->set_limits = attr & PERF_ATTR_SET_LIMITS;
	d->set_level = attr & PERF_ATTR_SET_LEVEL;
	d->notify_limits = attr & PERF_ATTR_NOTIFY_LIMITS;
	d->notify_level = attr & PERF_ATTR_NOTIFY_LEVEL;
	d->extended_name = SCMI_VERSION_MAJOR(p->info.version) >= 3 &&
			   (attr & PERF_ATTR_EXT_NAME);
	fc->offered = attr & PERF_ATTR_FAST_CHANNELS;
	d->rate_limit_us = scmi_get_le32(rx + 4) & PERF_RATE_LIMIT_MASK;
	d->sustained_freq_khz = scmi_get_le32(rx + 8);
	d->sustained_perf_level = scmi_get_le32(rx + 12);
	if (!d->sustained_freq_khz || !d->sustained_perf_level)
		d->mult_factor = 1000;
	else
		d->mult_factor = (uint64_t)d->sustained_freq_khz * 1000 /
				 d->sustained_perf_level;
	/* all 16 bytes of a field that lacks its NUL are taken */
	scmi_proto_copy_name(d->name, sizeof(d->name), rx + 16,
			     PERF_SHORT_NAME_SZ);

	if (d->extended_name) {
		/* refused or malformed: short name kept; no answer: stop */
		ret = scmi_proto_ext_name_get(a, SCMI_PROTOCOL_PERF,
					      PERF_DOMAIN_NAME_GET,
					      "perf domain", d->id, d->name,
					      sizeof(d->name));
		if (scmi_proto_unreachable(ret))
			return ret;
		if (ret)
			scmi_warn(scmi_agent_log(a),
				  "perf domain %u: DOMAIN_NAME_GET: %d, keeping \"%s\"",
				  d->id, ret, d->name);
	}
	return 0;
}

static int level_cmp(const void *x, const void *y)
{
	const struct scmi_perf_level *l = x, *r = y;

	return (l->perf > r->perf) - (l->perf < r->perf);
}

/*
 * PERF_DESCRIBE_LEVELS, paged. 0; -EINVAL too many levels; -EPROTO a
 * malformed page; the platform's refusal; or a transport error.
 */
static int describe_levels(struct perf_priv *p,
			   struct scmi_perf_domain_info *d)
{
	const struct scmi_log *log = scmi_agent_log(p->agent);
	uint8_t rx[PERF_LEVELS_RX_SZ];
	uint32_t got = 0, num, remaining;

	do {
		size_t n;
		int ret;

		ret = scmi_proto_page_get(p->agent, SCMI_PROTOCOL_PERF,
					  PERF_DESCRIBE_LEVELS, d->id, got, rx,
					  sizeof(rx), &n);
		if (ret)
			return ret;
		/* two LE u16, as the kernel reads them */
		num = scmi_get_le32(rx) & 0xFFFF;
		remaining = scmi_get_le32(rx) >> 16;
		if (num > SCMI_PERF_MAX_LEVELS - got) {
			scmi_err(log,
				 "perf domain %u: DESCRIBE_LEVELS: %u levels, room for %u of %u",
				 d->id, num, SCMI_PERF_MAX_LEVELS - got,
				 SCMI_PERF_MAX_LEVELS);
			return -EINVAL;
		}
		if (n != 4 + (size_t)num * PERF_LEVEL_ENTRY_SZ) {
			scmi_err(log,
				 "perf domain %u: DESCRIBE_LEVELS: %zu return bytes for %u levels",
				 d->id, n, num);
			return -EPROTO;
		}
		for (uint32_t i = 0; i < num; i++) {
			const uint8_t *e = rx + 4 + i * PERF_LEVEL_ENTRY_SZ;
			struct scmi_perf_level *l = &d->levels[got + i];

			l->perf = scmi_get_le32(e);
			l->power = scmi_get_le32(e + 4);
			l->trans_latency_us = scmi_get_le32(e + 8) & 0xFFFF;
		}
		got += num;
	} while (num && remaining);

	if (remaining)
		scmi_warn(log, "perf domain %u: DESCRIBE_LEVELS stopped with %u remaining",
			  d->id, remaining);
	qsort(d->levels, got, sizeof(d->levels[0]), level_cmp);
	d->num_levels = got;
	return 0;
}

/* ---------------------------------------------------------------- */
/* fast channels                                                    */

/*
 * The doorbell of a described SET channel (@rx, the reply), into *@db:
 * used when it is a 32-bit word of the region (fastchan.h's checks) and
 * the agent's a2p_doorbell could be kept; else the channel is used
 * without it (the platform also polls). Never an error.
 */
static void describe_db(struct perf_priv *p, uint32_t dom_id, uint8_t msg_id,
			const uint8_t *rx, struct perf_db *db)
{
	const struct scmi_log *log = scmi_agent_log(p->agent);
	uint32_t attr = scmi_get_le32(rx);
	uint64_t addr = scmi_get_le64(rx + 20);

	if (PERF_FC_ATTR_DB_WIDTH(attr) != PERF_FC_DB_WIDTH_32 ||
	    scmi_get_le32(rx + 32) || scmi_get_le32(rx + 40) ||
	    scmi_fc_check(&p->fcm.layout, addr, 4, 4)) {
		scmi_warn(log, "perf domain %u: the doorbell of the fast channel for 0x%x (attributes 0x%x, at 0x%llx) is not a word of the region: not used",
			  dom_id, msg_id, attr, (unsigned long long)addr);
		return;
	}
	if (p->db_fd < 0) {
		p->db_fd = scmi_agent_doorbell_dup(p->agent);
		if (p->db_fd < 0) {
			scmi_warn(log, "perf: the fast channels' doorbell: %d: not used",
				  p->db_fd);
			return;
		}
	}
	db->w = scmi_fc_word(&p->fcm, addr);
	db->set = scmi_get_le32(rx + 28);
	db->keep = scmi_get_le32(rx + 36);
}

/*
 * PERF_DESCRIBE_FASTCHANNEL of message @msg_id of domain @dom_id: the
 * channel in *@w (left NULL when it is not to be used) and, for a SET
 * channel (@db not NULL), its doorbell; 0, or a transport error that
 * fails the protocol.
 */
static int describe_fc(struct perf_priv *p, uint32_t dom_id, uint8_t msg_id,
		       uint32_t want, _Atomic uint32_t **w, struct perf_db *db)
{
	const struct scmi_log *log = scmi_agent_log(p->agent);
	uint8_t tx[8], rx[PERF_FC_RX_SZ];
	uint64_t addr;
	uint32_t size;
	int ret;

	scmi_put_le32(tx, dom_id);
	scmi_put_le32(tx + 4, msg_id);
	ret = scmi_agent_xfer_exact(p->agent, SCMI_PROTOCOL_PERF,
				    PERF_DESCRIBE_FASTCHANNEL, tx, sizeof(tx),
				    rx, sizeof(rx));
	if (scmi_proto_unreachable(ret))
		return ret;
	if (ret) {
		scmi_dbg(log, "perf domain %u: no fast channel for 0x%x: %d",
			 dom_id, msg_id, ret);
		return 0;
	}
	addr = scmi_get_le64(rx + 8);
	size = scmi_get_le32(rx + 16);
	if (scmi_fc_check(&p->fcm.layout, addr, size, want)) {
		scmi_warn(log, "perf domain %u: fast channel for 0x%x at 0x%llx, %u bytes, is not a channel of the region: not used",
			  dom_id, msg_id, (unsigned long long)addr, size);
		return 0;
	}
	*w = scmi_fc_word(&p->fcm, addr);
	if (db && (scmi_get_le32(rx) & PERF_FC_ATTR_DOORBELL))
		describe_db(p, dom_id, msg_id, rx, db);
	return 0;
}

/*
 * Ring @db after a write: set its word (what the preserve mask keeps,
 * then the set mask) and ring a2p_doorbell (transport.h: a ring with the
 * A2P area free), its O_NONBLOCK looked at every
 * SCMI_DOORBELL_CHECK_EVERY rings. 0, or -EPROTO the platform cleared it
 * (the channels are not used from then on), or the ring's error.
 */
static int ring_db(struct perf_priv *p, const struct perf_db *db)
{
	unsigned int n;
	int ret = 0;

	if (!db->w)
		return 0;
	scmi_fc_write(db->w, (scmi_fc_read(db->w) & db->keep) | db->set);
	n = atomic_fetch_add(&p->db_rings, 1) + 1;
	if (n % SCMI_DOORBELL_CHECK_EVERY == 0)
		ret = scmi_doorbell_check(p->db_fd);
	if (!ret)
		ret = scmi_doorbell_ring(p->db_fd);
	if (ret == -EPROTO) {
		scmi_err(scmi_agent_log(p->agent),
			 "perf: the platform cleared O_NONBLOCK on a doorbell: fast channels not used");
		atomic_store(&p->fc_off, true);
	}
	return ret;
}

/* The fast channels of every domain that offers them. 0 or a transport error. */
static int discover_fc(struct perf_priv *p)
{
	bool any = false;
	int ret;

	for (uint32_t i = 0; i < p->info.num_domains; i++)
		any |= p->fc[i].offered;
	if (!any)
		return 0;
	ret = scmi_fc_map(p->agent, &p->fcm);
	if (ret) {
		scmi_warn(scmi_agent_log(p->agent),
			  "perf: fast channels offered, region not mapped: %d", ret);
		return 0;
	}
	for (uint32_t i = 0; i < p->info.num_domains; i++) {
		const struct scmi_perf_domain_info *d = &p->doms[i];
		struct perf_fc *fc = &p->fc[i];

		if (!fc->offered)
			continue;
		/* a SET channel only where the command could be accepted */
		ret = 0;
		if (d->set_level && d->num_levels)
			ret = describe_fc(p, i, PERF_LEVEL_SET, 4, &fc->level_set,
					  &fc->level_db);
		if (!ret)
			ret = describe_fc(p, i, PERF_LEVEL_GET, 4, &fc->level_get,
					  NULL);
		if (!ret && d->set_limits && d->num_levels)
			ret = describe_fc(p, i, PERF_LIMITS_SET, 8,
					  &fc->limits_set, &fc->limits_db);
		if (!ret)
			ret = describe_fc(p, i, PERF_LIMITS_GET, 8,
					  &fc->limits_get, NULL);
		if (ret)
			return ret;
	}
	return 0;
}

/* The channel @w, or NULL when the command is to be used instead. */
static _Atomic uint32_t *fc_use(struct perf_priv *p, _Atomic uint32_t *w)
{
	return atomic_load_explicit(&p->fc_off, memory_order_relaxed) ? NULL : w;
}

static bool is_level(const struct scmi_perf_domain_info *d, uint32_t level)
{
	for (uint32_t i = 0; i < d->num_levels; i++)
		if (d->levels[i].perf == level)
			return true;
	return false;
}

int scmi_perf_fc_force_messages(struct scmi_agent *a, bool on)
{
	struct perf_priv *p;
	int ret;

	p = scmi_proto_lookup_id(a, SCMI_PROTOCOL_PERF, PERF_COUNT_OFF, 0, &ret);
	if (!p)
		return ret;
	atomic_store(&p->fc_off, on);
	return 0;
}

static void perf_free(struct perf_priv *p)
{
	if (!p)
		return;
	scmi_fc_unmap(&p->fcm);
	if (p->db_fd >= 0)
		close(p->db_fd);
	free(p->fc);
	free(p->doms);
	free(p);
}

static int perf_init(struct scmi_agent *a, void **priv)
{
	const struct scmi_log *log = scmi_agent_log(a);
	struct perf_priv *p;
	uint8_t rx[16];
	uint32_t attr;
	int ret;

	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->agent = a;
	p->db_fd = -1;

	ret = scmi_proto_version_attrs(a, SCMI_PROTOCOL_PERF, &p->info.version,
				       rx, sizeof(rx));
	if (ret)
		goto fail;
	attr = scmi_get_le32(rx);
	p->info.num_domains = attr & PERF_NUM_DOMAINS_MASK;
	if (SCMI_VERSION_MAJOR(p->info.version) >= 3 && (attr & PERF_POWER_UW))
		p->info.power_scale = SCMI_PERF_POWER_MICROWATTS;
	else if (attr & PERF_POWER_MW)
		p->info.power_scale = SCMI_PERF_POWER_MILLIWATTS;
	else
		p->info.power_scale = SCMI_PERF_POWER_ABSTRACT;
	p->info.stats_addr = scmi_get_le64(rx + 4);
	p->info.stats_size = scmi_get_le32(rx + 12);

	p->doms = calloc(p->info.num_domains ? p->info.num_domains : 1,
			 sizeof(*p->doms));
	p->fc = calloc(p->info.num_domains ? p->info.num_domains : 1,
		       sizeof(*p->fc));
	if (!p->doms || !p->fc) {
		ret = -ENOMEM;
		goto fail;
	}
	for (uint32_t i = 0; i < p->info.num_domains; i++) {
		struct scmi_perf_domain_info *d = &p->doms[i];

		d->id = i;
		ret = domain_attributes(p, d, &p->fc[i]);
		if (ret)
			goto fail;
		ret = describe_levels(p, d);
		if (scmi_proto_unreachable(ret))
			goto fail;
		if (ret) {
			/* as Linux: the domain stays, without levels */
			scmi_warn(log, "perf domain %u (%s): no levels: %d",
				  i, d->name, ret);
			memset(d->levels, 0, sizeof(d->levels));
			d->num_levels = 0;
		}
	}

	ret = discover_fc(p);
	if (ret)
		goto fail;

	scmi_info(log, "perf v%u.%u: %u domains",
		  SCMI_VERSION_MAJOR(p->info.version),
		  SCMI_VERSION_MINOR(p->info.version), p->info.num_domains);
	*priv = p;
	return 0;

fail:
	perf_free(p);
	return ret;
}

static void perf_fini(struct scmi_agent *a, void *priv)
{
	perf_free(priv);
}

/* ---------------------------------------------------------------- */
/* public calls                                                     */

int scmi_perf_protocol_info_get_full(struct scmi_agent *a,
				     struct scmi_perf_protocol_info *info)
{
	return scmi_proto_info_get(a, SCMI_PROTOCOL_PERF,
				   offsetof(struct perf_priv, info), info,
				   sizeof(*info));
}

SCMI_EXPORT int scmi_perf_domain_count(struct scmi_agent *a)
{
	return scmi_proto_count(a, SCMI_PROTOCOL_PERF, PERF_COUNT_OFF);
}

int scmi_perf_domain_info_get_full(struct scmi_agent *a, uint32_t domain_id,
				   struct scmi_perf_domain_info *info)
{
	struct perf_priv *p;
	int ret;

	if (!info)
		return -EINVAL;
	p = perf_lookup_domain(a, domain_id, &ret);
	if (!p)
		return ret;
	*info = p->doms[domain_id];
	return 0;
}

SCMI_EXPORT int scmi_perf_level_get(struct scmi_agent *a, uint32_t domain_id,
				    uint32_t *level)
{
	_Atomic uint32_t *w;
	struct perf_priv *p;
	uint8_t tx[4], rx[4];
	int ret;

	if (!level)
		return -EINVAL;
	p = perf_lookup_domain(a, domain_id, &ret);
	if (!p)
		return ret;
	w = fc_use(p, p->fc[domain_id].level_get);
	if (w) {
		uint32_t v = scmi_fc_read(w);

		if (p->doms[domain_id].num_levels &&
		    !is_level(&p->doms[domain_id], v))
			return -EPROTO;
		*level = v;
		return 0;
	}
	scmi_put_le32(tx, domain_id);
	ret = scmi_agent_xfer_exact(a, SCMI_PROTOCOL_PERF, PERF_LEVEL_GET, tx,
				    sizeof(tx), rx, sizeof(rx));
	if (ret)
		return ret;
	*level = scmi_get_le32(rx);
	return 0;
}

SCMI_EXPORT int scmi_perf_level_set(struct scmi_agent *a, uint32_t domain_id,
				    uint32_t level)
{
	_Atomic uint32_t *w;
	struct perf_priv *p;
	uint8_t tx[8];
	int ret;

	p = perf_lookup_domain(a, domain_id, &ret);
	if (!p)
		return ret;
	w = fc_use(p, p->fc[domain_id].level_set);
	if (w) {
		_Atomic uint32_t *lim = p->fc[domain_id].limits_get;

		if (!is_level(&p->doms[domain_id], level))
			return -ERANGE;
		if (lim && (level > scmi_fc_read(lim) ||
			    level < scmi_fc_read(lim + 1)))
			return -ERANGE;
		scmi_fc_write(w, level);
		return ring_db(p, &p->fc[domain_id].level_db);
	}
	scmi_put_le32(tx, domain_id);
	scmi_put_le32(tx + 4, level);
	return scmi_agent_xfer(a, SCMI_PROTOCOL_PERF, PERF_LEVEL_SET, tx,
			       sizeof(tx), NULL, 0, NULL);
}

SCMI_EXPORT int scmi_perf_limits_get(struct scmi_agent *a, uint32_t domain_id,
				     uint32_t *range_max, uint32_t *range_min)
{
	_Atomic uint32_t *w;
	struct perf_priv *p;
	uint8_t tx[4], rx[8];
	int ret;

	if (!range_max || !range_min)
		return -EINVAL;
	p = perf_lookup_domain(a, domain_id, &ret);
	if (!p)
		return ret;
	w = fc_use(p, p->fc[domain_id].limits_get);
	if (w) {
		uint32_t max = scmi_fc_read(w), min = scmi_fc_read(w + 1);

		if (max < min)
			return -EPROTO;
		*range_max = max;
		*range_min = min;
		return 0;
	}
	scmi_put_le32(tx, domain_id);
	ret = scmi_agent_xfer_exact(a, SCMI_PROTOCOL_PERF, PERF_LIMITS_GET, tx,
				    sizeof(tx), rx, sizeof(rx));
	if (ret)
		return ret;
	*range_max = scmi_get_le32(rx);
	*range_min = scmi_get_le32(rx + 4);
	return 0;
}

SCMI_EXPORT int scmi_perf_limits_set(struct scmi_agent *a, uint32_t domain_id,
				     uint32_t range_max, uint32_t range_min)
{
	const struct scmi_perf_domain_info *d;
	_Atomic uint32_t *w;
	struct perf_priv *p;
	uint8_t tx[12];
	int ret;

	p = perf_lookup_domain(a, domain_id, &ret);
	if (!p)
		return ret;
	if (SCMI_VERSION_MAJOR(p->info.version) >= 3 && !range_max &&
	    !range_min)
		return -EINVAL;
	d = &p->doms[domain_id];
	w = fc_use(p, p->fc[domain_id].limits_set);
	if (w) {
		if (range_max < range_min || !d->num_levels ||
		    range_min < d->levels[0].perf ||
		    range_max > d->levels[d->num_levels - 1].perf)
			return -ERANGE;
		scmi_fc_write(w, range_max);
		scmi_fc_write(w + 1, range_min);
		return ring_db(p, &p->fc[domain_id].limits_db);
	}
	scmi_put_le32(tx, domain_id);
	scmi_put_le32(tx + 4, range_max);
	scmi_put_le32(tx + 8, range_min);
	return scmi_agent_xfer(a, SCMI_PROTOCOL_PERF, PERF_LIMITS_SET, tx,
			       sizeof(tx), NULL, 0, NULL);
}

/* ---------------------------------------------------------------- */
/* events                                                           */

static int perf_get_num_sources(void *priv)
{
	struct perf_priv *p = priv;

	return p->info.num_domains ? (int)p->info.num_domains : -EINVAL;
}

static bool perf_is_notify_supported(void *priv, uint8_t evt_id,
				     uint32_t src_id)
{
	struct perf_priv *p = priv;

	if (src_id >= p->info.num_domains)
		return false;
	switch (evt_id) {
	case SCMI_EVENT_PERFORMANCE_LIMITS_CHANGED:
		return p->doms[src_id].notify_limits;
	case SCMI_EVENT_PERFORMANCE_LEVEL_CHANGED:
		return p->doms[src_id].notify_level;
	default:
		return false;
	}
}

static int perf_set_notify_enabled(void *priv, uint8_t evt_id,
				   uint32_t src_id, bool enable)
{
	struct perf_priv *p = priv;
	uint8_t tx[8], msg_id;
	int ret;

	switch (evt_id) {
	case SCMI_EVENT_PERFORMANCE_LIMITS_CHANGED:
		msg_id = PERF_NOTIFY_LIMITS;
		break;
	case SCMI_EVENT_PERFORMANCE_LEVEL_CHANGED:
		msg_id = PERF_NOTIFY_LEVEL;
		break;
	default:
		return -EINVAL;
	}
	if (src_id >= p->info.num_domains)
		return -EINVAL;
	scmi_put_le32(tx, src_id);
	scmi_put_le32(tx + 4, enable ? 1 : 0);
	ret = scmi_agent_xfer(p->agent, SCMI_PROTOCOL_PERF, msg_id, tx,
			      sizeof(tx), NULL, 0, NULL);
	return scmi_proto_notify_result(enable, ret);
}

/*
 * PERFORMANCE_LIMITS_CHANGED: +0 agent_id, +4 domain_id, +8 range_max,
 * +12 range_min (16 bytes). PERFORMANCE_LEVEL_CHANGED: +0 agent_id,
 * +4 domain_id, +8 performance_level (12 bytes). Exact sizes only.
 */
static void *perf_fill_custom_report(void *priv, uint8_t evt_id,
				     uint64_t timestamp_ns, const void *payld,
				     size_t payld_sz, void *report,
				     uint32_t *src_id)
{
	struct perf_priv *p = priv;
	const uint8_t *b = payld;
	uint32_t domain_id;

	switch (evt_id) {
	case SCMI_EVENT_PERFORMANCE_LIMITS_CHANGED: {
		struct scmi_perf_limits_report *r = report;

		if (payld_sz != 16)
			return NULL;
		domain_id = scmi_get_le32(b + 4);
		if (domain_id >= p->info.num_domains)
			return NULL;
		r->timestamp = timestamp_ns;
		r->agent_id = scmi_get_le32(b);
		r->domain_id = domain_id;
		r->range_max = scmi_get_le32(b + 8);
		r->range_min = scmi_get_le32(b + 12);
		*src_id = domain_id;
		return r;
	}
	case SCMI_EVENT_PERFORMANCE_LEVEL_CHANGED: {
		struct scmi_perf_level_report *r = report;

		if (payld_sz != 12)
			return NULL;
		domain_id = scmi_get_le32(b + 4);
		if (domain_id >= p->info.num_domains)
			return NULL;
		r->timestamp = timestamp_ns;
		r->agent_id = scmi_get_le32(b);
		r->domain_id = domain_id;
		r->performance_level = scmi_get_le32(b + 8);
		*src_id = domain_id;
		return r;
	}
	default:
		return NULL;
	}
}

static const struct scmi_event perf_events[] = {
	{
		.id = SCMI_EVENT_PERFORMANCE_LIMITS_CHANGED,
		.max_payld_sz = 16,
		.max_report_sz = sizeof(struct scmi_perf_limits_report),
	},
	{
		.id = SCMI_EVENT_PERFORMANCE_LEVEL_CHANGED,
		.max_payld_sz = 12,
		.max_report_sz = sizeof(struct scmi_perf_level_report),
	},
};

static const struct scmi_event_ops perf_event_ops = {
	.get_num_sources = perf_get_num_sources,
	.set_notify_enabled = perf_set_notify_enabled,
	.fill_custom_report = perf_fill_custom_report,
	.is_notify_supported = perf_is_notify_supported,
};

static const struct scmi_protocol_events perf_protocol_events = {
	.ops = &perf_event_ops,
	.evts = perf_events,
	.num_events = sizeof(perf_events) / sizeof(perf_events[0]),
};

/* The SCMI specification's names of the events, by id (names.h). */
static const char *const perf_event_names[] = {
	[SCMI_EVENT_PERFORMANCE_LIMITS_CHANGED] = "PERFORMANCE_LIMITS_CHANGED",
	[SCMI_EVENT_PERFORMANCE_LEVEL_CHANGED] = "PERFORMANCE_LEVEL_CHANGED",
};

const struct scmi_proto_driver scmi_perf_driver = {
	.proto_id = SCMI_PROTOCOL_PERF,
	.name = "perf",
	.init = perf_init,
	.fini = perf_fini,
	.events = &perf_protocol_events,
	.event_names = perf_event_names,
};
