/* SPDX-License-Identifier: MIT */
/*
 * The Powercap protocol (0x18): discovery at connect with Linux 6.6's
 * consistency checks, the commands of include/scmi/powercap.h, and
 * POWERCAP_CAP_CHANGED and POWERCAP_MEASUREMENTS_CHANGED for the notify
 * core. See SCMI-REFERENCE.md 6.9, and the header for the behaviour a user
 * sees (asynchronous cap setting, enable/disable, thresholds).
 *
 * State: what discovery learned is read-only afterwards. The few things
 * that change (capping enabled, the last non-zero cap, the measurement
 * thresholds, whether MEASUREMENTS_NOTIFY is on) are kept per domain under
 * powercap_priv.mtx, which is held across the command that uses them so
 * that a threshold change and a notify enable cannot interleave. Lock
 * order: the notify core's locks (set_notify_enabled is called with them
 * held), then mtx, then the agent's command lock; nothing here calls into
 * the notify core with mtx held.
 *
 * Public calls reach this state through scmi_agent_proto_priv()
 * (common.c): init and fini never run concurrently with other calls on the
 * same agent (include/scmi/agent.h).
 */
#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>

#include <scmi/agent.h>
#include <scmi/powercap.h>
#include <scmi/protocols.h>
#include <scmi/wire.h>

#include "common.h"
#include "log.h"
#include "protocols.h"
#include "symbols.h"

enum powercap_cmd {
	POWERCAP_DOMAIN_ATTRIBUTES = 0x3,
	POWERCAP_CAP_GET = 0x4,
	POWERCAP_CAP_SET = 0x5,
	POWERCAP_PAI_GET = 0x6,
	POWERCAP_PAI_SET = 0x7,
	POWERCAP_DOMAIN_NAME_GET = 0x8,
	POWERCAP_MEASUREMENTS_GET = 0x9,
	POWERCAP_CAP_NOTIFY = 0xA,
	POWERCAP_MEASUREMENTS_NOTIFY = 0xB,
};

/* POWERCAP_DOMAIN_ATTRIBUTES attributes */
#define ATTR_NOTIFY_CAP (1u << 31)
#define ATTR_NOTIFY_MEAS (1u << 30)
#define ATTR_ASYNC_CAP_SET (1u << 29)
#define ATTR_EXT_NAME (1u << 28)
#define ATTR_CAP_CONFIG (1u << 27)
#define ATTR_MONITORING (1u << 26)
#define ATTR_PAI_CONFIG (1u << 25)
#define ATTR_UNIT(a) (((a) >> 23) & 0x3u)
#define ATTR_FASTCHANNELS (1u << 22)

/* POWERCAP_CAP_SET flags */
#define CAP_SET_ASYNC (1u << 1)
#define CAP_SET_IGNORE_DRESP (1u << 0)

#define DOM_ATTR_SZ 56
#define SHORT_NAME_SZ 16
#define CAP_EVT_PAYLD_SZ 16
#define MEAS_EVT_PAYLD_SZ 12

struct pc_domain {
	struct scmi_powercap_info info;   /* read-only after discovery */
	/* protected by powercap_priv.mtx */
	bool enabled;          /* capping on (v2: the cap is not 0) */
	uint32_t last_pcap;    /* the last non-zero cap known */
	bool thresh_set;       /* the user set the thresholds */
	uint32_t low, high;    /* thresholds set, or last used */
	bool meas_notify_on;   /* MEASUREMENTS_NOTIFY enabled at the platform */
};

struct powercap_priv {
	struct scmi_agent *agent;
	uint32_t version;
	uint32_t num_domains;
	pthread_mutex_t mtx;         /* the mutable fields of every domain */
	struct pc_domain *doms;      /* num_domains, by id */
};

/* The ids discovery found: 0..count-1 (common.h). */
#define POWERCAP_COUNT_OFF offsetof(struct powercap_priv, num_domains)

/*
 * Domain @domain_id of @a's powercap protocol, with the protocol's state in
 * *@out; or NULL with *@ret: -EINVAL (NULL @a, unknown domain), -ENOTCONN
 * or -EOPNOTSUPP.
 */
