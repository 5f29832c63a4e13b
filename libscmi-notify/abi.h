/* SPDX-License-Identifier: MIT */
/*
 * Structs that grow (include/scmi/agent.h, "Structs that grow"): the
 * public name of each function taking a config or info struct is an
 * inline wrapper passing sizeof(struct) to its exported *_sized()
 * (abi.c), which checks the size, copies the caller's struct in (or the
 * library's out) and calls the function of the full struct of today,
 * NAME_full(), defined where the public function always was.
 */
#ifndef SCMI_ABI_H
#define SCMI_ABI_H

#include <stddef.h>
#include <stdint.h>

#include <scmi/agent.h>
#include <scmi/clock.h>
#include <scmi/notify.h>
#include <scmi/perf.h>
#include <scmi/power.h>
#include <scmi/powercap.h>
#include <scmi/raw.h>
#include <scmi/reset.h>
#include <scmi/sensor.h>
#include <scmi/system.h>
#include <scmi/voltage.h>

/* The end of @member in @type: the size of a layout that ends with it. */
#define ABI_OFFSETOFEND(type, member) \
	(offsetof(type, member) + sizeof(((type *)0)->member))

/*
 * The smallest size each struct ever had: that of its first release, up
 * to its last member then (the release's trailing padding aside). A
 * smaller size is -EINVAL. Never change one: add members at the end of
 * the struct, and for a config a new end to its table in abi.c.
 */
#define SCMI_AGENT_CONFIG_SIZE_VER0 \
	ABI_OFFSETOFEND(struct scmi_agent_config, delayed_timeout_ms)
#define SCMI_NOTIFY_CONFIG_SIZE_VER0 \
	ABI_OFFSETOFEND(struct scmi_notify_config, single_producer)
#define SCMI_BASE_INFO_SIZE_VER0 \
	ABI_OFFSETOFEND(struct scmi_base_info, protocols)
#define SCMI_AGENT_STATS_SIZE_VER0 \
	ABI_OFFSETOFEND(struct scmi_agent_stats, delayed_responses)
#define SCMI_NOTIFY_STATS_SIZE_VER0 \
	ABI_OFFSETOFEND(struct scmi_notify_stats, delivered)
#define SCMI_RAW_STATS_SIZE_VER0 \
	ABI_OFFSETOFEND(struct scmi_raw_stats, waiting)
#define SCMI_CLOCK_PROTOCOL_INFO_SIZE_VER0 \
	ABI_OFFSETOFEND(struct scmi_clock_protocol_info, max_async_req)
#define SCMI_CLOCK_INFO_SIZE_VER0 \
	ABI_OFFSETOFEND(struct scmi_clock_info, range)
#define SCMI_PERF_PROTOCOL_INFO_SIZE_VER0 \
	ABI_OFFSETOFEND(struct scmi_perf_protocol_info, stats_size)
#define SCMI_PERF_DOMAIN_INFO_SIZE_VER0 \
	ABI_OFFSETOFEND(struct scmi_perf_domain_info, levels)
#define SCMI_POWER_PROTOCOL_INFO_SIZE_VER0 \
	ABI_OFFSETOFEND(struct scmi_power_protocol_info, stats_len)
#define SCMI_POWER_DOMAIN_INFO_SIZE_VER0 \
	ABI_OFFSETOFEND(struct scmi_power_domain_info, state)
#define SCMI_POWERCAP_INFO_SIZE_VER0 \
	ABI_OFFSETOFEND(struct scmi_powercap_info, parent_id)
#define SCMI_RESET_PROTOCOL_INFO_SIZE_VER0 \
	ABI_OFFSETOFEND(struct scmi_reset_protocol_info, num_domains)
#define SCMI_RESET_DOMAIN_INFO_SIZE_VER0 \
	ABI_OFFSETOFEND(struct scmi_reset_domain_info, latency_us)
#define SCMI_SENSOR_INFO_SIZE_VER0 \
	ABI_OFFSETOFEND(struct scmi_sensor_info, intervals)
