/* SPDX-License-Identifier: MIT */
/*
 * The Voltage domain protocol (SCMI_PROTOCOL_VOLTAGE, 0x17): what the
 * agent discovered at connect and the commands a user needs. The protocol
 * has no events.
 *
 * Levels are signed microvolts. A domain describes its levels either as a
 * discrete list (ascending, as the platform sent it) or as a segment: the
 * three values {lowest, highest, step}.
 *
 * Every function returns 0 (or a count) on success and a negative errno on
 * failure. Besides the errors each one names, every function that sends a
 * command can return the command errors listed in include/scmi/agent.h.
 * The functions share these:
 *   -EINVAL      NULL agent or output, or a domain id the platform did not
 *                announce (nothing is sent)
 *   -ENOTCONN    the agent is not connected
 *   -EOPNOTSUPP  the platform does not implement the protocol, or its
 *                discovery failed at connect
 */
#ifndef SCMI_VOLTAGE_H
#define SCMI_VOLTAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <scmi/agent.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Size of a domain name with its NUL (SCMI_MAX_STR_SIZE). */
#define SCMI_VOLTAGE_NAME_SZ 64u

/** VOLTAGE_CONFIG_SET/GET mode (bits 3:0): architectural off and on. */
#define SCMI_VOLTAGE_CONFIG_OFF 0x0u
#define SCMI_VOLTAGE_CONFIG_ON 0x7u

/** Indices of a segmented domain's three level values. */
enum scmi_voltage_segment {
	SCMI_VOLTAGE_SEG_LOW = 0,
	SCMI_VOLTAGE_SEG_HIGH = 1,
	SCMI_VOLTAGE_SEG_STEP = 2,
};

/** What PROTOCOL_VERSION and PROTOCOL_ATTRIBUTES said. */
struct scmi_voltage_protocol_info {
	uint32_t version;      /**< major 31:16, minor 15:0 */
	uint32_t num_domains;
};

/** What discovery learned about one domain. */
struct scmi_voltage_domain_info {
	uint32_t id;
	char name[SCMI_VOLTAGE_NAME_SZ]; /**< NUL-terminated (extended when offered) */
	bool async_level_set;  /**< asynchronous LEVEL_SET offered (then used) */
	bool extended_name;    /**< the platform offers VOLTAGE_DOMAIN_NAME_GET */
	bool segmented;        /**< levels are {low, high, step} */
	bool negative_volts_allowed; /**< a level below 0 was described */
	/** Level values described: 3 when segmented. */
	uint32_t num_levels;
};

/**
 * scmi_voltage_protocol_info_get() for a struct of @size bytes, as the
 * caller was built with (see "Structs that grow" in <scmi/agent.h>): it
 * writes at most @size bytes into *@info (an older, smaller struct gets the
 * members it has; bytes beyond those this library knows are zeroed).
 * Errors: those of scmi_voltage_protocol_info_get(); -EINVAL @size below
 * the size of the struct's first release.
 */
int scmi_voltage_protocol_info_get_sized(struct scmi_agent *agent,
					 struct scmi_voltage_protocol_info *info,
					 size_t size);

/**
 * Copy the protocol's discovery results into *@info.
 * Errors: the shared ones above.
 */
static inline int scmi_voltage_protocol_info_get(struct scmi_agent *agent,
						 struct scmi_voltage_protocol_info *info)
{
	return scmi_voltage_protocol_info_get_sized(agent, info, sizeof(*info));
}

/**
 * The number of voltage domains (ids 0..count-1), or a negative errno:
 * -EINVAL NULL @agent; -ENOTCONN; -EOPNOTSUPP.
 */
int scmi_voltage_domain_count(struct scmi_agent *agent);

/**
 * scmi_voltage_domain_info_get() for a struct of @size bytes, as the caller
 * was built with (see "Structs that grow" in <scmi/agent.h>): it writes at
 * most @size bytes into *@info (an older, smaller struct gets the members
 * it has; bytes beyond those this library knows are zeroed).
 * Errors: those of scmi_voltage_domain_info_get(); -EINVAL @size below the
 * size of the struct's first release.
 */
int scmi_voltage_domain_info_get_sized(struct scmi_agent *agent, uint32_t id,
				       struct scmi_voltage_domain_info *info,
				       size_t size);

/**
 * Copy what discovery learned about domain @domain_id into *@info.
 * Errors: the shared ones above; -ENODATA the domain described no levels
 * (VOLTAGE_DESCRIBE_LEVELS failed or returned none: the kernel hides such a
 * domain from its users).
 */