static struct pc_domain *get_domain(struct scmi_agent *a, uint32_t domain_id,
				    struct powercap_priv **out, int *ret)
{
	*out = scmi_proto_lookup_id(a, SCMI_PROTOCOL_POWERCAP,
				    POWERCAP_COUNT_OFF, domain_id, ret);
	return *out ? &(*out)->doms[domain_id] : NULL;
}

static bool is_v2(const struct powercap_priv *p)
{
	return SCMI_VERSION_MAJOR(p->version) >= 2;
}

/* ---------------------------------------------------------------- */
/* commands                                                         */

static int xfer_cap_get(struct powercap_priv *p, uint32_t id, uint32_t *cap)
{
	uint8_t tx[4], rx[4];
	int ret;

	scmi_put_le32(tx, id);
	ret = scmi_agent_xfer_exact(p->agent, SCMI_PROTOCOL_POWERCAP,
				    POWERCAP_CAP_GET, tx, sizeof(tx), rx,
				    sizeof(rx));
	if (!ret)
		*cap = scmi_get_le32(rx);
	return ret;
}

/*
 * POWERCAP_CAP_SET of @cap on @d into @tx: on a domain with asynchronous
 * cap setting, as Linux, asynchronous, with "ignore delayed response"
 * when @ignore_dresp (enable and disable) so that the platform sends
 * none. Returns whether a delayed response (domain_id, power_cap) is to
 * come.
 */
static bool cap_set_tx(const struct pc_domain *d, uint32_t cap,
		       bool ignore_dresp, uint8_t tx[12])
{
	bool async = d->info.async_cap_set;

	scmi_put_le32(tx, d->info.id);
	scmi_put_le32(tx + 4, !async      ? 0 :
			      ignore_dresp ? CAP_SET_ASYNC | CAP_SET_IGNORE_DRESP :
					     CAP_SET_ASYNC);
	scmi_put_le32(tx + 8, cap);
	return async && !ignore_dresp;
}

/* POWERCAP_CAP_SET (cap_set_tx()), waiting for its delayed response; mtx held. */
static int xfer_cap_set_locked(struct powercap_priv *p, struct pc_domain *d,
			       uint32_t cap, bool ignore_dresp)
{
	uint8_t tx[12];
	int ret;

	if (cap_set_tx(d, cap, ignore_dresp, tx))
		ret = scmi_proto_xfer_async_id(p->agent, SCMI_PROTOCOL_POWERCAP,
					       POWERCAP_CAP_SET, tx, sizeof(tx),
					       d->info.id, NULL, 4);
	else
		ret = scmi_agent_xfer_exact(p->agent, SCMI_PROTOCOL_POWERCAP,
					    POWERCAP_CAP_SET, tx, sizeof(tx),
					    NULL, 0);
	if (!ret && cap)
		d->last_pcap = cap;
	return ret;
}

static int xfer_meas_get(struct powercap_priv *p, uint32_t id, uint32_t *power,
			 uint32_t *pai)
{
	uint8_t tx[4], rx[8];
	int ret;

	scmi_put_le32(tx, id);
	ret = scmi_agent_xfer_exact(p->agent, SCMI_PROTOCOL_POWERCAP,
				    POWERCAP_MEASUREMENTS_GET, tx, sizeof(tx),
				    rx, sizeof(rx));
	if (ret)
		return ret;
	if (power)
		*power = scmi_get_le32(rx);
	if (pai)
		*pai = scmi_get_le32(rx + 4);
	return 0;
}

