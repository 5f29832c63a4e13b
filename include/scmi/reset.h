/* SPDX-License-Identifier: MIT */
/*
 * The SCMI reset domain protocol (SCMI_PROTOCOL_RESET, 0x16): what the
 * agent discovered at connect, resetting, asserting and de-asserting a
 * domain, and the RESET_ISSUED event.
 *
 * The agent brings the protocol up at connect when the platform lists it:
 * PROTOCOL_VERSION, PROTOCOL_ATTRIBUTES, then each domain's
 * RESET_DOMAIN_ATTRIBUTES and (version 3.0 and up, when the domain says
 * so) RESET_DOMAIN_NAME_GET. Domain ids are 0..count-1.
 *
 * An autonomous reset of a domain that supports asynchronous resets
 * (scmi_reset_domain_info_get().async) is sent asynchronous, as Linux sends
 * it, and the call returns when the platform's delayed response
 * RESET_COMPLETE says it is done (scmi_agent_xfer_async()); assert and
 * de-assert are synchronous. scmi_reset_domain_reset_async() does not
 * wait: it completes through a callback, in the manner of
 * sd_bus_call_async(). Every reset names the architectural cold reset
 * (reset_state 0), as Linux does.
 *
 * Besides the errors listed per function, every function that sends a
 * command can return the command errors of include/scmi/agent.h.
 * Every function returns -ENOTCONN when the agent is not connected and
 * -EOPNOTSUPP when the platform does not implement the protocol (or its
 * discovery failed at connect).
 *
 * Register for the resets of domain 0 on the agent's notify instance:
 *
 *   uint32_t dom = 0;
 *   scmi_event_notifier_register(scmi_agent_notify(agent),
 *                                SCMI_PROTOCOL_RESET,
 *                                SCMI_EVENT_RESET_ISSUED, &dom, &nb);
 *
 * which fails with -EOPNOTSUPP when the domain cannot notify.
 */
#ifndef SCMI_RESET_H
#define SCMI_RESET_H

#include <stdbool.h>
#include <stdint.h>

#include <scmi/agent.h>
#include <scmi/wire.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * RESET_ISSUED: an agent reset or asserted a domain (src_id: the domain).
 * Enabled per domain by RESET_NOTIFY, sent when the first notifier of the
 * domain registers.
 */
#define SCMI_EVENT_RESET_ISSUED 0x0

/* A reset_state word: bit 31 set = implementation defined, bits 30:0 the id. */
#define SCMI_RESET_STATE_IMPL_DEFINED (1u << 31)
#define SCMI_RESET_STATE_COLD 0x0u /**< the architectural cold reset */

/** RESET_DOMAIN_ATTRIBUTES latency value meaning "unknown". */
#define SCMI_RESET_LATENCY_UNKNOWN 0xFFFFFFFFu

/** Most bytes of a domain name, with its NUL (SCMI_MAX_STR_SIZE). */
#define SCMI_RESET_NAME_MAX 64

/** Report of SCMI_EVENT_RESET_ISSUED (the kernel's scmi_reset_issued_report). */
struct scmi_reset_issued_report {
	uint64_t timestamp;   /**< ns, CLOCK_MONOTONIC, when received */
	uint32_t agent_id;    /**< the agent that issued the reset (0: the platform) */
	uint32_t domain_id;   /**< the domain; also the src_id */
	uint32_t reset_state; /**< the reset kind (SCMI_RESET_STATE_COLD, ...) */
};

/** What PROTOCOL_VERSION and PROTOCOL_ATTRIBUTES said at connect. */
struct scmi_reset_protocol_info {
	uint32_t version;      /**< major 31:16, minor 15:0 */
	uint32_t num_domains;
};

/** One domain, as its RESET_DOMAIN_ATTRIBUTES (and name) said at connect. */
struct scmi_reset_domain_info {
	char name[SCMI_RESET_NAME_MAX]; /**< NUL-terminated; the extended name when there is one */
	bool async;           /**< asynchronous reset supported (attribute bit 31) */
	bool notify;          /**< RESET_ISSUED supported (bit 30) */
	bool extended_name;   /**< the platform has a name longer than 15 characters (bit 29) */
	uint32_t attributes;  /**< the attribute word, as sent */
	uint32_t latency_us;  /**< reset latency; SCMI_RESET_LATENCY_UNKNOWN if unknown */
};

/**
 * The number of reset domains (ids 0..count-1).
 * Returns the count (>= 0), or -EINVAL NULL @agent; -ENOTCONN;
 * -EOPNOTSUPP.
 */
int scmi_reset_domain_count(struct scmi_agent *agent);

/**
 * scmi_reset_protocol_info_get() for a struct of @size bytes, as the caller
 * was built with (see "Structs that grow" in <scmi/agent.h>): it writes at
 * most @size bytes into *@info (an older, smaller struct gets the members
 * it has; bytes beyond those this library knows are zeroed).
 * Errors: those of scmi_reset_protocol_info_get(); -EINVAL @size below the
 * size of the struct's first release.
 */
