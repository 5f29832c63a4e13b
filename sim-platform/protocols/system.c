/* SPDX-License-Identifier: MIT */
/*
 * The system power protocol (0x12), version 2.0, over the topology's
 * system: SYSTEM_POWER_STATE_SET / GET / NOTIFY and the
 * SYSTEM_POWER_STATE_NOTIFIER event (16 bytes in v2: agent_id, flags,
 * system_state, timeout). See SCMI-REFERENCE.md 6.3.
 *
 * A request, an agent's STATE_SET or the control request
 * "system request <state> graceful|forceful [timeout_ms]" (agent_id 0),
 * is announced with SYSTEM_POWER_STATE_NOTIFIER to every subscribed agent
 * (the requester too, if it subscribed), then taken at once: the system
 * is simulated, so it never goes away. The state GET reports afterwards
 * is the state asked for, except that a reset comes back up (POWER_UP).
 * A graceful request carries the topology's timeout (or the control's);
 * a forceful one a timeout of 0. "system support ..." turns the
 * notification, warm reset or suspend support on and off.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <scmi/wire.h>

#include "../access.h"
#include "../emit.h"
#include "../log.h"
#include "../protocols.h"
#include "../topology.h"
#include "common.h"

#define SYSTEM_VERSION SCMI_VERSION(2, 0)

enum system_cmd {
	SYSTEM_POWER_STATE_SET = 0x3,
	SYSTEM_POWER_STATE_GET = 0x4,
	SYSTEM_POWER_STATE_NOTIFY = 0x5,
};

#define SYSTEM_POWER_STATE_NOTIFIER 0x0
#define SYSTEM_FLAGS_GRACEFUL (1u << 0)
#define SYSTEM_SET_ATTR_WARM_RESET (1u << 31)
#define SYSTEM_SET_ATTR_SUSPEND (1u << 30)

enum system_state {
	SYSTEM_SHUTDOWN = 0,
	SYSTEM_COLD_RESET = 1,
	SYSTEM_WARM_RESET = 2,
	SYSTEM_POWER_UP = 3,
	SYSTEM_SUSPEND = 4,
	SYSTEM_NUM_STATES,
};

static const char *const state_names[SYSTEM_NUM_STATES] = {
	"shutdown", "cold-reset", "warm-reset", "power-up", "suspend",
};

/*
 * Announce and take the transition to @state requested by @agent_id (0:
 * the platform), already validated.
 */
static void request_state(uint32_t agent_id, uint32_t flags, uint32_t state,
			  uint32_t timeout_ms)
{
	struct sim_system *s = &sim_topo()->system;
	uint8_t payld[16];

	scmi_put_le32(payld, agent_id);
	scmi_put_le32(payld + 4, flags);
	scmi_put_le32(payld + 8, state);
	scmi_put_le32(payld + 12, timeout_ms);
	if (s->notify)
		sim_emit(SCMI_PROTOCOL_SYSTEM, SYSTEM_POWER_STATE_NOTIFIER, 0,
			 payld, sizeof(payld));
	sim_log(SIM_LOG_INFO, "system: %s %s requested by agent %u (timeout %u ms)",
		flags & SYSTEM_FLAGS_GRACEFUL ? "graceful" : "forceful",
		state_names[state], agent_id, timeout_ms);
	s->state = state == SYSTEM_COLD_RESET || state == SYSTEM_WARM_RESET ?
			   SYSTEM_POWER_UP : state;
}

/* ---- the commands ---------------------------------------------------- */
/* Each gets a payload of exactly its size and max_msg_size bytes of room. */

/* No attributes defined: 0. */
static int32_t system_protocol_attributes(struct sim_agent *a,
					  const uint8_t *req, uint8_t *resp,
					  size_t *resp_len)
{
	scmi_put_le32(resp, 0);
	*resp_len = 4;
	return SCMI_SUCCESS;
}

/*
 * +0 flags (bit 0 graceful, others reserved), +4 system_state. Status
 * only. Unknown states and reserved flags: INVALID_PARAMETERS; a warm
 * reset or suspend the platform lacks: NOT_SUPPORTED; power up of a
 * system that is not shut down or suspended: DENIED.
 */