/* POWERCAP_MEASUREMENTS_NOTIFY with the domain's thresholds; mtx held. */
static int xfer_meas_notify_locked(struct powercap_priv *p, struct pc_domain *d,
				   bool enable)
{
	uint8_t tx[16];
	int ret;

	if (enable && !d->thresh_set) {
		uint32_t power;

		/* no thresholds given: notify any change from now on */
		if (!d->info.monitoring) {
			scmi_err(scmi_agent_log(p->agent),
				 "powercap domain %u: no measurement thresholds set and no monitoring to derive them",
				 d->info.id);
			return -EINVAL;
		}
		ret = xfer_meas_get(p, d->info.id, &power, NULL);
		if (ret)
			return ret;
		d->low = power;
		d->high = power ? power : 1;
	}
	if (enable && !d->low && !d->high)
		return -EINVAL; /* as 6.6 */
	scmi_put_le32(tx, d->info.id);
	scmi_put_le32(tx + 4, enable ? 1 : 0);
	scmi_put_le32(tx + 8, d->low);
	scmi_put_le32(tx + 12, d->high);
	ret = scmi_agent_xfer_exact(p->agent, SCMI_PROTOCOL_POWERCAP,
				    POWERCAP_MEASUREMENTS_NOTIFY, tx,
				    sizeof(tx), NULL, 0);
	if (!ret)
		d->meas_notify_on = enable;
	return ret;
}

/* ---------------------------------------------------------------- */
/* discovery                                                        */

/* Linux 6.6's scmi_powercap_validate(). */
static bool range_ok(uint32_t min, uint32_t max, uint32_t step,
		     bool configurable)
{
	if (!min || !max)
		return false;
	if ((configurable && min == max) || (!configurable && min != max))
		return false;
	if (min != max && !step)
		return false;
	return true;
}

static int domain_attributes(struct powercap_priv *p, uint32_t id)
{
	const struct scmi_log *log = scmi_agent_log(p->agent);
	struct scmi_powercap_info *i = &p->doms[id].info;
	uint8_t tx[4], rx[DOM_ATTR_SZ];
	uint32_t attr;
	int ret;

	scmi_put_le32(tx, id);
	ret = scmi_agent_xfer_exact(p->agent, SCMI_PROTOCOL_POWERCAP,
				    POWERCAP_DOMAIN_ATTRIBUTES, tx, sizeof(tx),
				    rx, sizeof(rx));
	if (ret) {
		scmi_err(log, "POWERCAP_DOMAIN_ATTRIBUTES(%u): %d", id, ret);
		return ret;
	}
	attr = scmi_get_le32(rx);
	i->id = id;
	i->attributes = attr;
	i->notify_cap = attr & ATTR_NOTIFY_CAP;
	i->notify_meas = attr & ATTR_NOTIFY_MEAS;
	i->async_cap_set = attr & ATTR_ASYNC_CAP_SET;
	i->cap_config = attr & ATTR_CAP_CONFIG;
	i->monitoring = attr & ATTR_MONITORING;
	i->pai_config = attr & ATTR_PAI_CONFIG;
	i->fastchannels = attr & ATTR_FASTCHANNELS;
	i->unit = (enum scmi_powercap_unit)ATTR_UNIT(attr);
	scmi_proto_copy_name(i->name, sizeof(i->name), rx + 4,
			     SHORT_NAME_SZ - 1);
	i->min_pai = scmi_get_le32(rx + 20);
	i->max_pai = scmi_get_le32(rx + 24);
	i->pai_step = scmi_get_le32(rx + 28);
	i->min_power_cap = scmi_get_le32(rx + 32);
	i->max_power_cap = scmi_get_le32(rx + 36);
	i->power_cap_step = scmi_get_le32(rx + 40);
	i->sustainable_power = scmi_get_le32(rx + 44);
	i->accuracy = scmi_get_le32(rx + 48);
	i->parent_id = scmi_get_le32(rx + 52);

	if (!range_ok(i->min_pai, i->max_pai, i->pai_step, i->pai_config)) {
		scmi_err(log, "powercap domain %u: inconsistent PAI %u..%u step %u (%s)",
			 id, i->min_pai, i->max_pai, i->pai_step,
			 i->pai_config ? "configurable" : "fixed");
		return -EPROTO;
	}
	if (!range_ok(i->min_power_cap, i->max_power_cap, i->power_cap_step,
		      i->cap_config)) {
		scmi_err(log, "powercap domain %u: inconsistent cap %u..%u step %u (%s)",
			 id, i->min_power_cap, i->max_power_cap,
			 i->power_cap_step,
			 i->cap_config ? "configurable" : "fixed");
		return -EPROTO;
	}
	if (i->parent_id != SCMI_POWERCAP_ROOT_ZONE_ID &&
	    (i->parent_id >= p->num_domains || i->parent_id == id)) {
		scmi_err(log, "powercap domain %u: inconsistent parent %u", id,
			 i->parent_id);
		return -EPROTO;
	}

	/* refused or malformed: the short name stays, as 6.6 */
	if (attr & ATTR_EXT_NAME)
		return scmi_proto_ext_name_get(p->agent, SCMI_PROTOCOL_POWERCAP,
					       POWERCAP_DOMAIN_NAME_GET,
					       "powercap domain", id, i->name,
					       sizeof(i->name));
	return 0;
}

