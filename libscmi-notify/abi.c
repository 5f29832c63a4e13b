/* SPDX-License-Identifier: MIT */
/*
 * The exported *_sized() functions (abi.h): the size of the caller's
 * struct checked, its config copied in or the library's info copied out.
 */
#include <errno.h>
#include <string.h>

#include "abi.h"
#include "symbols.h"

int abi_copy_in(void *dst, size_t dst_sz, const void *src, size_t size,
		const size_t *ends, size_t n_ends)
{
	const unsigned char *tail = src;
	size_t n = 0;

	memset(dst, 0, dst_sz);
	if (!src)
		return 0;
	if (size < ends[0])
		return -EINVAL;
	if (size >= dst_sz) {
		for (size_t i = dst_sz; i < size; i++)
			if (tail[i])
				return -E2BIG;
		n = dst_sz;
	} else {
		/* a release's padding after its last member is not read */
		for (size_t i = 0; i < n_ends; i++)
			if (ends[i] <= size)
				n = ends[i];
	}
	memcpy(dst, src, n);
	return 0;
}

int abi_check_out(size_t size, size_t min_sz)
{
	return size < min_sz ? -EINVAL : 0;
}

void abi_copy_out(void *dst, size_t size, const void *src, size_t src_sz)
{
	if (size <= src_sz) {
		memcpy(dst, src, size);
	} else {
		memcpy(dst, src, src_sz);
		memset((unsigned char *)dst + src_sz, 0, size - src_sz);
	}
}

SCMI_EXPORT int scmi_agent_create_sized(struct scmi_agent **out,
					const struct scmi_agent_config *cfg,
					size_t size)
{
	static const size_t ends[] = {
		SCMI_AGENT_CONFIG_SIZE_VER0,
		sizeof(struct scmi_agent_config),
	};
	struct scmi_agent_config full;
	int ret;

	ret = abi_copy_in(&full, sizeof(full), cfg, size, ends,
			  sizeof(ends) / sizeof(ends[0]));
	if (ret)
		return ret;
	return scmi_agent_create_full(out, cfg ? &full : NULL);
}

SCMI_EXPORT int scmi_notify_create_sized(struct scmi_notify **out,
					 const struct scmi_notify_config *cfg,
					 size_t size)
{
	static const size_t ends[] = {
		SCMI_NOTIFY_CONFIG_SIZE_VER0,
		sizeof(struct scmi_notify_config),
	};
	struct scmi_notify_config full;
	int ret;

	ret = abi_copy_in(&full, sizeof(full), cfg, size, ends,
			  sizeof(ends) / sizeof(ends[0]));
	if (ret)
		return ret;
	return scmi_notify_create_full(out, cfg ? &full : NULL);
}

SCMI_EXPORT int scmi_agent_base_info_sized(struct scmi_agent *agent,
					   struct scmi_base_info *info,
					   size_t size)
{
	struct scmi_base_info full;
	int ret;

	if (!info)
		return -EINVAL;
	ret = abi_check_out(size, SCMI_BASE_INFO_SIZE_VER0);
	if (ret)
		return ret;
	memset(&full, 0, sizeof(full));
	ret = scmi_agent_base_info_full(agent, &full);
	if (!ret)
		abi_copy_out(info, size, &full, sizeof(full));
	return ret;
}

SCMI_EXPORT int scmi_agent_get_stats_sized(const struct scmi_agent *agent,
					   struct scmi_agent_stats *st,
					   size_t size)
{
	struct scmi_agent_stats full;
	int ret;

	if (!st)
		return -EINVAL;
	ret = abi_check_out(size, SCMI_AGENT_STATS_SIZE_VER0);
	if (ret)
		return ret;
	memset(&full, 0, sizeof(full));
	ret = scmi_agent_get_stats_full(agent, &full);
	if (!ret)
		abi_copy_out(st, size, &full, sizeof(full));
	return ret;
}

SCMI_EXPORT int scmi_notify_get_stats_sized(struct scmi_notify *ni,
					    uint8_t proto_id,
					    struct scmi_notify_stats *st,
					    size_t size)
{
	struct scmi_notify_stats full;
	int ret;

	if (!st)
		return -EINVAL;
	ret = abi_check_out(size, SCMI_NOTIFY_STATS_SIZE_VER0);
	if (ret)
		return ret;
	memset(&full, 0, sizeof(full));
	ret = scmi_notify_get_stats_full(ni, proto_id, &full);
	if (!ret)
		abi_copy_out(st, size, &full, sizeof(full));
	return ret;
}