#define SCMI_SYSTEM_POWER_INFO_SIZE_VER0 \
	ABI_OFFSETOFEND(struct scmi_system_power_info, state_get)
#define SCMI_VOLTAGE_PROTOCOL_INFO_SIZE_VER0 \
	ABI_OFFSETOFEND(struct scmi_voltage_protocol_info, num_domains)
#define SCMI_VOLTAGE_DOMAIN_INFO_SIZE_VER0 \
	ABI_OFFSETOFEND(struct scmi_voltage_domain_info, num_levels)

/*
 * A config of @size bytes at @src (NULL: all defaults) into @dst, the
 * library's struct of @dst_sz bytes: the bytes up to the largest of the
 * @n_ends release ends (ascending, ends[0] the first release's) within
 * @size are copied, the rest of @dst is zero (the defaults). Returns 0,
 * -EINVAL @size below ends[0], -E2BIG a byte beyond @dst_sz is nonzero
 * (a member of a newer release this library does not know).
 */
int abi_copy_in(void *dst, size_t dst_sz, const void *src, size_t size,
		const size_t *ends, size_t n_ends);

/*
 * -EINVAL unless an info struct of @size bytes holds at least the first
 * release's @min_sz; else 0.
 */
int abi_check_out(size_t size, size_t min_sz);

/*
 * The library's info struct @src (@src_sz bytes) into the caller's of
 * @size bytes: at most @size bytes written, those beyond @src_sz zero.
 */
void abi_copy_out(void *dst, size_t size, const void *src, size_t src_sz);

/* The functions of today's structs that the *_sized() call. */
int scmi_agent_create_full(struct scmi_agent **out,
			   const struct scmi_agent_config *cfg);
int scmi_notify_create_full(struct scmi_notify **out,
			    const struct scmi_notify_config *cfg);
int scmi_agent_base_info_full(struct scmi_agent *agent,
			      struct scmi_base_info *info);
int scmi_agent_get_stats_full(const struct scmi_agent *agent,
			      struct scmi_agent_stats *st);
int scmi_notify_get_stats_full(struct scmi_notify *ni, uint8_t proto_id,
			       struct scmi_notify_stats *st);
int scmi_raw_get_stats_full(struct scmi_agent *agent,
			    struct scmi_raw_stats *st);
int scmi_clock_protocol_info_get_full(struct scmi_agent *agent,
				      struct scmi_clock_protocol_info *info);
int scmi_clock_info_get_full(struct scmi_agent *agent, uint32_t id,
			     struct scmi_clock_info *info);
int scmi_perf_protocol_info_get_full(struct scmi_agent *agent,
				     struct scmi_perf_protocol_info *info);
int scmi_perf_domain_info_get_full(struct scmi_agent *agent, uint32_t id,
				   struct scmi_perf_domain_info *info);
int scmi_power_protocol_info_get_full(struct scmi_agent *agent,
				      struct scmi_power_protocol_info *info);
int scmi_power_domain_info_get_full(struct scmi_agent *agent, uint32_t id,
				    struct scmi_power_domain_info *info);
int scmi_powercap_info_get_full(struct scmi_agent *agent, uint32_t id,
				struct scmi_powercap_info *info);
int scmi_reset_protocol_info_get_full(struct scmi_agent *agent,
				      struct scmi_reset_protocol_info *info);
int scmi_reset_domain_info_get_full(struct scmi_agent *agent, uint32_t id,
				    struct scmi_reset_domain_info *info);
int scmi_sensor_info_get_full(struct scmi_agent *agent, uint32_t id,
			      struct scmi_sensor_info *info);
int scmi_system_power_info_get_full(struct scmi_agent *agent,
				    struct scmi_system_power_info *info);
int scmi_voltage_protocol_info_get_full(struct scmi_agent *agent,
					struct scmi_voltage_protocol_info *info);
int scmi_voltage_domain_info_get_full(struct scmi_agent *agent, uint32_t id,
				      struct scmi_voltage_domain_info *info);

#endif /* SCMI_ABI_H */
