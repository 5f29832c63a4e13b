/* SPDX-License-Identifier: MIT */
/*
 * The symbols of released nodes whose function was renamed or changed,
 * kept for the programs linked against that release (symbols.h): each is
 * exported as the non-default NAME@NODE and does what the function of
 * today does, with the struct sizes of that release (abi.h). No header
 * declares them; programs built now use the new names.
 */
#include <scmi/agent.h>
#include <scmi/clock.h>
#include <scmi/perf.h>
#include <scmi/power.h>
#include <scmi/powercap.h>
#include <scmi/reset.h>
#include <scmi/sensor.h>
#include <scmi/system.h>
#include <scmi/voltage.h>

#include "abi.h"
#include "symbols.h"

/*
 * LIBSCMI_NOTIFY_0.1 named 14 functions as their structs or enums, which
 * C++ cannot tell apart (`struct scmi_sensor_info info{};` did not
 * compile): they are scmi_agent_get_state() and the *_info_get() now,
 * and those taking a struct are the *_sized() under an inline wrapper.
 * The config and info structs of 0.1 carried no size: its functions that
 * take one pass the size the struct had in 0.1 (*_SIZE_VER0) to the
 * *_sized() of today, so that a config of 0.1 is not read beyond its end.
 */

SCMI_COMPAT int compat_0_1_agent_state(const struct scmi_agent *agent);
SCMI_SYMVER(compat_0_1_agent_state, scmi_agent_state, LIBSCMI_NOTIFY_0.1);
SCMI_COMPAT int compat_0_1_agent_state(const struct scmi_agent *agent)
{
	return scmi_agent_get_state(agent);
}

SCMI_COMPAT int compat_0_1_clock_protocol_info(struct scmi_agent *agent,
					       struct scmi_clock_protocol_info *info);
SCMI_SYMVER(compat_0_1_clock_protocol_info, scmi_clock_protocol_info,
	    LIBSCMI_NOTIFY_0.1);
SCMI_COMPAT int compat_0_1_clock_protocol_info(struct scmi_agent *agent,
					       struct scmi_clock_protocol_info *info)
{
	return scmi_clock_protocol_info_get_sized(agent, info,
						  SCMI_CLOCK_PROTOCOL_INFO_SIZE_VER0);
}

SCMI_COMPAT int compat_0_1_clock_info(struct scmi_agent *agent, uint32_t id,
				      struct scmi_clock_info *info);
SCMI_SYMVER(compat_0_1_clock_info, scmi_clock_info, LIBSCMI_NOTIFY_0.1);
SCMI_COMPAT int compat_0_1_clock_info(struct scmi_agent *agent, uint32_t id,
				      struct scmi_clock_info *info)
{
	return scmi_clock_info_get_sized(agent, id, info,
					 SCMI_CLOCK_INFO_SIZE_VER0);
}

SCMI_COMPAT int compat_0_1_perf_protocol_info(struct scmi_agent *agent,
					      struct scmi_perf_protocol_info *info);
SCMI_SYMVER(compat_0_1_perf_protocol_info, scmi_perf_protocol_info,
	    LIBSCMI_NOTIFY_0.1);
SCMI_COMPAT int compat_0_1_perf_protocol_info(struct scmi_agent *agent,
					      struct scmi_perf_protocol_info *info)
{
	return scmi_perf_protocol_info_get_sized(agent, info,
						 SCMI_PERF_PROTOCOL_INFO_SIZE_VER0);
}

SCMI_COMPAT int compat_0_1_perf_domain_info(struct scmi_agent *agent,
					    uint32_t id,
					    struct scmi_perf_domain_info *info);
SCMI_SYMVER(compat_0_1_perf_domain_info, scmi_perf_domain_info,
	    LIBSCMI_NOTIFY_0.1);
SCMI_COMPAT int compat_0_1_perf_domain_info(struct scmi_agent *agent,
					    uint32_t id,
					    struct scmi_perf_domain_info *info)
{
	return scmi_perf_domain_info_get_sized(agent, id, info,
					       SCMI_PERF_DOMAIN_INFO_SIZE_VER0);
}