static int32_t system_state_set(struct sim_agent *a, const uint8_t *req,
				uint8_t *resp, size_t *resp_len)
{
	const struct sim_system *s = &sim_topo()->system;
	uint32_t flags = scmi_get_le32(req);
	uint32_t state = scmi_get_le32(req + 4);

	if (flags & ~SYSTEM_FLAGS_GRACEFUL || state >= SYSTEM_NUM_STATES)
		return SCMI_ERR_PARAMS;
	if ((state == SYSTEM_WARM_RESET && !s->warm_reset) ||
	    (state == SYSTEM_SUSPEND && !s->suspend))
		return SCMI_ERR_SUPPORT;
	if (state == SYSTEM_POWER_UP && s->state != SYSTEM_SHUTDOWN &&
	    s->state != SYSTEM_SUSPEND)
		return SCMI_ERR_ACCESS;
	request_state(sim_agent_id(a), flags, state,
		      flags & SYSTEM_FLAGS_GRACEFUL ? s->timeout_ms : 0);
	*resp_len = 0;
	return SCMI_SUCCESS;
}

/*
 * Reply +0 system_state. As the reference platform (SCP-firmware): only
 * a platform with an OSPM view tells the state, and not to the PSCI
 * agent; NOT_SUPPORTED otherwise.
 */
static int32_t system_state_get(struct sim_agent *a, const uint8_t *req,
				uint8_t *resp, size_t *resp_len)
{
	if (sim_topo()->system.view == SIM_SYSTEM_VIEW_FULL ||
	    sim_access_type(sim_agent_id(a)) == SIM_AGENT_PSCI)
		return SCMI_ERR_SUPPORT;
	scmi_put_le32(resp, sim_topo()->system.state);
	*resp_len = 4;
	return SCMI_SUCCESS;
}

/* +0 notify_enable (bit 0); no source id. Status only. */
static int32_t system_state_notify(struct sim_agent *a, const uint8_t *req,
				   uint8_t *resp, size_t *resp_len)
{
	return sim_notify_cmd(a, SCMI_PROTOCOL_SYSTEM, SYSTEM_POWER_STATE_NOTIFIER,
			      0, scmi_get_le32(req), sim_topo()->system.notify,
			      resp_len);
}

static const struct sim_msg system_msgs[] = {
	{ SYSTEM_POWER_STATE_SET, 8, system_state_set, 0, 0 },
	{ SYSTEM_POWER_STATE_GET, 0, system_state_get, 0, 0 },
	{ SYSTEM_POWER_STATE_NOTIFY, 4, system_state_notify, 0, 0 },
};

/*
 * PROTOCOL_MESSAGE_ATTRIBUTES: NOT_FOUND for STATE_NOTIFY when the
 * topology has no notifications; for STATE_SET bit 31 warm reset and bit
 * 30 suspend supported; 0 for the others.
 */
static int32_t system_msg_attributes(uint32_t msg_id, uint32_t *attr)
{
	const struct sim_system *s = &sim_topo()->system;

	if (msg_id == SYSTEM_POWER_STATE_NOTIFY && !s->notify)
		return SCMI_ERR_ENTRY;
	if (msg_id == SYSTEM_POWER_STATE_SET)
		*attr = (s->warm_reset ? SYSTEM_SET_ATTR_WARM_RESET : 0) |
			(s->suspend ? SYSTEM_SET_ATTR_SUSPEND : 0);
	return SCMI_SUCCESS;
}

SIM_PROTOCOL(system, SYSTEM_VERSION, SIM_NO_DOMAINS, system_protocol_attributes,
	     system_msgs, system_msg_attributes)

/* ---- control --------------------------------------------------------- */

/* A state by name ("shutdown", "cold-reset", ...) or number 0..4. */
static int parse_state(const char *w, uint32_t *state)
{
	uint32_t v;

	for (uint32_t i = 0; i < SYSTEM_NUM_STATES; i++) {
		if (!strcasecmp(w, state_names[i])) {
			*state = i;
			return 0;
		}
	}
	if (sim_parse_u32(w, &v))
		return -EINVAL;
	if (v >= SYSTEM_NUM_STATES)
		return -ERANGE;
	*state = v;
	return 0;
}

