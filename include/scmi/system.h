/* SPDX-License-Identifier: MIT */
/*
 * The system power protocol (SCMI_PROTOCOL_SYSTEM, 0x12): what the agent
 * discovers at connect, the commands, the one event and its report.
 *
 * The platform tells agents that the system is about to shut down, reset
 * or suspend with SCMI_EVENT_SYSTEM_POWER_STATE_NOTIFIER: a graceful
 * request gives them time (the report's timeout) to get ready, a forceful
 * one does not. An agent allowed to do so asks the platform for such a
 * transition with scmi_system_power_state_set().
 *
 * Besides the errors listed per function, every function that sends a
 * command can return the command errors of include/scmi/agent.h
 * (-ENOTCONN, -ECONNRESET, -ETIMEDOUT, -EPROTO, and the platform's status
 * mapped by scmi_status_to_errno()). A function given an agent whose
 * platform does not implement the protocol (or whose discovery failed at
 * connect) returns -EOPNOTSUPP; an agent that is not connected, -ENOTCONN.
 */
#ifndef SCMI_SYSTEM_H
#define SCMI_SYSTEM_H

#include <stdbool.h>
#include <stdint.h>

#include <scmi/agent.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * SYSTEM_POWER_STATE_NOTIFIER: the system is going to change state.
 * Enabled by SYSTEM_POWER_STATE_NOTIFY. One source: src_id 0. Report:
 * struct scmi_system_power_state_notifier_report.
 */
#define SCMI_EVENT_SYSTEM_POWER_STATE_NOTIFIER 0x0

/** System states (the kernel's enum scmi_system_events). */
enum scmi_system_state {
	SCMI_SYSTEM_SHUTDOWN = 0,
	SCMI_SYSTEM_COLDRESET = 1,
	SCMI_SYSTEM_WARMRESET = 2,
	SCMI_SYSTEM_POWERUP = 3,
	SCMI_SYSTEM_SUSPEND = 4,
};

/** Flags of a request and of the event: bit 0 set = graceful, clear = forceful. */
#define SCMI_SYSTEM_GRACEFUL (1u << 0)
#define SCMI_SYSPOWER_IS_REQUEST_GRACEFUL(flags) ((flags) & SCMI_SYSTEM_GRACEFUL)

/**
 * Report of SCMI_EVENT_SYSTEM_POWER_STATE_NOTIFIER (the kernel's
 * scmi_system_power_state_notifier_report).
 */
struct scmi_system_power_state_notifier_report {
	uint64_t timestamp;    /**< ns, CLOCK_MONOTONIC, when received */
	uint32_t agent_id;     /**< the agent that asked; 0 = the platform */
	uint32_t flags;        /**< SCMI_SYSTEM_GRACEFUL or 0 */
	uint32_t system_state; /**< enum scmi_system_state, or a vendor state */
	/**
	 * ms the platform waits before forcing the transition. As the
	 * kernel: given only for a graceful SCMI_SYSTEM_SHUTDOWN from a
	 * platform of protocol version 2.0 or later, else 0.
	 */
	uint32_t timeout;
};

/** What the agent discovered about system power at connect. */
struct scmi_system_power_info {
	uint32_t version;   /**< protocol version (major 31:16, minor 15:0) */
	bool notify;        /**< the platform sends SCMI_EVENT_SYSTEM_POWER_STATE_NOTIFIER */
	bool warm_reset;    /**< SCMI_SYSTEM_WARMRESET may be requested */
	bool suspend;       /**< SCMI_SYSTEM_SUSPEND may be requested */
	bool state_get;     /**< SYSTEM_POWER_STATE_GET is implemented */
};

/**
 * scmi_system_power_info_get() for a struct of @size bytes, as the caller
 * was built with (see "Structs that grow" in <scmi/agent.h>): it writes at
 * most @size bytes into *@info (an older, smaller struct gets the members
 * it has; bytes beyond those this library knows are zeroed).
 * Errors: those of scmi_system_power_info_get(); -EINVAL @size below the
 * size of the struct's first release.
 */
int scmi_system_power_info_get_sized(struct scmi_agent *agent,
				     struct scmi_system_power_info *info,
				     size_t size);

/**
 * Copy what was discovered at connect into *@info. Sends nothing.
 * Errors: -EINVAL NULL argument; -ENOTCONN; -EOPNOTSUPP.
 */
static inline int scmi_system_power_info_get(struct scmi_agent *agent,
					     struct scmi_system_power_info *info)
{
	return scmi_system_power_info_get_sized(agent, info, sizeof(*info));
}

/**
 * SYSTEM_POWER_STATE_SET: ask the platform to take the system to @state
 * (enum scmi_system_state, or a vendor state), gracefully when @flags is
 * SCMI_SYSTEM_GRACEFUL, forcefully when it is 0.
 * Errors: -EINVAL NULL @agent or other bits in @flags (nothing is sent),
 * or the platform's INVALID_PARAMETERS (no such state); -EOPNOTSUPP
 * SCMI_SYSTEM_WARMRESET or SCMI_SYSTEM_SUSPEND that discovery says the
 * platform lacks (nothing is sent), or its NOT_SUPPORTED; -EACCES the
 * platform refused (DENIED, e.g. power up of a system that is up);
 * -ENOTCONN; the command errors.
 */
int scmi_system_power_state_set(struct scmi_agent *agent, uint32_t flags,
				uint32_t state);

/**
 * SYSTEM_POWER_STATE_GET: the system state in *@state.
 * Errors: -EINVAL NULL argument; -EOPNOTSUPP the platform does not
 * implement the command (nothing is sent); -EPROTO a reply of the wrong
 * size; -ENOTCONN; the command errors.
 */
int scmi_system_power_state_get(struct scmi_agent *agent, uint32_t *state);

#ifdef __cplusplus
}
#endif

#endif /* SCMI_SYSTEM_H */
