/* SPDX-License-Identifier: MIT */
/*
 * The clock protocol (SCMI_PROTOCOL_CLOCK, 0x14): what the agent discovers
 * at connect, the commands a user needs, the two events and their report.
 *
 * Clocks are numbered 0..scmi_clock_count()-1. Each one has either a
 * discrete list of rates (at most SCMI_CLOCK_MAX_RATES, ascending) or a
 * range {min, max, step}. Rates are in Hz.
 *
 * Besides the errors listed per function, every function that sends a
 * command can return the command errors of include/scmi/agent.h
 * (-ENOTCONN, -ECONNRESET, -ETIMEDOUT, -EPROTO, and the platform's status
 * mapped by scmi_status_to_errno()). A function given an agent whose
 * platform does not implement the protocol (or whose clock discovery
 * failed at connect) returns -EOPNOTSUPP; an agent that is not connected,
 * -ENOTCONN.
 */
#ifndef SCMI_CLOCK_H
#define SCMI_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include <scmi/agent.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * CLOCK_RATE_CHANGED: the rate of a clock changed. Enabled per clock by
 * CLOCK_RATE_NOTIFY. Source: the clock id. Report: struct
 * scmi_clock_rate_notif_report (rate = the new rate).
 */
#define SCMI_EVENT_CLOCK_RATE_CHANGED 0x0
/**
 * CLOCK_RATE_CHANGE_REQUESTED: a change of the rate of a clock was
 * requested. Enabled per clock by CLOCK_RATE_CHANGE_REQUESTED_NOTIFY.
 * Source: the clock id. Report: struct scmi_clock_rate_notif_report
 * (rate = the rate requested).
 */
#define SCMI_EVENT_CLOCK_RATE_CHANGE_REQUESTED 0x1

/** Most discrete rates a clock may have (the kernel's SCMI_MAX_NUM_RATES). */
#define SCMI_CLOCK_MAX_RATES 16u
/** Size of a clock name, with its NUL (the kernel's SCMI_MAX_STR_SIZE). */
#define SCMI_CLOCK_NAME_SZ 64u
/** enable_latency_us when the platform does not know it. */
#define SCMI_CLOCK_LATENCY_UNKNOWN UINT32_MAX

/** Rounding of scmi_clock_rate_set() when the rate is not one the clock has. */
#define SCMI_CLOCK_ROUND_DOWN 0x0u        /**< the closest rate below (default) */
#define SCMI_CLOCK_ROUND_UP (1u << 2)     /**< the closest rate above */
#define SCMI_CLOCK_ROUND_AUTO (1u << 3)   /**< the closest rate, platform's choice */

/**
 * Report of SCMI_EVENT_CLOCK_RATE_CHANGED and
 * SCMI_EVENT_CLOCK_RATE_CHANGE_REQUESTED (the kernel's
 * scmi_clock_rate_notif_report).
 */
struct scmi_clock_rate_notif_report {
	uint64_t timestamp; /**< ns, CLOCK_MONOTONIC, when received */
	uint32_t agent_id;  /**< the agent that caused it; 0 = the platform */
	uint32_t clock_id;  /**< the clock (also the event's source id) */
	uint64_t rate;      /**< Hz */
};

/** What the agent discovered about one clock at connect. */
struct scmi_clock_info {
	char name[SCMI_CLOCK_NAME_SZ]; /**< NUL-terminated */
	/**
	 * Whether the clock was enabled (CLOCK_ATTRIBUTES bit 0) at connect,
	 * updated by this agent's successful scmi_clock_enable() and
	 * scmi_clock_disable().
	 */
	bool enabled;
	bool notify_rate_changed;           /**< SCMI_EVENT_CLOCK_RATE_CHANGED supported */
	bool notify_rate_change_requested;  /**< SCMI_EVENT_CLOCK_RATE_CHANGE_REQUESTED supported */
	/** µs to enable the clock; SCMI_CLOCK_LATENCY_UNKNOWN if not given. */
	uint32_t enable_latency_us;
	/** true: the rates are list.rates[]; false: range. */
	bool rate_discrete;
	struct {
		unsigned int num_rates;              /**< 0..SCMI_CLOCK_MAX_RATES */
		uint64_t rates[SCMI_CLOCK_MAX_RATES]; /**< ascending */
	} list;
	struct {
		uint64_t min_rate;
		uint64_t max_rate;
		uint64_t step_size;
	} range;
};

