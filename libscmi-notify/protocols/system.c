/* SPDX-License-Identifier: MIT */
/*
 * The system power protocol (0x12): discovery at connect, STATE_SET and
 * STATE_GET, and SYSTEM_POWER_STATE_NOTIFIER for the notify core. See
 * SCMI-REFERENCE.md 6.3.
 *
 * Discovery: PROTOCOL_VERSION (must succeed: the event's size depends on
 * its major), PROTOCOL_ATTRIBUTES (no fields defined; a refusal is only
 * logged), then PROTOCOL_MESSAGE_ATTRIBUTES of SYSTEM_POWER_STATE_SET
 * (bit 31 warm reset, bit 30 suspend supported), of STATE_GET and of
 * STATE_NOTIFY (implemented or not). A platform that does not implement
 * PROTOCOL_MESSAGE_ATTRIBUTES at all (Linux never sends it) is taken to
 * have the notification and STATE_GET, and no warm reset or suspend
 * known: those requests then go to the platform unchecked.
 *
 * Public calls find this agent's private struct through
 * scmi_agent_proto_priv() (common.c); it is read-only once init returns.
 */
#include <errno.h>
#include <stdlib.h>

#include <scmi/agent.h>
#include <scmi/protocols.h>
#include <scmi/system.h>
#include <scmi/wire.h>

#include "common.h"
#include "log.h"
#include "protocols.h"
#include "symbols.h"

enum system_cmd {
	SYSTEM_POWER_STATE_SET = 0x3,
	SYSTEM_POWER_STATE_GET = 0x4,
	SYSTEM_POWER_STATE_NOTIFY = 0x5,
};

#define SYSTEM_SET_ATTR_WARM_RESET (1u << 31)
#define SYSTEM_SET_ATTR_SUSPEND (1u << 30)
#define SYSTEM_PAYLD_SZ_V1 12 /* agent_id, flags, system_state */
#define SYSTEM_PAYLD_SZ_V2 16 /* ... and timeout, from v2.0 */

struct system_priv {
	struct scmi_agent *agent;
	struct scmi_system_power_info info;
	bool attrs_known;   /* PROTOCOL_MESSAGE_ATTRIBUTES answered for SET */
};

/* ---------------------------------------------------------------- */
/* discovery                                                        */

/*
 * PROTOCOL_MESSAGE_ATTRIBUTES of @msg_id: 0 with *attr (implemented), 1
 * not implemented (NOT_FOUND, or NOT_SUPPORTED as SCP-firmware answers
 * for a notification it lacks), 2 the platform does not implement
 * PROTOCOL_MESSAGE_ATTRIBUTES itself, or a negative errno.
 */
static int message_attributes(struct system_priv *sp, uint32_t msg_id,
			      uint32_t *attr)
{
	uint8_t tx[4], rx[4];
	int32_t status;
	size_t got = 0;
	int ret;

	scmi_put_le32(tx, msg_id);
	ret = scmi_agent_do_xfer(sp->agent, SCMI_PROTOCOL_SYSTEM,
				 SCMI_PROTOCOL_MESSAGE_ATTRIBUTES, tx,
				 sizeof(tx), rx, sizeof(rx), &got, &status);
	if (ret)
		return ret;
	if (status == SCMI_ERR_ENTRY)
		return 1;
	if (status == SCMI_ERR_SUPPORT)
		return msg_id == SYSTEM_POWER_STATE_NOTIFY ? 1 : 2;
	if (status != SCMI_SUCCESS)
		return scmi_status_to_errno(status);
	if (got != 4) {
		scmi_err(scmi_agent_log(sp->agent),
			 "system: PROTOCOL_MESSAGE_ATTRIBUTES 0x%x: %zu return bytes, expected 4",
			 msg_id, got);
		return -EPROTO;
	}
	*attr = scmi_get_le32(rx);
	return 0;
}