static void powercap_free(struct powercap_priv *p)
{
	if (!p)
		return;
	pthread_mutex_destroy(&p->mtx);
	free(p->doms);
	free(p);
}

static int powercap_init(struct scmi_agent *a, void **priv)
{
	const struct scmi_log *log = scmi_agent_log(a);
	struct powercap_priv *p;
	uint8_t rx[4];
	int ret;

	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->agent = a;
	pthread_mutex_init(&p->mtx, NULL);

	ret = scmi_proto_version_attrs(a, SCMI_PROTOCOL_POWERCAP, &p->version,
				       rx, sizeof(rx));
	if (ret)
		goto fail;
	p->num_domains = scmi_get_le32(rx) & 0xFFFFu;
	p->doms = calloc(p->num_domains ? p->num_domains : 1, sizeof(*p->doms));
	if (!p->doms) {
		ret = -ENOMEM;
		goto fail;
	}

	for (uint32_t id = 0; id < p->num_domains; id++) {
		struct pc_domain *d = &p->doms[id];

		ret = domain_attributes(p, id);
		if (ret)
			goto fail;
		d->enabled = true;
		if (is_v2(p)) {
			uint32_t cap;

			ret = xfer_cap_get(p, id, &cap);
			if (ret) {
				scmi_err(log, "POWERCAP_CAP_GET(%u): %d", id, ret);
				goto fail;
			}
			d->enabled = cap != 0;
			d->last_pcap = cap;
		}
	}

	scmi_info(log, "Powercap v%u.%u: %u domains",
		  SCMI_VERSION_MAJOR(p->version),
		  SCMI_VERSION_MINOR(p->version), p->num_domains);
	*priv = p;
	return 0;

fail:
	powercap_free(p);
	return ret;
}

static void powercap_fini(struct scmi_agent *a, void *priv)
{
	powercap_free(priv);
}

/* ---------------------------------------------------------------- */
/* public calls                                                     */

SCMI_EXPORT int scmi_powercap_count(struct scmi_agent *a)
{
	return scmi_proto_count(a, SCMI_PROTOCOL_POWERCAP, POWERCAP_COUNT_OFF);
}

int scmi_powercap_info_get_full(struct scmi_agent *a, uint32_t domain_id,
				struct scmi_powercap_info *out)
{
	struct powercap_priv *p;
	struct pc_domain *d;
	int ret;

	if (!out)
		return -EINVAL;
	d = get_domain(a, domain_id, &p, &ret);
	if (!d)
		return ret;
	*out = d->info;
	return 0;
}

SCMI_EXPORT int scmi_powercap_cap_get(struct scmi_agent *a, uint32_t domain_id,
				      uint32_t *power_cap)
{
	struct powercap_priv *p;
	struct pc_domain *d;
	int ret;

	if (!power_cap)
		return -EINVAL;
	d = get_domain(a, domain_id, &p, &ret);
	if (!d)
		return ret;
	return xfer_cap_get(p, domain_id, power_cap);
}

SCMI_EXPORT int scmi_powercap_cap_set(struct scmi_agent *a, uint32_t domain_id,
				      uint32_t power_cap)
{
	struct powercap_priv *p;
	struct pc_domain *d;
	int ret;

	d = get_domain(a, domain_id, &p, &ret);
	if (!d)
		return ret;
	if (!power_cap)
		return -EINVAL;
	pthread_mutex_lock(&p->mtx);
	if (is_v2(p) && !d->enabled) {
		/* capping is off: remember it for the next enable, as 6.6 */
		d->last_pcap = power_cap;
		ret = 0;
	} else {
		ret = xfer_cap_set_locked(p, d, power_cap, false);
	}
	pthread_mutex_unlock(&p->mtx);
	return ret;
}

