/* SPDX-License-Identifier: MIT */
/*
 * The Powercap protocol (SCMI_PROTOCOL_POWERCAP, 0x18): what the agent
 * discovered about each power-capping domain, the commands a user needs,
 * the two events and their reports (the kernel's
 * scmi_powercap_cap_changed_report and scmi_powercap_meas_changed_report).
 *
 * Discovery runs at scmi_agent_connect(): PROTOCOL_VERSION,
 * PROTOCOL_ATTRIBUTES, then per domain POWERCAP_DOMAIN_ATTRIBUTES,
 * POWERCAP_DOMAIN_NAME_GET (extended names) and, from protocol v2 on,
 * POWERCAP_CAP_GET. As Linux 6.6 does, one inconsistent domain fails the
 * whole protocol (it stays down: the calls below return -EOPNOTSUPP):
 * a zero min or max PAI or cap; a configurable PAI or cap with min == max,
 * or a fixed one with min != max; min != max with a zero step; a parent
 * that is neither the root (0xFFFFFFFF) nor another existing domain.
 * Domain ids are dense, 0..count-1; a function given an id the discovery
 * did not find fails with -EINVAL and sends nothing.
 *
 * Every function below that talks to the platform can also fail with the
 * command errors listed at the top of <scmi/agent.h> (-ENOTCONN,
 * -ECONNRESET, -ETIMEDOUT, -EPROTO, and the platform's status mapped by
 * scmi_status_to_errno()). Each one returns -ENOTCONN when the agent is not
 * connected and -EOPNOTSUPP when it is, but the platform does not offer
 * the powercap protocol (or its discovery failed). Values (caps, PAIs) are
 * the platform's to judge: a fixed cap or PAI is refused with -EACCES
 * (DENIED), one out of range or off the step with -ERANGE (OUT_OF_RANGE).
 *
 * Asynchronous POWERCAP_CAP_SET, as Linux 6.6: on a domain that advertises
 * asynchronous cap setting, scmi_powercap_cap_set() sends the async flag
 * and returns when the platform's delayed response (scmi_agent_xfer_async())
 * says the cap is set, and scmi_powercap_cap_set_async() completes through
 * a callback when it comes; enabling and disabling capping send the async
 * flag WITH "ignore delayed response". Elsewhere requests are synchronous.
 *
 * Events (register on scmi_agent_notify(agent)); the source id is the
 * domain id:
 *
 *   SCMI_EVENT_POWERCAP_CAP_CHANGED           enabled with POWERCAP_CAP_NOTIFY
 *   SCMI_EVENT_POWERCAP_MEASUREMENTS_CHANGED  enabled with
 *                                             POWERCAP_MEASUREMENTS_NOTIFY
 *
 * Registering for a domain whose attributes lack the event fails with
 * -EOPNOTSUPP.
 *
 * Measurement thresholds. POWERCAP_MEASUREMENTS_NOTIFY carries a low and a
 * high power threshold; the platform notifies when the measured power
 * leaves [low, high]. Linux 6.6 refuses to enable the event while both are
 * 0, that is while the user set none. This agent keeps the thresholds per
 * domain and sends them with every enable:
 *   - set with scmi_powercap_measurements_threshold_set() (which re-sends
 *     the enable at once if the event is on): used as given;
 *   - never set: at enable time the agent reads the current power
 *     (POWERCAP_MEASUREMENTS_GET) and uses [power, power], so that every
 *     change away from the power measured at registration is notified. If
 *     that power is 0 the band is [0, 1] (both 0 would be refused). A
 *     domain without monitoring support cannot be read: enabling fails
 *     with -EINVAL, as 6.6 fails with no thresholds.
 */
#ifndef SCMI_POWERCAP_H
#define SCMI_POWERCAP_H

#include <stdbool.h>
#include <stdint.h>

#include <scmi/agent.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- events ---------------------------------------------------------- */

/** POWERCAP_CAP_CHANGED: the cap or the PAI of a domain changed. */
#define SCMI_EVENT_POWERCAP_CAP_CHANGED 0x0
/** POWERCAP_MEASUREMENTS_CHANGED: the power left the agent's thresholds. */
#define SCMI_EVENT_POWERCAP_MEASUREMENTS_CHANGED 0x1

/** Report of SCMI_EVENT_POWERCAP_CAP_CHANGED. */
struct scmi_powercap_cap_changed_report {
	uint64_t timestamp;   /**< ns, CLOCK_MONOTONIC, when received */
	uint32_t agent_id;    /**< the agent that caused it (0: the platform) */
	uint32_t domain_id;
	uint32_t power_cap;   /**< the new cap (0: capping disabled) */
	uint32_t pai;         /**< the power averaging interval, us */
};

/** Report of SCMI_EVENT_POWERCAP_MEASUREMENTS_CHANGED. */
struct scmi_powercap_meas_changed_report {
	uint64_t timestamp;   /**< ns, CLOCK_MONOTONIC, when received */
	uint32_t agent_id;    /**< the agent that caused it (0: the platform) */
	uint32_t domain_id;
	uint32_t power;       /**< the average power measured */
};

