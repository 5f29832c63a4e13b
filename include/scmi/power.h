/* SPDX-License-Identifier: MIT */
/*
 * The SCMI power domain protocol (SCMI_PROTOCOL_POWER, 0x11): what the
 * agent discovered at connect, the power state of each domain, and the
 * POWER_STATE_CHANGED event.
 *
 * The agent brings the protocol up at connect when the platform lists it:
 * PROTOCOL_VERSION, PROTOCOL_ATTRIBUTES, then each domain's
 * POWER_DOMAIN_ATTRIBUTES and (version 3.0 and up, when the domain says
 * so) POWER_DOMAIN_NAME_GET. Domain ids are 0..count-1.
 *
 * Besides the errors listed per function, every function that sends a
 * command can return the command errors of include/scmi/agent.h.
 * Every function returns -ENOTCONN when the agent is not connected and
 * -EOPNOTSUPP when the platform does not implement the protocol (or its
 * discovery failed at connect).
 *
 * Register for state changes of domain 2 on the agent's notify instance:
 *
 *   uint32_t dom = 2;
 *   scmi_event_notifier_register(scmi_agent_notify(agent),
 *                                SCMI_PROTOCOL_POWER,
 *                                SCMI_EVENT_POWER_STATE_CHANGED, &dom, &nb);
 *
 * which fails with -EOPNOTSUPP when the domain cannot notify.
 */
#ifndef SCMI_POWER_H
#define SCMI_POWER_H

#include <stdbool.h>
#include <stdint.h>

#include <scmi/agent.h>
#include <scmi/wire.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * POWER_STATE_CHANGED: a domain's power state changed (src_id: the
 * domain). Enabled per domain by POWER_STATE_NOTIFY, sent when the first
 * notifier of the domain registers.
 */
#define SCMI_EVENT_POWER_STATE_CHANGED 0x0

/*
 * A power state word: bit 30 the state type (0 operational, 1 off or
 * retention), bits 27:0 the state id; bits 31 and 29:28 reserved.
 */
#define SCMI_POWER_STATE_ON 0x00000000u  /**< the generic "on" state */
#define SCMI_POWER_STATE_OFF 0x40000000u /**< the generic "off" state */
#define SCMI_POWER_STATE_TYPE_OFF (1u << 30)
#define SCMI_POWER_STATE_ID_MASK 0x0FFFFFFFu
#define SCMI_POWER_STATE_RESERVED_MASK 0xB0000000u

/** Most bytes of a domain name, with its NUL (SCMI_MAX_STR_SIZE). */
#define SCMI_POWER_NAME_MAX 64

/** Report of SCMI_EVENT_POWER_STATE_CHANGED (the kernel's scmi_power_state_changed_report). */
struct scmi_power_state_changed_report {
	uint64_t timestamp;   /**< ns, CLOCK_MONOTONIC, when received */
	uint32_t agent_id;    /**< the agent that caused the change (0: the platform) */
	uint32_t domain_id;   /**< the domain; also the src_id */
	uint32_t power_state; /**< the new state */
};

/** What PROTOCOL_VERSION and PROTOCOL_ATTRIBUTES said at connect. */
struct scmi_power_protocol_info {
	uint32_t version;      /**< major 31:16, minor 15:0 */
	uint32_t num_domains;
	uint64_t stats_addr;   /**< statistics shared memory address (0: none) */
	uint32_t stats_len;    /**< its length in bytes */
};

/** One domain, as its POWER_DOMAIN_ATTRIBUTES (and name) said at connect. */
struct scmi_power_domain_info {
	char name[SCMI_POWER_NAME_MAX]; /**< NUL-terminated; the extended name when there is one */
	bool notify;          /**< POWER_STATE_CHANGED supported (attribute bit 31) */
	bool async;           /**< asynchronous POWER_STATE_SET supported (bit 30) */
	bool sync;            /**< synchronous POWER_STATE_SET supported (bit 29) */
	bool extended_name;   /**< the platform has a name longer than 15 characters (bit 27) */
	uint32_t attributes;  /**< the attribute word, as sent */
	uint32_t state;       /**< the current state (POWER_STATE_GET at the call) */
};