SCMI_EXPORT int scmi_powercap_cap_set_async(struct scmi_agent *a,
					    uint32_t domain_id,
					    uint32_t power_cap,
					    scmi_powercap_async_fn done,
					    void *userdata)
{
	uint8_t tx[12];
	struct scmi_proto_async_cmd cmd = {
		.proto_id = SCMI_PROTOCOL_POWERCAP,
		.msg_id = POWERCAP_CAP_SET,
		.tx = tx,
		.tx_sz = sizeof(tx),
		.id = domain_id,
		.ret_sz = 4, /* the cap set */
	};
	struct powercap_priv *p;
	struct pc_domain *d;
	int ret;

	if (!done || !power_cap)
		return -EINVAL;
	d = get_domain(a, domain_id, &p, &ret);
	if (!d)
		return ret;
	cmd.async = cap_set_tx(d, power_cap, false, tx);
	pthread_mutex_lock(&p->mtx);
	/* capping is off: only remembered for the next enable, as 6.6 */
	ret = scmi_proto_async_result(a, is_v2(p) && !d->enabled ? NULL : &cmd,
				      done, userdata);
	/*
	 * remembered once the platform accepted it: the completion may run
	 * after disconnect freed p, so it cannot wait for that
	 */
	if (!ret)
		d->last_pcap = power_cap;
	pthread_mutex_unlock(&p->mtx);
	return ret;
}

SCMI_EXPORT int scmi_powercap_cap_enable_set(struct scmi_agent *a,
					     uint32_t domain_id, bool enable)
{
	struct powercap_priv *p;
	struct pc_domain *d;
	uint32_t cap;
	int ret;

	d = get_domain(a, domain_id, &p, &ret);
	if (!d)
		return ret;
	if (!is_v2(p))
		return -EOPNOTSUPP;
	pthread_mutex_lock(&p->mtx);
	if (enable == d->enabled) {
		ret = 0;
		goto out;
	}
	if (enable && !d->last_pcap) {
		ret = -EINVAL; /* no cap to enable with */
		goto out;
	}
	ret = xfer_cap_set_locked(p, d, enable ? d->last_pcap : 0, true);
	if (ret)
		goto out;
	/* the platform may keep a cap that other agents asked for */
	ret = xfer_cap_get(p, domain_id, &cap);
	if (!ret)
		d->enabled = cap != 0;
out:
	pthread_mutex_unlock(&p->mtx);
	return ret;
}

SCMI_EXPORT int scmi_powercap_cap_enable_get(struct scmi_agent *a,
					     uint32_t domain_id, bool *enabled)
{
	struct powercap_priv *p;
	struct pc_domain *d;
	uint32_t cap;
	int ret;

	if (!enabled)
		return -EINVAL;
	d = get_domain(a, domain_id, &p, &ret);
	if (!d)
		return ret;
	if (!is_v2(p)) {
		*enabled = true;
		return 0;
	}
	pthread_mutex_lock(&p->mtx);
	ret = xfer_cap_get(p, domain_id, &cap);
	if (!ret) {
		d->enabled = cap != 0;
		if (cap)
			d->last_pcap = cap;
		*enabled = d->enabled;
	}
	pthread_mutex_unlock(&p->mtx);
	return ret;
}

SCMI_EXPORT int scmi_powercap_pai_get(struct scmi_agent *a, uint32_t domain_id,
				      uint32_t *pai)
{
	struct powercap_priv *p;
	struct pc_domain *d;
	uint8_t tx[4], rx[4];
	int ret;

	if (!pai)
		return -EINVAL;
	d = get_domain(a, domain_id, &p, &ret);
	if (!d)
		return ret;
	scmi_put_le32(tx, domain_id);
	ret = scmi_agent_xfer_exact(a, SCMI_PROTOCOL_POWERCAP, POWERCAP_PAI_GET,
				    tx, sizeof(tx), rx, sizeof(rx));
	if (!ret)
		*pai = scmi_get_le32(rx);
	return ret;
}

