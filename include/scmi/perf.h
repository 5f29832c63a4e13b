/* SPDX-License-Identifier: MIT */
/*
 * The Performance domain protocol (SCMI_PROTOCOL_PERF, 0x13): what the
 * agent discovered at connect, the commands a user needs, the two events
 * and their reports (the kernel's scmi_perf_limits_report and
 * scmi_perf_level_report).
 *
 * The agent speaks version 3 of the protocol (12-byte level entries, no
 * level-indexing mode): performance levels and limits are the platform's
 * level values, never indices. Fast channels are not used.
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
#ifndef SCMI_PERF_H
#define SCMI_PERF_H

#include <stdbool.h>
#include <stdint.h>

#include <scmi/agent.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- events ---------------------------------------------------------- */

/**
 * PERFORMANCE_LIMITS_CHANGED: the limits of a domain changed. Enabled per
 * domain by PERF_NOTIFY_LIMITS; src_id = the domain id. Report:
 * struct scmi_perf_limits_report.
 */
#define SCMI_EVENT_PERFORMANCE_LIMITS_CHANGED 0x0
/**
 * PERFORMANCE_LEVEL_CHANGED: the performance level of a domain changed.
 * Enabled per domain by PERF_NOTIFY_LEVEL; src_id = the domain id. Report:
 * struct scmi_perf_level_report.
 */
#define SCMI_EVENT_PERFORMANCE_LEVEL_CHANGED 0x1

/*
 * Deprecated: the names before 0.2, kept as aliases until 1.0. Use
 * SCMI_EVENT_PERFORMANCE_*, the Linux kernel's names.
 */
#define SCMI_EVENT_PERF_LIMITS_CHANGED SCMI_EVENT_PERFORMANCE_LIMITS_CHANGED
#define SCMI_EVENT_PERF_LEVEL_CHANGED SCMI_EVENT_PERFORMANCE_LEVEL_CHANGED

/** Report of SCMI_EVENT_PERFORMANCE_LIMITS_CHANGED. */
struct scmi_perf_limits_report {
	uint64_t timestamp;  /**< ns, CLOCK_MONOTONIC, when received */
	uint32_t agent_id;   /**< the agent that caused the change (0: platform) */
	uint32_t domain_id;
	uint32_t range_max;  /**< the new upper limit (a level value) */
	uint32_t range_min;  /**< the new lower limit (a level value) */
};

/** Report of SCMI_EVENT_PERFORMANCE_LEVEL_CHANGED. */
struct scmi_perf_level_report {
	uint64_t timestamp;  /**< ns, CLOCK_MONOTONIC, when received */
	uint32_t agent_id;   /**< the agent that caused the change (0: platform) */
	uint32_t domain_id;
	uint32_t performance_level; /**< the new level value */
};

/* ---- discovery ------------------------------------------------------- */

/** Most levels kept per domain (the kernel's MAX_OPPS). */
#define SCMI_PERF_MAX_LEVELS 16u
/** Size of a domain name with its NUL (SCMI_MAX_STR_SIZE). */
#define SCMI_PERF_NAME_SZ 64u

/** Unit of the power costs (PROTOCOL_ATTRIBUTES flags). */
enum scmi_perf_power_scale {
	SCMI_PERF_POWER_ABSTRACT = 0,   /**< abstract, platform-defined units */
	SCMI_PERF_POWER_MILLIWATTS = 1,
	SCMI_PERF_POWER_MICROWATTS = 2, /**< only from protocol version 3 */
};

/** What PROTOCOL_VERSION and PROTOCOL_ATTRIBUTES said. */
struct scmi_perf_protocol_info {
	uint32_t version;       /**< major 31:16, minor 15:0 */
	uint32_t num_domains;
	enum scmi_perf_power_scale power_scale;
	uint64_t stats_addr;    /**< statistics shared memory (0: none) */
	uint32_t stats_size;    /**< its length in bytes */
};

/** One performance level (an OPP). */
struct scmi_perf_level {
	uint32_t perf;             /**< the level value */
	uint32_t power;            /**< its power cost, in power_scale units */
	uint32_t trans_latency_us; /**< worst-case transition latency */
};

/** What discovery learned about one domain. */
struct scmi_perf_domain_info {
	uint32_t id;
	char name[SCMI_PERF_NAME_SZ]; /**< NUL-terminated (extended when offered) */
	bool set_limits;         /**< agents may set its limits */
	bool set_level;          /**< agents may set its level */
	bool notify_limits;      /**< it can emit PERFORMANCE_LIMITS_CHANGED */
	bool notify_level;       /**< it can emit PERFORMANCE_LEVEL_CHANGED */
	bool extended_name;      /**< the platform offers PERF_DOMAIN_NAME_GET */
	uint32_t rate_limit_us;  /**< minimum time between level changes */
	uint32_t sustained_freq_khz;
	uint32_t sustained_perf_level;
	/**
	 * Hz per level unit: sustained_freq_khz * 1000 / sustained_perf_level,
	 * or 1000 when either is 0 (as the kernel).
	 */
	uint64_t mult_factor;
	/** Entries of levels[]; 0 when PERF_DESCRIBE_LEVELS failed. */
	uint32_t num_levels;
	struct scmi_perf_level levels[SCMI_PERF_MAX_LEVELS]; /**< ascending perf */
};