SCMI_EXPORT int scmi_raw_get_stats_sized(struct scmi_agent *agent,
					 struct scmi_raw_stats *st, size_t size)
{
	struct scmi_raw_stats full;
	int ret;

	if (!st)
		return -EINVAL;
	ret = abi_check_out(size, SCMI_RAW_STATS_SIZE_VER0);
	if (ret)
		return ret;
	memset(&full, 0, sizeof(full));
	ret = scmi_raw_get_stats_full(agent, &full);
	if (!ret)
		abi_copy_out(st, size, &full, sizeof(full));
	return ret;
}

SCMI_EXPORT int scmi_clock_protocol_info_get_sized(struct scmi_agent *agent,
						   struct scmi_clock_protocol_info *info,
						   size_t size)
{
	struct scmi_clock_protocol_info full;
	int ret;

	if (!info)
		return -EINVAL;
	ret = abi_check_out(size, SCMI_CLOCK_PROTOCOL_INFO_SIZE_VER0);
	if (ret)
		return ret;
	memset(&full, 0, sizeof(full));
	ret = scmi_clock_protocol_info_get_full(agent, &full);
	if (!ret)
		abi_copy_out(info, size, &full, sizeof(full));
	return ret;
}

SCMI_EXPORT int scmi_clock_info_get_sized(struct scmi_agent *agent, uint32_t id,
					  struct scmi_clock_info *info,
					  size_t size)
{
	struct scmi_clock_info full;
	int ret;

	if (!info)
		return -EINVAL;
	ret = abi_check_out(size, SCMI_CLOCK_INFO_SIZE_VER0);
	if (ret)
		return ret;
	memset(&full, 0, sizeof(full));
	ret = scmi_clock_info_get_full(agent, id, &full);
	if (!ret)
		abi_copy_out(info, size, &full, sizeof(full));
	return ret;
}

SCMI_EXPORT int scmi_perf_protocol_info_get_sized(struct scmi_agent *agent,
						  struct scmi_perf_protocol_info *info,
						  size_t size)
{
	struct scmi_perf_protocol_info full;
	int ret;

	if (!info)
		return -EINVAL;
	ret = abi_check_out(size, SCMI_PERF_PROTOCOL_INFO_SIZE_VER0);
	if (ret)
		return ret;
	memset(&full, 0, sizeof(full));
	ret = scmi_perf_protocol_info_get_full(agent, &full);
	if (!ret)
		abi_copy_out(info, size, &full, sizeof(full));
	return ret;
}

SCMI_EXPORT int scmi_perf_domain_info_get_sized(struct scmi_agent *agent,
						uint32_t id,
						struct scmi_perf_domain_info *info,
						size_t size)
{
	struct scmi_perf_domain_info full;
	int ret;

	if (!info)
		return -EINVAL;
	ret = abi_check_out(size, SCMI_PERF_DOMAIN_INFO_SIZE_VER0);
	if (ret)
		return ret;
	memset(&full, 0, sizeof(full));
	ret = scmi_perf_domain_info_get_full(agent, id, &full);
	if (!ret)
		abi_copy_out(info, size, &full, sizeof(full));
	return ret;
}

SCMI_EXPORT int scmi_power_protocol_info_get_sized(struct scmi_agent *agent,
						   struct scmi_power_protocol_info *info,
						   size_t size)
{
	struct scmi_power_protocol_info full;
	int ret;

	if (!info)
		return -EINVAL;
	ret = abi_check_out(size, SCMI_POWER_PROTOCOL_INFO_SIZE_VER0);
	if (ret)
		return ret;
	memset(&full, 0, sizeof(full));
	ret = scmi_power_protocol_info_get_full(agent, &full);
	if (!ret)
		abi_copy_out(info, size, &full, sizeof(full));
	return ret;
}

SCMI_EXPORT int scmi_power_domain_info_get_sized(struct scmi_agent *agent,
						 uint32_t id,
						 struct scmi_power_domain_info *info,
						 size_t size)
{
	struct scmi_power_domain_info full;
	int ret;

	if (!info)
		return -EINVAL;
	ret = abi_check_out(size, SCMI_POWER_DOMAIN_INFO_SIZE_VER0);
	if (ret)
		return ret;
	memset(&full, 0, sizeof(full));
	ret = scmi_power_domain_info_get_full(agent, id, &full);
	if (!ret)
		abi_copy_out(info, size, &full, sizeof(full));
	return ret;
}