/* ---- discovery ------------------------------------------------------- */

/** POWERCAP_DOMAIN_ATTRIBUTES bits 24:23. */
enum scmi_powercap_unit {
	SCMI_POWERCAP_UNIT_ABSTRACT = 0,
	SCMI_POWERCAP_UNIT_UW = 1,
	SCMI_POWERCAP_UNIT_MW = 2,
};

/** parent_id of a root domain. */
#define SCMI_POWERCAP_ROOT_ZONE_ID 0xFFFFFFFFu

/** What discovery learned about one domain. */
struct scmi_powercap_info {
	uint32_t id;
	char name[64];            /**< NUL-terminated; the extended name if any */
	uint32_t attributes;      /**< the raw attribute word */
	bool notify_cap;          /**< SCMI_EVENT_POWERCAP_CAP_CHANGED supported */
	bool notify_meas;         /**< SCMI_EVENT_POWERCAP_MEASUREMENTS_CHANGED */
	bool async_cap_set;       /**< asynchronous POWERCAP_CAP_SET */
	bool cap_config;          /**< the cap can be set */
	bool monitoring;          /**< POWERCAP_MEASUREMENTS_GET supported */
	bool pai_config;          /**< the PAI can be set */
	bool fastchannels;        /**< fast channels (not used) */
	enum scmi_powercap_unit unit;
	uint32_t min_pai, max_pai, pai_step;        /**< us */
	uint32_t min_power_cap, max_power_cap, power_cap_step;
	uint32_t sustainable_power;
	uint32_t accuracy;
	uint32_t parent_id;       /**< SCMI_POWERCAP_ROOT_ZONE_ID: a root */
};

/**
 * The number of powercap domains (0 or more), or a negative errno.
 * Errors: -EINVAL NULL @agent; -ENOTCONN; -EOPNOTSUPP (see the top).
 */
int scmi_powercap_count(struct scmi_agent *agent);

/**
 * scmi_powercap_info_get() for a struct of @size bytes, as the caller was
 * built with (see "Structs that grow" in <scmi/agent.h>): it writes at most
 * @size bytes into *@info (an older, smaller struct gets the members it
 * has; bytes beyond those this library knows are zeroed).
 * Errors: those of scmi_powercap_info_get(); -EINVAL @size below the size
 * of the struct's first release.
 */
int scmi_powercap_info_get_sized(struct scmi_agent *agent, uint32_t id,
				 struct scmi_powercap_info *info, size_t size);

/**
 * Copy what discovery learned about domain @domain_id into *@info.
 * Errors: -EINVAL NULL argument or unknown @domain_id; -ENOTCONN;
 * -EOPNOTSUPP.
 */
static inline int scmi_powercap_info_get(struct scmi_agent *agent,
					 uint32_t domain_id,
					 struct scmi_powercap_info *info)
{
	return scmi_powercap_info_get_sized(agent, domain_id,
					    info, sizeof(*info));
}

/* ---- commands -------------------------------------------------------- */

/**
 * POWERCAP_CAP_GET: the current cap of @domain_id (0: capping disabled,
 * protocol v2).
 * Errors: -EINVAL NULL argument or unknown @domain_id; -EPROTO a reply of
 * the wrong size; -ENOTCONN; -EOPNOTSUPP; and every command error.
 */
int scmi_powercap_cap_get(struct scmi_agent *agent, uint32_t domain_id,
			  uint32_t *power_cap);

/**
 * POWERCAP_CAP_SET: set the cap of @domain_id to @power_cap. As Linux
 * 6.6: 0 is refused (use scmi_powercap_cap_enable_set()), and while
 * capping is disabled on the domain (protocol v2) the cap is only
 * remembered, and sent when capping is enabled again.
 * Errors: -EINVAL NULL @agent, unknown @domain_id or @power_cap 0
 * (nothing sent); -EACCES the cap is not configurable; -ERANGE out of
 * [min, max] or off the step; -ENOTCONN; -EOPNOTSUPP; -EPROTO a delayed
 * response for another domain; every command error and those of
 * scmi_agent_xfer_async().
 */
int scmi_powercap_cap_set(struct scmi_agent *agent, uint32_t domain_id,
			  uint32_t power_cap);

/**
 * The completion of scmi_powercap_cap_set_async(), called exactly once,
 * never from inside that call: on the agent's supervisor thread in
 * threaded mode (which may be before the call returned), in a later
 * scmi_agent_dispatch() in event-loop mode, or by scmi_agent_disconnect()
 * or scmi_agent_destroy() for a change they cut short. @result is 0 when
 * the cap is set (or, capping disabled, remembered); else the errno of
 * the delayed response's status (scmi_status_to_errno()), -EPROTO a
 * delayed response for another domain or of the wrong size, -ETIMEDOUT
 * none within delayed_timeout_ms, or -ECONNRESET the platform went away,
 * or the agent disconnected, first.
 */