SCMI_COMPAT int compat_0_1_power_protocol_info(struct scmi_agent *agent,
					       struct scmi_power_protocol_info *info);
SCMI_SYMVER(compat_0_1_power_protocol_info, scmi_power_protocol_info,
	    LIBSCMI_NOTIFY_0.1);
SCMI_COMPAT int compat_0_1_power_protocol_info(struct scmi_agent *agent,
					       struct scmi_power_protocol_info *info)
{
	return scmi_power_protocol_info_get_sized(agent, info,
						  SCMI_POWER_PROTOCOL_INFO_SIZE_VER0);
}

SCMI_COMPAT int compat_0_1_power_domain_info(struct scmi_agent *agent,
					     uint32_t id,
					     struct scmi_power_domain_info *info);
SCMI_SYMVER(compat_0_1_power_domain_info, scmi_power_domain_info,
	    LIBSCMI_NOTIFY_0.1);
SCMI_COMPAT int compat_0_1_power_domain_info(struct scmi_agent *agent,
					     uint32_t id,
					     struct scmi_power_domain_info *info)
{
	return scmi_power_domain_info_get_sized(agent, id, info,
						SCMI_POWER_DOMAIN_INFO_SIZE_VER0);
}

SCMI_COMPAT int compat_0_1_powercap_info(struct scmi_agent *agent, uint32_t id,
					 struct scmi_powercap_info *info);
SCMI_SYMVER(compat_0_1_powercap_info, scmi_powercap_info, LIBSCMI_NOTIFY_0.1);
SCMI_COMPAT int compat_0_1_powercap_info(struct scmi_agent *agent, uint32_t id,
					 struct scmi_powercap_info *info)
{
	return scmi_powercap_info_get_sized(agent, id, info,
					    SCMI_POWERCAP_INFO_SIZE_VER0);
}

SCMI_COMPAT int compat_0_1_reset_protocol_info(struct scmi_agent *agent,
					       struct scmi_reset_protocol_info *info);
SCMI_SYMVER(compat_0_1_reset_protocol_info, scmi_reset_protocol_info,
	    LIBSCMI_NOTIFY_0.1);
SCMI_COMPAT int compat_0_1_reset_protocol_info(struct scmi_agent *agent,
					       struct scmi_reset_protocol_info *info)
{
	return scmi_reset_protocol_info_get_sized(agent, info,
						  SCMI_RESET_PROTOCOL_INFO_SIZE_VER0);
}

SCMI_COMPAT int compat_0_1_reset_domain_info(struct scmi_agent *agent,
					     uint32_t id,
					     struct scmi_reset_domain_info *info);
SCMI_SYMVER(compat_0_1_reset_domain_info, scmi_reset_domain_info,
	    LIBSCMI_NOTIFY_0.1);
SCMI_COMPAT int compat_0_1_reset_domain_info(struct scmi_agent *agent,
					     uint32_t id,
					     struct scmi_reset_domain_info *info)
{
	return scmi_reset_domain_info_get_sized(agent, id, info,
						SCMI_RESET_DOMAIN_INFO_SIZE_VER0);
}

SCMI_COMPAT int compat_0_1_sensor_info(struct scmi_agent *agent, uint32_t id,
				       struct scmi_sensor_info *info);
SCMI_SYMVER(compat_0_1_sensor_info, scmi_sensor_info, LIBSCMI_NOTIFY_0.1);
SCMI_COMPAT int compat_0_1_sensor_info(struct scmi_agent *agent, uint32_t id,
				       struct scmi_sensor_info *info)
{
	return scmi_sensor_info_get_sized(agent, id, info,
					  SCMI_SENSOR_INFO_SIZE_VER0);
}

SCMI_COMPAT int compat_0_1_system_power_info(struct scmi_agent *agent,
					     struct scmi_system_power_info *info);
SCMI_SYMVER(compat_0_1_system_power_info, scmi_system_power_info,
	    LIBSCMI_NOTIFY_0.1);
SCMI_COMPAT int compat_0_1_system_power_info(struct scmi_agent *agent,
					     struct scmi_system_power_info *info)
{
	return scmi_system_power_info_get_sized(agent, info,
						SCMI_SYSTEM_POWER_INFO_SIZE_VER0);
}