SCMI_EXPORT int scmi_powercap_info_get_sized(struct scmi_agent *agent,
					     uint32_t id,
					     struct scmi_powercap_info *info,
					     size_t size)
{
	struct scmi_powercap_info full;
	int ret;

	if (!info)
		return -EINVAL;
	ret = abi_check_out(size, SCMI_POWERCAP_INFO_SIZE_VER0);
	if (ret)
		return ret;
	memset(&full, 0, sizeof(full));
	ret = scmi_powercap_info_get_full(agent, id, &full);
	if (!ret)
		abi_copy_out(info, size, &full, sizeof(full));
	return ret;
}

SCMI_EXPORT int scmi_reset_protocol_info_get_sized(struct scmi_agent *agent,
						   struct scmi_reset_protocol_info *info,
						   size_t size)
{
	struct scmi_reset_protocol_info full;
	int ret;

	if (!info)
		return -EINVAL;
	ret = abi_check_out(size, SCMI_RESET_PROTOCOL_INFO_SIZE_VER0);
	if (ret)
		return ret;
	memset(&full, 0, sizeof(full));
	ret = scmi_reset_protocol_info_get_full(agent, &full);
	if (!ret)
		abi_copy_out(info, size, &full, sizeof(full));
	return ret;
}

SCMI_EXPORT int scmi_reset_domain_info_get_sized(struct scmi_agent *agent,
						 uint32_t id,
						 struct scmi_reset_domain_info *info,
						 size_t size)
{
	struct scmi_reset_domain_info full;
	int ret;

	if (!info)
		return -EINVAL;
	ret = abi_check_out(size, SCMI_RESET_DOMAIN_INFO_SIZE_VER0);
	if (ret)
		return ret;
	memset(&full, 0, sizeof(full));
	ret = scmi_reset_domain_info_get_full(agent, id, &full);
	if (!ret)
		abi_copy_out(info, size, &full, sizeof(full));
	return ret;
}

SCMI_EXPORT int scmi_sensor_info_get_sized(struct scmi_agent *agent,
					   uint32_t id,
					   struct scmi_sensor_info *info,
					   size_t size)
{
	struct scmi_sensor_info full;
	int ret;

	if (!info)
		return -EINVAL;
	ret = abi_check_out(size, SCMI_SENSOR_INFO_SIZE_VER0);
	if (ret)
		return ret;
	memset(&full, 0, sizeof(full));
	ret = scmi_sensor_info_get_full(agent, id, &full);
	if (!ret)
		abi_copy_out(info, size, &full, sizeof(full));
	return ret;
}

SCMI_EXPORT int scmi_system_power_info_get_sized(struct scmi_agent *agent,
						 struct scmi_system_power_info *info,
						 size_t size)
{
	struct scmi_system_power_info full;
	int ret;

	if (!info)
		return -EINVAL;
	ret = abi_check_out(size, SCMI_SYSTEM_POWER_INFO_SIZE_VER0);
	if (ret)
		return ret;
	memset(&full, 0, sizeof(full));
	ret = scmi_system_power_info_get_full(agent, &full);
	if (!ret)
		abi_copy_out(info, size, &full, sizeof(full));
	return ret;
}

SCMI_EXPORT int scmi_voltage_protocol_info_get_sized(struct scmi_agent *agent,
						     struct scmi_voltage_protocol_info *info,
						     size_t size)
{
	struct scmi_voltage_protocol_info full;
	int ret;

	if (!info)
		return -EINVAL;
	ret = abi_check_out(size, SCMI_VOLTAGE_PROTOCOL_INFO_SIZE_VER0);
	if (ret)
		return ret;
	memset(&full, 0, sizeof(full));
	ret = scmi_voltage_protocol_info_get_full(agent, &full);
	if (!ret)
		abi_copy_out(info, size, &full, sizeof(full));
	return ret;
}

SCMI_EXPORT int scmi_voltage_domain_info_get_sized(struct scmi_agent *agent,
						   uint32_t id,
						   struct scmi_voltage_domain_info *info,
						   size_t size)
{
	struct scmi_voltage_domain_info full;
	int ret;

	if (!info)
		return -EINVAL;
	ret = abi_check_out(size, SCMI_VOLTAGE_DOMAIN_INFO_SIZE_VER0);
	if (ret)
		return ret;
	memset(&full, 0, sizeof(full));
	ret = scmi_voltage_domain_info_get_full(agent, id, &full);
	if (!ret)
		abi_copy_out(info, size, &full, sizeof(full));
	return ret;
}
