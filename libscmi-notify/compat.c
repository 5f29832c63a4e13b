/* SPDX-License-Identifier: MIT */
/*
 * The symbols of released nodes whose function was renamed, kept for the
 * programs linked against that release (symbols.h): each is exported as
 * the non-default NAME@NODE and does what the function of today does.
 * No header declares them; programs built now use the new names.
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

#include "symbols.h"

/*
 * LIBSCMI_NOTIFY_0.1 named 14 functions as their structs or enums, which
 * C++ cannot tell apart (`struct scmi_sensor_info info{};` did not
 * compile): they are scmi_agent_get_state() and the *_info_get() now.
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
	return scmi_clock_protocol_info_get(agent, info);
}

SCMI_COMPAT int compat_0_1_clock_info(struct scmi_agent *agent, uint32_t id,
				      struct scmi_clock_info *info);
SCMI_SYMVER(compat_0_1_clock_info, scmi_clock_info, LIBSCMI_NOTIFY_0.1);
SCMI_COMPAT int compat_0_1_clock_info(struct scmi_agent *agent, uint32_t id,
				      struct scmi_clock_info *info)
{
	return scmi_clock_info_get(agent, id, info);
}

SCMI_COMPAT int compat_0_1_perf_protocol_info(struct scmi_agent *agent,
					      struct scmi_perf_protocol_info *info);
SCMI_SYMVER(compat_0_1_perf_protocol_info, scmi_perf_protocol_info,
	    LIBSCMI_NOTIFY_0.1);
SCMI_COMPAT int compat_0_1_perf_protocol_info(struct scmi_agent *agent,
					      struct scmi_perf_protocol_info *info)
{
	return scmi_perf_protocol_info_get(agent, info);
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
	return scmi_perf_domain_info_get(agent, id, info);
}

SCMI_COMPAT int compat_0_1_power_protocol_info(struct scmi_agent *agent,
					       struct scmi_power_protocol_info *info);
SCMI_SYMVER(compat_0_1_power_protocol_info, scmi_power_protocol_info,
	    LIBSCMI_NOTIFY_0.1);
SCMI_COMPAT int compat_0_1_power_protocol_info(struct scmi_agent *agent,
					       struct scmi_power_protocol_info *info)
{
	return scmi_power_protocol_info_get(agent, info);
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
	return scmi_power_domain_info_get(agent, id, info);
}

SCMI_COMPAT int compat_0_1_powercap_info(struct scmi_agent *agent, uint32_t id,
					 struct scmi_powercap_info *info);
SCMI_SYMVER(compat_0_1_powercap_info, scmi_powercap_info, LIBSCMI_NOTIFY_0.1);
SCMI_COMPAT int compat_0_1_powercap_info(struct scmi_agent *agent, uint32_t id,
					 struct scmi_powercap_info *info)
{
	return scmi_powercap_info_get(agent, id, info);
}

SCMI_COMPAT int compat_0_1_reset_protocol_info(struct scmi_agent *agent,
					       struct scmi_reset_protocol_info *info);
SCMI_SYMVER(compat_0_1_reset_protocol_info, scmi_reset_protocol_info,
	    LIBSCMI_NOTIFY_0.1);
SCMI_COMPAT int compat_0_1_reset_protocol_info(struct scmi_agent *agent,
					       struct scmi_reset_protocol_info *info)
{
	return scmi_reset_protocol_info_get(agent, info);
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
	return scmi_reset_domain_info_get(agent, id, info);
}

SCMI_COMPAT int compat_0_1_sensor_info(struct scmi_agent *agent, uint32_t id,
				       struct scmi_sensor_info *info);
SCMI_SYMVER(compat_0_1_sensor_info, scmi_sensor_info, LIBSCMI_NOTIFY_0.1);
SCMI_COMPAT int compat_0_1_sensor_info(struct scmi_agent *agent, uint32_t id,
				       struct scmi_sensor_info *info)
{
	return scmi_sensor_info_get(agent, id, info);
}

SCMI_COMPAT int compat_0_1_system_power_info(struct scmi_agent *agent,
					     struct scmi_system_power_info *info);
SCMI_SYMVER(compat_0_1_system_power_info, scmi_system_power_info,
	    LIBSCMI_NOTIFY_0.1);
SCMI_COMPAT int compat_0_1_system_power_info(struct scmi_agent *agent,
					     struct scmi_system_power_info *info)
{
	return scmi_system_power_info_get(agent, info);
}

SCMI_COMPAT int compat_0_1_voltage_protocol_info(struct scmi_agent *agent,
						 struct scmi_voltage_protocol_info *info);
SCMI_SYMVER(compat_0_1_voltage_protocol_info, scmi_voltage_protocol_info,
	    LIBSCMI_NOTIFY_0.1);
SCMI_COMPAT int compat_0_1_voltage_protocol_info(struct scmi_agent *agent,
						 struct scmi_voltage_protocol_info *info)
{
	return scmi_voltage_protocol_info_get(agent, info);
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
	return scmi_voltage_domain_info_get(agent, id, info);
}