int scmi_reset_protocol_info_get_sized(struct scmi_agent *agent,
				       struct scmi_reset_protocol_info *info,
				       size_t size);

/**
 * Copy the protocol's version and attributes into *@info.
 * Errors: -EINVAL NULL argument; -ENOTCONN; -EOPNOTSUPP.
 */
static inline int scmi_reset_protocol_info_get(struct scmi_agent *agent,
					       struct scmi_reset_protocol_info *info)
{
	return scmi_reset_protocol_info_get_sized(agent, info, sizeof(*info));
}

/**
 * scmi_reset_domain_info_get() for a struct of @size bytes, as the caller
 * was built with (see "Structs that grow" in <scmi/agent.h>): it writes at
 * most @size bytes into *@info (an older, smaller struct gets the members
 * it has; bytes beyond those this library knows are zeroed).
 * Errors: those of scmi_reset_domain_info_get(); -EINVAL @size below the
 * size of the struct's first release.
 */
int scmi_reset_domain_info_get_sized(struct scmi_agent *agent, uint32_t id,
				     struct scmi_reset_domain_info *info,
				     size_t size);

/**
 * Copy what discovery learned of domain @domain_id into *@info. Sends
 * nothing.
 * Errors: -EINVAL NULL argument or an unknown domain; -ENOTCONN;
 * -EOPNOTSUPP.
 */
static inline int scmi_reset_domain_info_get(struct scmi_agent *agent,
					     uint32_t domain_id,
					     struct scmi_reset_domain_info *info)
{
	return scmi_reset_domain_info_get_sized(agent, domain_id,
						info, sizeof(*info));
}

/**
 * RESET, autonomous (flags 0x1, with 0x4 asynchronous when the domain
 * supports it): the platform asserts and de-asserts @domain_id; done when
 * it returns 0 (see above).
 * Errors: -EINVAL NULL @agent or an unknown domain (nothing sent), or the
 * platform's INVALID_PARAMETERS; -ENOTCONN; -EOPNOTSUPP; -EACCES the
 * platform denied it; -ENOENT the platform does not know the domain;
 * -EBUSY the platform has a reset of the domain pending; -EPROTO a
 * RESET_COMPLETE for another domain; every command error and those of
 * scmi_agent_xfer_async().
 */
int scmi_reset_domain_reset(struct scmi_agent *agent, uint32_t domain_id);

/**
 * The completion of scmi_reset_domain_reset_async(), called exactly once,
 * never from inside that call: on the agent's supervisor thread in
 * threaded mode (which may be before the call returned), in a later
 * scmi_agent_dispatch() in event-loop mode, or by scmi_agent_disconnect()
 * or scmi_agent_destroy() for a reset they cut short. @result is 0 when the domain was reset; else the errno of the
 * status of RESET_COMPLETE (scmi_status_to_errno()), -EPROTO a
 * RESET_COMPLETE for another domain or of the wrong size, -ETIMEDOUT none
 * within delayed_timeout_ms, or -ECONNRESET the platform went away, or
 * the agent disconnected, first.
 */
typedef void (*scmi_reset_async_fn)(void *userdata, int result);

/**
 * RESET, autonomous, as scmi_reset_domain_reset() sends it, but returns
 * once the platform accepted it: @done(@userdata, result) tells when the
 * domain was reset (scmi_reset_async_fn). A domain without asynchronous
 * resets is reset synchronously (the call returns when it is done), and
 * @done is called all the same, later. The agent keeps what it needs:
 * the caller keeps nothing alive but what @userdata points to.
 * Returns 0, and @done will be called exactly once; or a negative errno,
 * and @done is never called: -EINVAL NULL @agent or @done, an unknown
 * domain (nothing sent), or the platform's INVALID_PARAMETERS; -ENOTCONN;
 * -EOPNOTSUPP; -ENOMEM; -EACCES the platform denied it; -ENOENT the
 * platform does not know the domain; -EBUSY the platform has a reset of
 * the domain pending, or 16 asynchronous commands of the agent wait
 * already; and every command error of the command itself (or of the
 * synchronous reset).
 */
int scmi_reset_domain_reset_async(struct scmi_agent *agent,
				  uint32_t domain_id,
				  scmi_reset_async_fn done, void *userdata);

/**
 * RESET, explicit assert (flags 0x2): @domain_id stays in reset until
 * scmi_reset_domain_deassert().
 * Errors: as scmi_reset_domain_reset().
 */
int scmi_reset_domain_assert(struct scmi_agent *agent, uint32_t domain_id);

/**
 * RESET, explicit de-assert (flags 0x0): @domain_id leaves reset.
 * Errors: as scmi_reset_domain_reset().
 */
int scmi_reset_domain_deassert(struct scmi_agent *agent, uint32_t domain_id);

#ifdef __cplusplus
}
#endif

#endif /* SCMI_RESET_H */