typedef void (*scmi_powercap_async_fn)(void *userdata, int result);

/**
 * POWERCAP_CAP_SET as scmi_powercap_cap_set() sends it (and, capping
 * disabled, only remembers it), but returns once the platform accepted
 * it: @done(@userdata, result) tells when the cap is set
 * (scmi_powercap_async_fn). On a domain without async_cap_set the cap is
 * set synchronously (the call returns when it is), and @done is called
 * all the same, later, as when the cap is only remembered. The cap
 * accepted is the one a later enable sends. The agent keeps what it
 * needs: the caller keeps nothing alive but what @userdata points to.
 * Returns 0, and @done will be called exactly once; or a negative errno,
 * and @done is never called: -EINVAL NULL @agent or @done, unknown
 * @domain_id or @power_cap 0 (nothing sent); -EACCES the cap is not
 * configurable; -ERANGE out of [min, max] or off the step; -EBUSY a
 * change of the domain is pending, or 16 asynchronous commands of the
 * agent wait already; -ENOTCONN; -EOPNOTSUPP; -ENOMEM; and every command
 * error of the command itself.
 */
int scmi_powercap_cap_set_async(struct scmi_agent *agent, uint32_t domain_id,
				uint32_t power_cap,
				scmi_powercap_async_fn done, void *userdata);

/**
 * Enable or disable capping on @domain_id (protocol v2): disabling sends
 * POWERCAP_CAP_SET of 0; enabling sends the last non-zero cap again (the
 * one found at discovery, or set since). Idempotent on the agent's side.
 * Errors: -EINVAL NULL @agent or unknown @domain_id, or enabling with no
 * non-zero cap known (nothing sent); -EOPNOTSUPP protocol older than v2
 * (nothing sent), or see the top; -EACCES; -ERANGE; -ENOTCONN; and every
 * command error.
 */
int scmi_powercap_cap_enable_set(struct scmi_agent *agent, uint32_t domain_id,
				 bool enable);

/**
 * Whether capping is enabled on @domain_id (from POWERCAP_CAP_GET: a cap of
 * 0 means disabled; always enabled before protocol v2).
 * Errors: as scmi_powercap_cap_get(), NULL @enabled -EINVAL.
 */
int scmi_powercap_cap_enable_get(struct scmi_agent *agent, uint32_t domain_id,
				 bool *enabled);

/**
 * POWERCAP_PAI_GET: the power averaging interval of @domain_id, in us.
 * Errors: -EINVAL NULL argument or unknown @domain_id; -EPROTO a reply of
 * the wrong size; -ENOTCONN; -EOPNOTSUPP; and every command error.
 */
int scmi_powercap_pai_get(struct scmi_agent *agent, uint32_t domain_id,
			  uint32_t *pai);

/**
 * POWERCAP_PAI_SET: set the power averaging interval of @domain_id (us).
 * Errors: -EINVAL NULL @agent or unknown @domain_id; -EACCES the PAI is
 * not configurable; -ERANGE out of [min, max] or off the step; -ENOTCONN;
 * -EOPNOTSUPP; and every command error.
 */
int scmi_powercap_pai_set(struct scmi_agent *agent, uint32_t domain_id,
			  uint32_t pai);

/**
 * POWERCAP_MEASUREMENTS_GET: the average power of @domain_id and the PAI
 * it was averaged over. Either output may be NULL.
 * Errors: -EINVAL NULL @agent or unknown @domain_id; -EOPNOTSUPP the
 * domain has no monitoring (nothing sent), or see the top; -EPROTO a reply
 * of the wrong size; -ENOTCONN; and every command error.
 */
int scmi_powercap_measurements_get(struct scmi_agent *agent,
				   uint32_t domain_id, uint32_t *power,
				   uint32_t *pai);

/**
 * Set the thresholds that POWERCAP_MEASUREMENTS_NOTIFY carries for
 * @domain_id (see "Measurement thresholds" above). When the event is on
 * for the domain the enable is sent again at once with them.
 * Errors: -EINVAL NULL @agent, unknown @domain_id, @low above @high, or
 * both 0 (as 6.6 refuses them); -ENOTCONN; -EOPNOTSUPP; and, when the
 * enable is re-sent, every command error (the new thresholds are kept).
 */
int scmi_powercap_measurements_threshold_set(struct scmi_agent *agent,
					     uint32_t domain_id, uint32_t low,
					     uint32_t high);

/**
 * The thresholds in use for @domain_id (both 0 while none were set or
 * used). Either output may be NULL.
 * Errors: -EINVAL NULL @agent or unknown @domain_id; -ENOTCONN;
 * -EOPNOTSUPP.
 */
int scmi_powercap_measurements_threshold_get(struct scmi_agent *agent,
					     uint32_t domain_id, uint32_t *low,
					     uint32_t *high);

#ifdef __cplusplus
}
#endif

#endif /* SCMI_POWERCAP_H */