SCMI_EXPORT int scmi_powercap_pai_set(struct scmi_agent *a, uint32_t domain_id,
				      uint32_t pai)
{
	struct powercap_priv *p;
	struct pc_domain *d;
	uint8_t tx[12];
	int ret;

	d = get_domain(a, domain_id, &p, &ret);
	if (!d)
		return ret;
	scmi_put_le32(tx, domain_id);
	scmi_put_le32(tx + 4, 0); /* flags: reserved */
	scmi_put_le32(tx + 8, pai);
	return scmi_agent_xfer_exact(a, SCMI_PROTOCOL_POWERCAP,
				     POWERCAP_PAI_SET, tx, sizeof(tx), NULL, 0);
}

SCMI_EXPORT int scmi_powercap_measurements_get(struct scmi_agent *a,
					       uint32_t domain_id,
					       uint32_t *power, uint32_t *pai)
{
	struct powercap_priv *p;
	struct pc_domain *d;
	int ret;

	d = get_domain(a, domain_id, &p, &ret);
	if (!d)
		return ret;
	if (!d->info.monitoring)
		return -EOPNOTSUPP;
	return xfer_meas_get(p, domain_id, power, pai);
}

SCMI_EXPORT int scmi_powercap_measurements_threshold_set(struct scmi_agent *a,
							 uint32_t domain_id,
							 uint32_t low,
							 uint32_t high)
{
	struct powercap_priv *p;
	struct pc_domain *d;
	int ret;

	d = get_domain(a, domain_id, &p, &ret);
	if (!d)
		return ret;
	if (low > high || (!low && !high))
		return -EINVAL;
	pthread_mutex_lock(&p->mtx);
	d->thresh_set = true;
	d->low = low;
	d->high = high;
	ret = d->meas_notify_on ? xfer_meas_notify_locked(p, d, true) : 0;
	pthread_mutex_unlock(&p->mtx);
	return ret;
}

SCMI_EXPORT int scmi_powercap_measurements_threshold_get(struct scmi_agent *a,
							 uint32_t domain_id,
							 uint32_t *low,
							 uint32_t *high)
{
	struct powercap_priv *p;
	struct pc_domain *d;
	int ret;

	d = get_domain(a, domain_id, &p, &ret);
	if (!d)
		return ret;
	pthread_mutex_lock(&p->mtx);
	if (low)
		*low = d->low;
	if (high)
		*high = d->high;
	pthread_mutex_unlock(&p->mtx);
	return 0;
}

/* ---------------------------------------------------------------- */
/* events                                                           */

static int powercap_get_num_sources(void *priv)
{
	struct powercap_priv *p = priv;

	return (int)p->num_domains;
}

static bool powercap_is_notify_supported(void *priv, uint8_t evt_id,
					 uint32_t src_id)
{
	struct powercap_priv *p = priv;

	if (src_id >= p->num_domains)
		return false;
	switch (evt_id) {
	case SCMI_EVENT_POWERCAP_CAP_CHANGED:
		return p->doms[src_id].info.notify_cap;
	case SCMI_EVENT_POWERCAP_MEASUREMENTS_CHANGED:
		return p->doms[src_id].info.notify_meas;
	default:
		return false;
	}
}

static int powercap_set_notify_enabled(void *priv, uint8_t evt_id,
				       uint32_t src_id, bool enable)
{
	struct powercap_priv *p = priv;
	int ret;

	if (src_id >= p->num_domains)
		return -EINVAL;
	switch (evt_id) {
	case SCMI_EVENT_POWERCAP_CAP_CHANGED: {
		uint8_t tx[8];

		scmi_put_le32(tx, src_id);
		scmi_put_le32(tx + 4, enable ? 1 : 0);
		ret = scmi_agent_xfer_exact(p->agent, SCMI_PROTOCOL_POWERCAP,
					    POWERCAP_CAP_NOTIFY, tx,
					    sizeof(tx), NULL, 0);
		break;
	}
	case SCMI_EVENT_POWERCAP_MEASUREMENTS_CHANGED:
		pthread_mutex_lock(&p->mtx);
		ret = xfer_meas_notify_locked(p, &p->doms[src_id], enable);
		if (!enable)
			p->doms[src_id].meas_notify_on = false;
		pthread_mutex_unlock(&p->mtx);
		break;
	default:
		return -EINVAL;
	}
	return scmi_proto_notify_result(enable, ret);
}