static int system_discover(struct system_priv *sp)
{
	const struct scmi_log *log = scmi_agent_log(sp->agent);
	struct scmi_system_power_info *si = &sp->info;
	uint8_t rx[4];
	uint32_t attr = 0;
	int32_t status;
	size_t got = 0;
	int ret;

	ret = scmi_agent_xfer_exact(sp->agent, SCMI_PROTOCOL_SYSTEM,
				    SCMI_PROTOCOL_VERSION, NULL, 0, rx, 4);
	if (ret)
		return ret;
	si->version = scmi_get_le32(rx);

	/* no fields defined: only a transport failure matters */
	ret = scmi_agent_do_xfer(sp->agent, SCMI_PROTOCOL_SYSTEM,
				 SCMI_PROTOCOL_ATTRIBUTES, NULL, 0, rx,
				 sizeof(rx), &got, &status);
	if (ret)
		return ret;
	if (status != SCMI_SUCCESS)
		scmi_info(log, "system: PROTOCOL_ATTRIBUTES: %s",
			  scmi_status_name(status));

	ret = message_attributes(sp, SYSTEM_POWER_STATE_SET, &attr);
	if (ret < 0)
		return ret;
	if (ret == 2) {
		/* no PROTOCOL_MESSAGE_ATTRIBUTES: assume what Linux assumes */
		si->notify = true;
		si->state_get = true;
		return 0;
	}
	if (ret == 0) {
		sp->attrs_known = true;
		si->warm_reset = attr & SYSTEM_SET_ATTR_WARM_RESET;
		si->suspend = attr & SYSTEM_SET_ATTR_SUSPEND;
	}

	ret = message_attributes(sp, SYSTEM_POWER_STATE_GET, &attr);
	if (ret < 0)
		return ret;
	si->state_get = ret == 0;

	ret = message_attributes(sp, SYSTEM_POWER_STATE_NOTIFY, &attr);
	if (ret < 0)
		return ret;
	si->notify = ret == 0;
	return 0;
}

static int system_init(struct scmi_agent *a, void **priv)
{
	struct system_priv *sp;
	int ret;

	sp = calloc(1, sizeof(*sp));
	if (!sp)
		return -ENOMEM;
	sp->agent = a;
	ret = system_discover(sp);
	if (ret) {
		free(sp);
		return ret;
	}
	scmi_info(scmi_agent_log(a),
		  "system power v%u.%u: notifications %s, warm reset %s, suspend %s",
		  SCMI_VERSION_MAJOR(sp->info.version),
		  SCMI_VERSION_MINOR(sp->info.version),
		  sp->info.notify ? "yes" : "no",
		  sp->info.warm_reset ? "yes" : "no",
		  sp->info.suspend ? "yes" : "no");
	*priv = sp;
	return 0;
}

static void system_fini(struct scmi_agent *a, void *priv)
{
	free(priv);
}

/* ---------------------------------------------------------------- */
/* public calls                                                     */

int scmi_system_power_info_get_full(struct scmi_agent *a,
				    struct scmi_system_power_info *info)
{
	struct system_priv *sp;
	int ret;

	if (!info)
		return -EINVAL;
	sp = scmi_proto_lookup(a, SCMI_PROTOCOL_SYSTEM, &ret);
	if (!sp)
		return ret;
	*info = sp->info;
	return 0;
}

SCMI_EXPORT int scmi_system_power_state_set(struct scmi_agent *a,
					    uint32_t flags, uint32_t state)
{
	struct system_priv *sp;
	uint8_t tx[8];
	int ret;

	sp = scmi_proto_lookup(a, SCMI_PROTOCOL_SYSTEM, &ret);
	if (!sp)
		return ret;
	if (flags & ~SCMI_SYSTEM_GRACEFUL)
		return -EINVAL;
	if (sp->attrs_known &&
	    ((state == SCMI_SYSTEM_WARMRESET && !sp->info.warm_reset) ||
	     (state == SCMI_SYSTEM_SUSPEND && !sp->info.suspend)))
		return -EOPNOTSUPP;
	scmi_put_le32(tx, flags);
	scmi_put_le32(tx + 4, state);
	return scmi_agent_xfer(a, SCMI_PROTOCOL_SYSTEM, SYSTEM_POWER_STATE_SET,
			       tx, sizeof(tx), NULL, 0, NULL);
}

SCMI_EXPORT int scmi_system_power_state_get(struct scmi_agent *a,
					    uint32_t *state)
{
	struct system_priv *sp;
	uint8_t rx[4];
	int ret;

	if (!state)
		return -EINVAL;
	sp = scmi_proto_lookup(a, SCMI_PROTOCOL_SYSTEM, &ret);
	if (!sp)
		return ret;
	if (!sp->info.state_get)
		return -EOPNOTSUPP;
	ret = scmi_agent_xfer_exact(a, SCMI_PROTOCOL_SYSTEM,
				    SYSTEM_POWER_STATE_GET, NULL, 0, rx,
				    sizeof(rx));
	if (ret)
		return ret;
	*state = scmi_get_le32(rx);
	return 0;
}