static inline int scmi_voltage_domain_info_get(struct scmi_agent *agent,
					       uint32_t domain_id,
					       struct scmi_voltage_domain_info *info)
{
	return scmi_voltage_domain_info_get_sized(agent, domain_id, info,
						  sizeof(*info));
}

/**
 * Copy the first min(@cap, count) level values of @domain_id (µV; for a
 * segmented domain: low, high, step) into @levels_uv, and return the
 * count. @levels_uv may be NULL when @cap is 0.
 * Errors: the shared ones above (-EINVAL also for NULL @levels_uv with
 * @cap > 0); -ENODATA the domain described no levels.
 */
int scmi_voltage_domain_levels(struct scmi_agent *agent, uint32_t domain_id,
			       int32_t *levels_uv, size_t cap);

/**
 * VOLTAGE_CONFIG_GET: the domain's configuration word in *@config
 * (bits 3:0 the mode: SCMI_VOLTAGE_CONFIG_OFF, SCMI_VOLTAGE_CONFIG_ON, or
 * 0x8-0xF implementation defined).
 * Errors: the shared ones above; -ENOENT the platform does not know the
 * domain; -EPROTO a reply of the wrong size.
 */
int scmi_voltage_config_get(struct scmi_agent *agent, uint32_t domain_id,
			    uint32_t *config);

/**
 * VOLTAGE_CONFIG_SET: set the domain's mode to @config.
 * Errors: the shared ones above; -EINVAL a reserved mode or bits set above
 * bit 3 (the platform's INVALID_PARAMETERS); -ENOENT the platform does not
 * know the domain.
 */
int scmi_voltage_config_set(struct scmi_agent *agent, uint32_t domain_id,
			    uint32_t config);

/**
 * VOLTAGE_LEVEL_GET: the domain's voltage in *@level_uv (µV).
 * Errors: the shared ones above; -ENOENT the platform does not know the
 * domain; -EPROTO a reply of the wrong size.
 */
int scmi_voltage_level_get(struct scmi_agent *agent, uint32_t domain_id,
			   int32_t *level_uv);

/**
 * VOLTAGE_LEVEL_SET: set the domain's voltage to @level_uv; done when it
 * returns 0. Asynchronous on a domain with async_level_set, as Linux: the
 * call then waits for the platform's delayed response
 * (scmi_agent_xfer_async()).
 * Errors: the shared ones above; -EINVAL also for a level the domain
 * cannot take (the platform's INVALID_PARAMETERS: off the list, outside
 * the segment or off its step); -ENOENT the platform does not know the domain; -EBUSY a change of the
 * domain is pending; -EPROTO a delayed response for another domain; and
 * those of scmi_agent_xfer_async().
 */
int scmi_voltage_level_set(struct scmi_agent *agent, uint32_t domain_id,
			   int32_t level_uv);

/**
 * The completion of scmi_voltage_level_set_async(), called exactly once,
 * never from inside that call: on the agent's supervisor thread in
 * threaded mode (which may be before the call returned), in a later
 * scmi_agent_dispatch() in event-loop mode, or by scmi_agent_disconnect()
 * or scmi_agent_destroy() for a change they cut short. @result is 0 when
 * the level is set; else the errno of the delayed response's status
 * (scmi_status_to_errno()), -EPROTO a delayed response for another domain
 * or of the wrong size, -ETIMEDOUT none within delayed_timeout_ms, or
 * -ECONNRESET the platform went away, or the agent disconnected, first.
 */
typedef void (*scmi_voltage_async_fn)(void *userdata, int result);

/**
 * VOLTAGE_LEVEL_SET as scmi_voltage_level_set() sends it, but returns
 * once the platform accepted it: @done(@userdata, result) tells when the
 * level is set (scmi_voltage_async_fn). On a domain without
 * async_level_set it is set synchronously (the call returns when it is)
 * and @done is called all the same, later. The agent keeps what it
 * needs: the caller keeps nothing alive but what @userdata points to.
 * Returns 0, and @done will be called exactly once; or a negative errno,
 * and @done is never called: the shared ones above (-EINVAL also for a
 * NULL @done); -EINVAL a level the domain cannot take (the platform's
 * INVALID_PARAMETERS); -ENOENT the platform does not know the domain;
 * -EBUSY a change of the domain is pending, or 16 asynchronous commands
 * of the agent wait already; -ENOMEM; and every command error of the
 * command itself.
 */
int scmi_voltage_level_set_async(struct scmi_agent *agent, uint32_t domain_id,
				 int32_t level_uv, scmi_voltage_async_fn done,
				 void *userdata);

#ifdef __cplusplus
}
#endif

#endif /* SCMI_VOLTAGE_H */