/*
 * POWERCAP_CAP_CHANGED: +0 agent_id, +4 domain_id, +8 power_cap, +12 pai,
 * exactly 16 bytes. POWERCAP_MEASUREMENTS_CHANGED: +0 agent_id,
 * +4 domain_id, +8 power, exactly 12 bytes. Refused: another size, or a
 * domain id out of range.
 */
static void *powercap_fill_custom_report(void *priv, uint8_t evt_id,
					 uint64_t timestamp_ns,
					 const void *payld, size_t payld_sz,
					 void *report, uint32_t *src_id)
{
	struct powercap_priv *p = priv;
	const uint8_t *b = payld;
	uint32_t domain_id;

	switch (evt_id) {
	case SCMI_EVENT_POWERCAP_CAP_CHANGED: {
		struct scmi_powercap_cap_changed_report *r = report;

		if (payld_sz != CAP_EVT_PAYLD_SZ)
			return NULL;
		domain_id = scmi_get_le32(b + 4);
		if (domain_id >= p->num_domains)
			return NULL;
		r->timestamp = timestamp_ns;
		r->agent_id = scmi_get_le32(b);
		r->domain_id = domain_id;
		r->power_cap = scmi_get_le32(b + 8);
		r->pai = scmi_get_le32(b + 12);
		*src_id = domain_id;
		return r;
	}
	case SCMI_EVENT_POWERCAP_MEASUREMENTS_CHANGED: {
		struct scmi_powercap_meas_changed_report *r = report;

		if (payld_sz != MEAS_EVT_PAYLD_SZ)
			return NULL;
		domain_id = scmi_get_le32(b + 4);
		if (domain_id >= p->num_domains)
			return NULL;
		r->timestamp = timestamp_ns;
		r->agent_id = scmi_get_le32(b);
		r->domain_id = domain_id;
		r->power = scmi_get_le32(b + 8);
		*src_id = domain_id;
		return r;
	}
	default:
		return NULL;
	}
}

static const struct scmi_event powercap_events[] = {
	{
		.id = SCMI_EVENT_POWERCAP_CAP_CHANGED,
		.max_payld_sz = CAP_EVT_PAYLD_SZ,
		.max_report_sz = sizeof(struct scmi_powercap_cap_changed_report),
	},
	{
		.id = SCMI_EVENT_POWERCAP_MEASUREMENTS_CHANGED,
		.max_payld_sz = MEAS_EVT_PAYLD_SZ,
		.max_report_sz = sizeof(struct scmi_powercap_meas_changed_report),
	},
};

static const struct scmi_event_ops powercap_event_ops = {
	.get_num_sources = powercap_get_num_sources,
	.set_notify_enabled = powercap_set_notify_enabled,
	.fill_custom_report = powercap_fill_custom_report,
	.is_notify_supported = powercap_is_notify_supported,
};

static const struct scmi_protocol_events powercap_protocol_events = {
	.ops = &powercap_event_ops,
	.evts = powercap_events,
	.num_events = sizeof(powercap_events) / sizeof(powercap_events[0]),
};

/* The SCMI specification's names of the events, by id (names.h). */
static const char *const powercap_event_names[] = {
	[SCMI_EVENT_POWERCAP_CAP_CHANGED] = "POWERCAP_CAP_CHANGED",
	[SCMI_EVENT_POWERCAP_MEASUREMENTS_CHANGED] = "POWERCAP_MEASUREMENTS_CHANGED",
};

const struct scmi_proto_driver scmi_powercap_driver = {
	.proto_id = SCMI_PROTOCOL_POWERCAP,
	.name = "powercap",
	.init = powercap_init,
	.fini = powercap_fini,
	.events = &powercap_protocol_events,
	.event_names = powercap_event_names,
};