/**
 * scmi_perf_protocol_info_get() for a struct of @size bytes, as the caller
 * was built with (see "Structs that grow" in <scmi/agent.h>): it writes at
 * most @size bytes into *@info (an older, smaller struct gets the members
 * it has; bytes beyond those this library knows are zeroed).
 * Errors: those of scmi_perf_protocol_info_get(); -EINVAL @size below the
 * size of the struct's first release.
 */
int scmi_perf_protocol_info_get_sized(struct scmi_agent *agent,
				      struct scmi_perf_protocol_info *info,
				      size_t size);

/**
 * Copy the protocol's discovery results into *@info.
 * Errors: the shared ones above.
 */
static inline int scmi_perf_protocol_info_get(struct scmi_agent *agent,
					      struct scmi_perf_protocol_info *info)
{
	return scmi_perf_protocol_info_get_sized(agent, info, sizeof(*info));
}

/**
 * The number of performance domains (ids 0..count-1), or a negative errno:
 * -EINVAL NULL @agent; -ENOTCONN; -EOPNOTSUPP.
 */
int scmi_perf_domain_count(struct scmi_agent *agent);

/**
 * scmi_perf_domain_info_get() for a struct of @size bytes, as the caller
 * was built with (see "Structs that grow" in <scmi/agent.h>): it writes at
 * most @size bytes into *@info (an older, smaller struct gets the members
 * it has; bytes beyond those this library knows are zeroed).
 * Errors: those of scmi_perf_domain_info_get(); -EINVAL @size below the
 * size of the struct's first release.
 */
int scmi_perf_domain_info_get_sized(struct scmi_agent *agent, uint32_t id,
				    struct scmi_perf_domain_info *info,
				    size_t size);

/**
 * Copy what discovery learned about domain @domain_id into *@info.
 * Errors: the shared ones above.
 */
static inline int scmi_perf_domain_info_get(struct scmi_agent *agent,
					    uint32_t domain_id,
					    struct scmi_perf_domain_info *info)
{
	return scmi_perf_domain_info_get_sized(agent, domain_id,
					       info, sizeof(*info));
}

/* ---- commands -------------------------------------------------------- */

/*
 * Where the platform offers a domain fast channels (PERF_DESCRIBE_
 * FASTCHANNEL, found at connect), the four calls below use them, as Linux
 * does, instead of sending the command: a get reads the channel (-EPROTO
 * for a value that cannot be: a level not among the domain's, max below
 * min); a set checks what the agent can see (-ERANGE: a level not among
 * the domain's or outside the limits the channel shows; limits outside
 * the levels or upside down), writes the channel and returns 0 at once:
 * the platform applies it later (scmi-sim when the doorbell the call rings
 * wakes it) and refuses it silently if it must; the events follow as for
 * the command.
 */

/**
 * PERF_LEVEL_GET: the current performance level of @domain_id in *@level.
 * Errors: the shared ones above; -ENOENT the platform does not know the
 * domain; -EPROTO a reply of the wrong size.
 */
int scmi_perf_level_get(struct scmi_agent *agent, uint32_t domain_id,
			uint32_t *level);

/**
 * PERF_LEVEL_SET: ask for performance level @level (a level value).
 * Errors: the shared ones above; -EACCES the domain does not let agents
 * set its level (DENIED); -ERANGE @level is not one of the domain's levels
 * or lies outside its current limits (OUT_OF_RANGE); -ENOENT the platform
 * does not know the domain.
 */
int scmi_perf_level_set(struct scmi_agent *agent, uint32_t domain_id,
			uint32_t level);

/**
 * PERF_LIMITS_GET: the current limits of @domain_id in *@range_max and
 * *@range_min.
 * Errors: the shared ones above; -ENOENT the platform does not know the
 * domain; -EPROTO a reply of the wrong size.
 */
int scmi_perf_limits_get(struct scmi_agent *agent, uint32_t domain_id,
			 uint32_t *range_max, uint32_t *range_min);

/**
 * PERF_LIMITS_SET: limit @domain_id to [@range_min, @range_max]. The
 * platform moves the current level into the new limits if needed.
 * Errors: the shared ones above, -EINVAL also for max = min = 0 (refused
 * locally from version 3 on, as the kernel); -EACCES the domain does not
 * let agents set its limits (DENIED); -ERANGE a limit outside the level
 * table, @range_max below @range_min, or no level between them
 * (OUT_OF_RANGE); -ENOENT the platform does not know the domain.
 */
int scmi_perf_limits_set(struct scmi_agent *agent, uint32_t domain_id,
			 uint32_t range_max, uint32_t range_min);

#ifdef __cplusplus
}
#endif

#endif /* SCMI_PERF_H */