/* ---------------------------------------------------------------- */
/* events                                                           */

static bool system_is_notify_supported(void *priv, uint8_t evt_id,
				       uint32_t src_id)
{
	struct system_priv *sp = priv;

	return evt_id == SCMI_EVENT_SYSTEM_POWER_STATE_NOTIFIER && src_id == 0 &&
	       sp->info.notify;
}

/* SYSTEM_POWER_STATE_NOTIFY: +0 notify_enable; no source id. */
static int system_set_notify_enabled(void *priv, uint8_t evt_id,
				     uint32_t src_id, bool enable)
{
	struct system_priv *sp = priv;
	uint8_t tx[4];
	int ret;

	if (evt_id != SCMI_EVENT_SYSTEM_POWER_STATE_NOTIFIER || src_id != 0)
		return -EINVAL;
	scmi_put_le32(tx, enable ? 1 : 0);
	ret = scmi_agent_xfer(sp->agent, SCMI_PROTOCOL_SYSTEM,
			      SYSTEM_POWER_STATE_NOTIFY, tx, sizeof(tx), NULL,
			      0, NULL);
	return scmi_proto_notify_result(enable, ret);
}

/*
 * +0 agent_id, +4 flags (bit 0 graceful), +8 system_state, +12 timeout
 * (v2+). Exactly 12 bytes below v2, 16 from v2, as Linux checks. The
 * timeout is reported only for a graceful shutdown (Linux).
 */
static void *system_fill_custom_report(void *priv, uint8_t evt_id,
				       uint64_t timestamp_ns,
				       const void *payld, size_t payld_sz,
				       void *report, uint32_t *src_id)
{
	struct system_priv *sp = priv;
	struct scmi_system_power_state_notifier_report *r = report;
	bool v2 = SCMI_VERSION_MAJOR(sp->info.version) >= 2;
	const uint8_t *p = payld;

	if (evt_id != SCMI_EVENT_SYSTEM_POWER_STATE_NOTIFIER ||
	    payld_sz != (v2 ? SYSTEM_PAYLD_SZ_V2 : SYSTEM_PAYLD_SZ_V1))
		return NULL;

	r->timestamp = timestamp_ns;
	r->agent_id = scmi_get_le32(p);
	r->flags = scmi_get_le32(p + 4);
	r->system_state = scmi_get_le32(p + 8);
	if (v2 && r->system_state == SCMI_SYSTEM_SHUTDOWN &&
	    SCMI_SYSPOWER_IS_REQUEST_GRACEFUL(r->flags))
		r->timeout = scmi_get_le32(p + 12);
	else
		r->timeout = 0;
	*src_id = 0;
	return r;
}

static const struct scmi_event system_events[] = {
	{
		.id = SCMI_EVENT_SYSTEM_POWER_STATE_NOTIFIER,
		.max_payld_sz = SYSTEM_PAYLD_SZ_V2,
		.max_report_sz =
			sizeof(struct scmi_system_power_state_notifier_report),
	},
};

static const struct scmi_event_ops system_event_ops = {
	.set_notify_enabled = system_set_notify_enabled,
	.fill_custom_report = system_fill_custom_report,
	.is_notify_supported = system_is_notify_supported,
};

static const struct scmi_protocol_events system_protocol_events = {
	.ops = &system_event_ops,
	.evts = system_events,
	.num_events = sizeof(system_events) / sizeof(system_events[0]),
	.num_sources = 1, /* no source id: src_id 0 */
};

/* The SCMI specification's names of the events, by id (names.h). */
static const char *const system_event_names[] = {
	[SCMI_EVENT_SYSTEM_POWER_STATE_NOTIFIER] = "SYSTEM_POWER_STATE_NOTIFIER",
};

const struct scmi_proto_driver scmi_system_driver = {
	.proto_id = SCMI_PROTOCOL_SYSTEM,
	.name = "system",
	.init = system_init,
	.fini = system_fini,
	.events = &system_protocol_events,
	.event_names = system_event_names,
};