#define REQUEST_USAGE \
	"usage: system request shutdown|cold-reset|warm-reset|power-up|suspend|0..4 graceful|forceful [timeout_ms]"

/*
 * "request <state> graceful|forceful [timeout_ms]": the platform asks the
 * agents to go to @state (agent_id 0 in the event). The timeout defaults
 * to the topology's for a graceful request, 0 for a forceful one.
 */
static int control_request(int argc, char **argv, char *out, size_t out_sz)
{
	const struct sim_system *s = &sim_topo()->system;
	uint32_t state, flags, timeout_ms;
	int ret;

	if (argc < 3 || argc > 4) {
		snprintf(out, out_sz, REQUEST_USAGE);
		return -EINVAL;
	}
	ret = parse_state(argv[1], &state);
	if (ret) {
		snprintf(out, out_sz, "no system state '%.32s' (%s)", argv[1],
			 "shutdown, cold-reset, warm-reset, power-up, suspend or 0..4");
		return ret;
	}
	if (!strcmp(argv[2], "graceful")) {
		flags = SYSTEM_FLAGS_GRACEFUL;
	} else if (!strcmp(argv[2], "forceful")) {
		flags = 0;
	} else {
		snprintf(out, out_sz, REQUEST_USAGE);
		return -EINVAL;
	}
	timeout_ms = flags ? s->timeout_ms : 0;
	if (argc == 4 && sim_parse_u32(argv[3], &timeout_ms)) {
		snprintf(out, out_sz, "bad timeout '%.32s' (ms, 0..%u)",
			 argv[3], UINT32_MAX);
		return -EINVAL;
	}
	if ((state == SYSTEM_WARM_RESET && !s->warm_reset) ||
	    (state == SYSTEM_SUSPEND && !s->suspend)) {
		snprintf(out, out_sz, "the platform does not support %s",
			 state_names[state]);
		return -EINVAL;
	}
	request_state(0, flags, state, timeout_ms);
	snprintf(out, out_sz, "system %s %s timeout %u", state_names[state],
		 flags ? "graceful" : "forceful", timeout_ms);
	return 0;
}

#define SUPPORT_USAGE "usage: system support notify|warm-reset|suspend on|off"

/*
 * "support notify|warm-reset|suspend on|off": what the platform offers,
 * as agents that connect (or ask) from now on discover it. Turning the
 * notification off stops the events; subscriptions are kept.
 */
static int control_support(int argc, char **argv, char *out, size_t out_sz)
{
	struct sim_system *s = &sim_topo()->system;
	bool on, *what;

	if (argc != 3 || (strcmp(argv[2], "on") && strcmp(argv[2], "off"))) {
		snprintf(out, out_sz, SUPPORT_USAGE);
		return -EINVAL;
	}
	on = !strcmp(argv[2], "on");
	if (!strcmp(argv[1], "notify")) {
		what = &s->notify;
	} else if (!strcmp(argv[1], "warm-reset")) {
		what = &s->warm_reset;
	} else if (!strcmp(argv[1], "suspend")) {
		what = &s->suspend;
	} else {
		snprintf(out, out_sz, SUPPORT_USAGE);
		return -EINVAL;
	}
	*what = on;
	snprintf(out, out_sz, "system %s %s", argv[1], argv[2]);
	return 0;
}

int sim_system_control(int argc, char **argv, char *out, size_t out_sz)
{
	if (argc < 1) {
		snprintf(out, out_sz, REQUEST_USAGE);
		return -EINVAL;
	}
	if (!strcmp(argv[0], "request"))
		return control_request(argc, argv, out, out_sz);
	if (!strcmp(argv[0], "support"))
		return control_support(argc, argv, out, out_sz);
	snprintf(out, out_sz, "no system verb '%.32s' (request, support)",
		 argv[0]);
	return -EOPNOTSUPP;
}