/** What discovery learned of the clock protocol at connect. */
struct scmi_clock_protocol_info {
	uint32_t version;       /**< major 31:16, minor 15:0 */
	uint32_t num_clocks;
	/**
	 * Asynchronous rate changes the platform lets an agent have pending;
	 * scmi_clock_rate_set() is asynchronous only below it, and never
	 * when it is 0 or 1 (as Linux).
	 */
	uint32_t max_async_req;
};

/**
 * scmi_clock_protocol_info_get() for a struct of @size bytes, as the caller
 * was built with (see "Structs that grow" in <scmi/agent.h>): it writes at
 * most @size bytes into *@info (an older, smaller struct gets the members
 * it has; bytes beyond those this library knows are zeroed).
 * Errors: those of scmi_clock_protocol_info_get(); -EINVAL @size below the
 * size of the struct's first release.
 */
int scmi_clock_protocol_info_get_sized(struct scmi_agent *agent,
				       struct scmi_clock_protocol_info *info,
				       size_t size);

/**
 * Copy what discovery learned of the protocol into *@info. Sends nothing.
 * Errors: -EINVAL NULL argument; -ENOTCONN; -EOPNOTSUPP no clock protocol.
 */
static inline int scmi_clock_protocol_info_get(struct scmi_agent *agent,
					       struct scmi_clock_protocol_info *info)
{
	return scmi_clock_protocol_info_get_sized(agent, info, sizeof(*info));
}

/**
 * The number of clocks the platform has.
 * Returns the count (0 or more), or -EINVAL NULL @agent; -ENOTCONN;
 * -EOPNOTSUPP no clock protocol.
 */
int scmi_clock_count(struct scmi_agent *agent);

/**
 * scmi_clock_info_get() for a struct of @size bytes, as the caller was
 * built with (see "Structs that grow" in <scmi/agent.h>): it writes at most
 * @size bytes into *@info (an older, smaller struct gets the members it
 * has; bytes beyond those this library knows are zeroed).
 * Errors: those of scmi_clock_info_get(); -EINVAL @size below the size of
 * the struct's first release.
 */
int scmi_clock_info_get_sized(struct scmi_agent *agent, uint32_t id,
			      struct scmi_clock_info *info, size_t size);

/**
 * Copy what was discovered about clock @clock_id into *@info. Sends
 * nothing.
 * Errors: -EINVAL NULL argument or no such clock; -ENOTCONN; -EOPNOTSUPP.
 */
static inline int scmi_clock_info_get(struct scmi_agent *agent,
				      uint32_t clock_id,
				      struct scmi_clock_info *info)
{
	return scmi_clock_info_get_sized(agent, clock_id, info, sizeof(*info));
}

/**
 * CLOCK_RATE_GET: the current rate of clock @clock_id, in Hz, in *@rate.
 * Errors: -EINVAL NULL argument or no such clock (nothing is sent);
 * -ENOTCONN; -EOPNOTSUPP; -EPROTO a reply of the wrong size; the command
 * errors.
 */
int scmi_clock_rate_get(struct scmi_agent *agent, uint32_t clock_id,
			uint64_t *rate);