SCMI_COMPAT int compat_0_1_voltage_protocol_info(struct scmi_agent *agent,
						 struct scmi_voltage_protocol_info *info);
SCMI_SYMVER(compat_0_1_voltage_protocol_info, scmi_voltage_protocol_info,
	    LIBSCMI_NOTIFY_0.1);
SCMI_COMPAT int compat_0_1_voltage_protocol_info(struct scmi_agent *agent,
						 struct scmi_voltage_protocol_info *info)
{
	return scmi_voltage_protocol_info_get_sized(agent, info,
						    SCMI_VOLTAGE_PROTOCOL_INFO_SIZE_VER0);
}

SCMI_COMPAT int compat_0_1_voltage_domain_info(struct scmi_agent *agent,
					       uint32_t id,
					       struct scmi_voltage_domain_info *info);
SCMI_SYMVER(compat_0_1_voltage_domain_info, scmi_voltage_domain_info,
	    LIBSCMI_NOTIFY_0.1);
SCMI_COMPAT int compat_0_1_voltage_domain_info(struct scmi_agent *agent,
					       uint32_t id,
					       struct scmi_voltage_domain_info *info)
{
	return scmi_voltage_domain_info_get_sized(agent, id, info,
						  SCMI_VOLTAGE_DOMAIN_INFO_SIZE_VER0);
}

SCMI_COMPAT int compat_0_1_agent_create(struct scmi_agent **out,
					const struct scmi_agent_config *cfg);
SCMI_SYMVER(compat_0_1_agent_create, scmi_agent_create, LIBSCMI_NOTIFY_0.1);
SCMI_COMPAT int compat_0_1_agent_create(struct scmi_agent **out,
					const struct scmi_agent_config *cfg)
{
	return scmi_agent_create_sized(out, cfg, SCMI_AGENT_CONFIG_SIZE_VER0);
}

SCMI_COMPAT int compat_0_1_notify_create(struct scmi_notify **out,
					 const struct scmi_notify_config *cfg);
SCMI_SYMVER(compat_0_1_notify_create, scmi_notify_create, LIBSCMI_NOTIFY_0.1);
SCMI_COMPAT int compat_0_1_notify_create(struct scmi_notify **out,
					 const struct scmi_notify_config *cfg)
{
	return scmi_notify_create_sized(out, cfg, SCMI_NOTIFY_CONFIG_SIZE_VER0);
}

SCMI_COMPAT int compat_0_1_agent_base_info(struct scmi_agent *agent,
					   struct scmi_base_info *info);
SCMI_SYMVER(compat_0_1_agent_base_info, scmi_agent_base_info,
	    LIBSCMI_NOTIFY_0.1);
SCMI_COMPAT int compat_0_1_agent_base_info(struct scmi_agent *agent,
					   struct scmi_base_info *info)
{
	return scmi_agent_base_info_sized(agent, info,
					  SCMI_BASE_INFO_SIZE_VER0);
}

SCMI_COMPAT int compat_0_1_agent_get_stats(const struct scmi_agent *agent,
					   struct scmi_agent_stats *st);
SCMI_SYMVER(compat_0_1_agent_get_stats, scmi_agent_get_stats,
	    LIBSCMI_NOTIFY_0.1);
SCMI_COMPAT int compat_0_1_agent_get_stats(const struct scmi_agent *agent,
					   struct scmi_agent_stats *st)
{
	return scmi_agent_get_stats_sized(agent, st,
					  SCMI_AGENT_STATS_SIZE_VER0);
}

SCMI_COMPAT int compat_0_1_notify_get_stats(struct scmi_notify *ni,
					    uint8_t proto_id,
					    struct scmi_notify_stats *st);
SCMI_SYMVER(compat_0_1_notify_get_stats, scmi_notify_get_stats,
	    LIBSCMI_NOTIFY_0.1);
SCMI_COMPAT int compat_0_1_notify_get_stats(struct scmi_notify *ni,
					    uint8_t proto_id,
					    struct scmi_notify_stats *st)
{
	return scmi_notify_get_stats_sized(ni, proto_id, st,
					   SCMI_NOTIFY_STATS_SIZE_VER0);
}