/**
 * The number of power domains (ids 0..count-1).
 * Returns the count (>= 0), or -EINVAL NULL @agent; -ENOTCONN;
 * -EOPNOTSUPP.
 */
int scmi_power_domain_count(struct scmi_agent *agent);

/**
 * scmi_power_protocol_info_get() for a struct of @size bytes, as the caller
 * was built with (see "Structs that grow" in <scmi/agent.h>): it writes at
 * most @size bytes into *@info (an older, smaller struct gets the members
 * it has; bytes beyond those this library knows are zeroed).
 * Errors: those of scmi_power_protocol_info_get(); -EINVAL @size below the
 * size of the struct's first release.
 */
int scmi_power_protocol_info_get_sized(struct scmi_agent *agent,
				       struct scmi_power_protocol_info *info,
				       size_t size);

/**
 * Copy the protocol's version and attributes into *@info.
 * Errors: -EINVAL NULL argument; -ENOTCONN; -EOPNOTSUPP.
 */
static inline int scmi_power_protocol_info_get(struct scmi_agent *agent,
					       struct scmi_power_protocol_info *info)
{
	return scmi_power_protocol_info_get_sized(agent, info, sizeof(*info));
}

/**
 * scmi_power_domain_info_get() for a struct of @size bytes, as the caller
 * was built with (see "Structs that grow" in <scmi/agent.h>): it writes at
 * most @size bytes into *@info (an older, smaller struct gets the members
 * it has; bytes beyond those this library knows are zeroed).
 * Errors: those of scmi_power_domain_info_get(); -EINVAL @size below the
 * size of the struct's first release.
 */
int scmi_power_domain_info_get_sized(struct scmi_agent *agent, uint32_t id,
				     struct scmi_power_domain_info *info,
				     size_t size);

/**
 * Copy what discovery learned of domain @domain_id into *@info, with its
 * current state read from the platform (POWER_STATE_GET).
 * Errors: -EINVAL NULL argument or an unknown domain (nothing sent);
 * -ENOTCONN; -EOPNOTSUPP; -EPROTO a reply of the wrong size; and every
 * command error.
 */
static inline int scmi_power_domain_info_get(struct scmi_agent *agent,
					     uint32_t domain_id,
					     struct scmi_power_domain_info *info)
{
	return scmi_power_domain_info_get_sized(agent, domain_id,
						info, sizeof(*info));
}

/**
 * POWER_STATE_GET: the current power state of @domain_id in *@state.
 * Errors: -EINVAL NULL argument or an unknown domain (nothing sent);
 * -ENOTCONN; -EOPNOTSUPP; -EPROTO a reply of the wrong size; -ENOENT the
 * platform does not know the domain; and every command error.
 */
int scmi_power_state_get(struct scmi_agent *agent, uint32_t domain_id,
			 uint32_t *state);

/**
 * POWER_STATE_SET, synchronous: set @domain_id to @state; the state has
 * changed when it returns 0.
 * Errors: -EINVAL NULL @agent, an unknown domain or a state with reserved
 * bits set (nothing sent), or the platform refused the state
 * (INVALID_PARAMETERS); -ENOTCONN; -EOPNOTSUPP the domain supports no
 * synchronous change (nothing sent); -EACCES the platform denied it;
 * -ENOENT the platform does not know the domain; and every command error.
 */
int scmi_power_state_set(struct scmi_agent *agent, uint32_t domain_id,
			 uint32_t state);

/**
 * POWER_STATE_SET with the asynchronous flag: the platform accepts the
 * request and changes the state after it answered (there is no delayed
 * response; subscribe to SCMI_EVENT_POWER_STATE_CHANGED, or poll
 * scmi_power_state_get(), to learn when it is done).
 * Errors: as scmi_power_state_set(), but -EOPNOTSUPP when the domain
 * supports no asynchronous change (nothing sent).
 */
int scmi_power_state_set_async(struct scmi_agent *agent, uint32_t domain_id,
			       uint32_t state);

#ifdef __cplusplus
}
#endif

#endif /* SCMI_POWER_H */