/**
 * CLOCK_RATE_SET: set clock @clock_id to @rate Hz, rounded as @flags says
 * (0 = SCMI_CLOCK_ROUND_DOWN, SCMI_CLOCK_ROUND_UP or SCMI_CLOCK_ROUND_AUTO)
 * when the clock has no such rate. Returns once the rate is set: the
 * command is asynchronous where Linux makes it so (the platform allows
 * max_async_req >= 2 pending changes and this agent has fewer than
 * max_async_req - 1 in flight), and the call then waits for the delayed
 * response CLOCK_RATE_SET_COMPLETE (scmi_agent_xfer_async()).
 * Errors: -EINVAL NULL @agent, no such clock, or other bits in @flags
 * (nothing is sent), or @rate below the clock's lowest rate or above its
 * highest (the platform's INVALID_PARAMETERS: a rate the clock cannot
 * take, whatever the rounding); -ENOTCONN; -EOPNOTSUPP; -EACCES the
 * platform refused (DENIED); -EBUSY the platform has too many changes pending;
 * -EPROTO a delayed response for another clock or of the wrong size; the
 * command errors, and those of scmi_agent_xfer_async().
 */
int scmi_clock_rate_set(struct scmi_agent *agent, uint32_t clock_id,
			uint64_t rate, uint32_t flags);

/**
 * The completion of scmi_clock_rate_set_async(), called exactly once,
 * never from inside that call: on the agent's supervisor thread in
 * threaded mode (which may be before the call returned), in a later
 * scmi_agent_dispatch() in event-loop mode, or by scmi_agent_disconnect()
 * or scmi_agent_destroy() for a change they cut short. @result is 0 when
 * the rate is set; else the errno of the status of
 * CLOCK_RATE_SET_COMPLETE (scmi_status_to_errno()), -EPROTO a
 * CLOCK_RATE_SET_COMPLETE for another clock or of the wrong size,
 * -ETIMEDOUT none within delayed_timeout_ms, or -ECONNRESET the platform
 * went away, or the agent disconnected, first.
 */
typedef void (*scmi_clock_async_fn)(void *userdata, int result);

/**
 * CLOCK_RATE_SET as scmi_clock_rate_set() sends it, but returns once the
 * platform accepted it: @done(@userdata, result) tells when the rate is
 * set (scmi_clock_async_fn). Where the change cannot be asynchronous (the
 * platform's max_async_req, and this agent's changes in flight, decide
 * it as for scmi_clock_rate_set(); a change counts as in flight until
 * its callback runs), it is done synchronously, the call returns when it
 * is, and @done is called all the same, later. The agent keeps what it
 * needs: the caller keeps nothing alive but what @userdata points to.
 * Returns 0, and @done will be called exactly once; or a negative errno,
 * and @done is never called: -EINVAL NULL @agent or @done, no such clock,
 * or other bits in @flags (nothing is sent), or a rate the clock cannot
 * take (the platform's INVALID_PARAMETERS); -ENOTCONN; -EOPNOTSUPP;
 * -ENOMEM; -EACCES the platform refused (DENIED); -EBUSY the platform has
 * too many changes pending (or one of this clock), or 16 asynchronous
 * commands of the agent wait already; and every command error of the
 * command itself.
 */
int scmi_clock_rate_set_async(struct scmi_agent *agent, uint32_t clock_id,
			      uint64_t rate, uint32_t flags,
			      scmi_clock_async_fn done, void *userdata);

/**
 * CLOCK_CONFIG_SET: enable clock @clock_id.
 * Errors: -EINVAL NULL @agent or no such clock (nothing is sent);
 * -ENOTCONN; -EOPNOTSUPP; -EACCES the platform refused (DENIED); the
 * command errors.
 */
int scmi_clock_enable(struct scmi_agent *agent, uint32_t clock_id);

/**
 * CLOCK_CONFIG_SET: disable clock @clock_id.
 * Errors: as scmi_clock_enable().
 */
int scmi_clock_disable(struct scmi_agent *agent, uint32_t clock_id);

#ifdef __cplusplus
}
#endif

#endif /* SCMI_CLOCK_H */
