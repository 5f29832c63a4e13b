/* SPDX-License-Identifier: MIT */
/*
 * The SCMI protocols the simulator implements: one file per protocol under
 * protocols/, each ending in its table of messages and its descriptor
 * (protocols/common.h), and one row per protocol in the table below. Adding a protocol is adding its file and its row; the
 * channel dispatches through the table and Base discovery lists it.
 *
 * A handler gets the command's message id and its payload (a private copy,
 * @req_len bytes, any length: the handler checks it) and returns the SCMI
 * status. On entry *resp_len is the room in @resp (max_msg_size bytes); on
 * success the handler writes its return values there (what follows the
 * status word) and sets *resp_len to their size. On error only the status
 * is sent. Conventions, as the reference platform's (SCP-firmware): a
 * message id the protocol does not define is NOT_FOUND, one it defines
 * that this platform does not implement NOT_SUPPORTED (protocols/common.h),
 * a payload of the wrong size PROTOCOL_ERROR, bad values
 * INVALID_PARAMETERS; scmi-sim(1) lists the statuses of each command.
 *
 * A protocol sees the agents through emit.h alone (an agent's id, its
 * subscriptions, the events sent to those subscribed), and answers an
 * asynchronous command through delayed.h: it never reaches the agent
 * table or a session.
 */
#ifndef SIM_PROTOCOLS_H
#define SIM_PROTOCOLS_H

#include <stddef.h>
#include <stdint.h>

#include <scmi/wire.h>

#include "topology.h"

struct sim_agent;

typedef int32_t sim_proto_handler_fn(struct sim_agent *a, uint8_t msg_id,
				     const uint8_t *req, size_t req_len,
				     uint8_t *resp, size_t *resp_len);

/*
 * A control request for the protocol (control.c): argv[0] is the verb,
 * e.g. {"set", "2", "45000"} for "sensor set 2 45000". Changes state the
 * way the platform itself would (agent_id 0 in the events that follow)
 * and emits what follows. Returns 0 with an optional reply text in @out,
 * or a negative errno with the reason in @out (-EINVAL bad words,
 * -ENOENT no such domain, -ERANGE a value out of range, -EOPNOTSUPP no
 * such verb).
 */
typedef int sim_proto_control_fn(int argc, char **argv, char *out,
				 size_t out_sz);

struct sim_protocol {
	uint8_t id;
	const char *name;
	sim_proto_handler_fn *handle;
	sim_proto_control_fn *control;  /* may be NULL */
};

/* protocols/base.c */
sim_proto_handler_fn sim_base_handle;
/*
 * Tell @a, if it subscribed with BASE_NOTIFY_ERRORS, that its command
 * with header @msg_hdr was malformed and answered with @status.
 */
void sim_base_report_error(struct sim_agent *a, uint32_t msg_hdr,
			   int32_t status);

sim_proto_handler_fn sim_power_handle;
sim_proto_control_fn sim_power_control;
sim_proto_handler_fn sim_system_handle;
sim_proto_control_fn sim_system_control;
sim_proto_handler_fn sim_perf_handle;
sim_proto_control_fn sim_perf_control;
sim_proto_handler_fn sim_clock_handle;
sim_proto_control_fn sim_clock_control;
sim_proto_handler_fn sim_sensor_handle;
sim_proto_control_fn sim_sensor_control;
sim_proto_handler_fn sim_reset_handle;
sim_proto_control_fn sim_reset_control;
sim_proto_handler_fn sim_voltage_handle;
sim_proto_control_fn sim_voltage_control;
sim_proto_handler_fn sim_powercap_handle;
sim_proto_control_fn sim_powercap_control;

/* The table: one row per protocol. */
static const struct sim_protocol sim_protocols[] = {
	{ SCMI_PROTOCOL_BASE, "base", sim_base_handle, NULL },
	{ SCMI_PROTOCOL_POWER, "power", sim_power_handle, sim_power_control },
	{ SCMI_PROTOCOL_SYSTEM, "system", sim_system_handle, sim_system_control },
	{ SCMI_PROTOCOL_PERF, "perf", sim_perf_handle, sim_perf_control },
	{ SCMI_PROTOCOL_CLOCK, "clock", sim_clock_handle, sim_clock_control },
	{ SCMI_PROTOCOL_SENSOR, "sensor", sim_sensor_handle, sim_sensor_control },
	{ SCMI_PROTOCOL_RESET, "reset", sim_reset_handle, sim_reset_control },
	{ SCMI_PROTOCOL_VOLTAGE, "voltage", sim_voltage_handle, sim_voltage_control },
	{ SCMI_PROTOCOL_POWERCAP, "powercap", sim_powercap_handle, sim_powercap_control },
};

#define SIM_NUM_PROTOCOLS (sizeof(sim_protocols) / sizeof(sim_protocols[0]))

/*
 * The protocol @id, if the simulator implements it and the topology
 * offers it (topology.h): what Base discovery lists and the channel
 * dispatches to. NULL otherwise (NOT_SUPPORTED).
 */
static inline const struct sim_protocol *sim_protocol_find(uint8_t id)
{
	if (!sim_topo()->offered[id])
		return NULL;
	for (size_t i = 0; i < SIM_NUM_PROTOCOLS; i++)
		if (sim_protocols[i].id == id)
			return &sim_protocols[i];
	return NULL;
}

#endif /* SIM_PROTOCOLS_H */
