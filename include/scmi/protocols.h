/* SPDX-License-Identifier: MIT */
/*
 * The events each SCMI protocol can emit and the report structs that
 * notifier callbacks receive (the @report argument of scmi_notifier_fn),
 * as the Linux kernel's include/linux/scmi_protocol.h defines them.
 *
 * Register for an event on the agent's notify instance:
 *
 *   scmi_event_notifier_register(scmi_agent_notify(agent),
 *                                SCMI_PROTOCOL_BASE,
 *                                SCMI_EVENT_BASE_ERROR_EVENT, NULL, &nb);
 *
 * Every report starts with the time (CLOCK_MONOTONIC, ns) at which the
 * agent received the notification. A report is valid only during the
 * callback.
 */
#ifndef SCMI_PROTOCOLS_H
#define SCMI_PROTOCOLS_H

#include <stdbool.h>
#include <stdint.h>

#include <scmi/wire.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Base protocol (SCMI_PROTOCOL_BASE, 0x10) ------------------------ */

/**
 * BASE_ERROR_EVENT: the platform saw errors in messages of an agent.
 * Enabled by BASE_NOTIFY_ERRORS (sent when the first notifier registers).
 * One source: src_id 0.
 */
#define SCMI_EVENT_BASE_ERROR_EVENT 0x0

/**
 * Deprecated: the name before 0.2, kept as an alias until 1.0. Use
 * SCMI_EVENT_BASE_ERROR_EVENT, the Linux kernel's name.
 */
#define SCMI_EVENT_BASE_ERROR SCMI_EVENT_BASE_ERROR_EVENT

/** Most error entries a BASE_ERROR_EVENT can carry (the kernel's limit). */
#define SCMI_BASE_MAX_CMD_ERR_COUNT 1024u

#if defined(__cplusplus) && defined(__GNUC__)
/* the flexible array member below is C99, not C++: tolerate it there */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
#endif

/** Report of SCMI_EVENT_BASE_ERROR_EVENT (the kernel's scmi_base_error_report). */
struct scmi_base_error_report {
	uint64_t timestamp;  /**< ns, CLOCK_MONOTONIC, when received */
	uint32_t agent_id;   /**< the agent whose messages were in error */
	bool fatal;          /**< error_status bit 31 */
	uint32_t cmd_count;  /**< entries in reports[] (error_status bits 9:0) */
	/**
	 * One entry per failed message, as the platform sent it. With
	 * 128-byte messages at most 15 entries arrive.
	 */
	uint64_t reports[];
};

#if defined(__cplusplus) && defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

#ifdef __cplusplus
}
#endif

#endif /* SCMI_PROTOCOLS_H */

/* One header per protocol: commands, event ids and report structs. */
#include <scmi/power.h>
#include <scmi/system.h>
#include <scmi/perf.h>
#include <scmi/clock.h>
#include <scmi/sensor.h>
#include <scmi/reset.h>
#include <scmi/voltage.h>
#include <scmi/powercap.h>
