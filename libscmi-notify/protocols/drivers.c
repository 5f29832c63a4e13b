/* SPDX-License-Identifier: MIT */
/*
 * The table of the agent's protocol drivers (protocols.h), Base first:
 * one row per protocol. names.c reads the protocols' and events' names
 * from it.
 */
#include "protocols.h"

const struct scmi_proto_driver *const scmi_proto_drivers[] = {
	&scmi_base_driver,
	&scmi_power_driver,
	&scmi_system_driver,
	&scmi_perf_driver,
	&scmi_clock_driver,
	&scmi_sensor_driver,
	&scmi_reset_driver,
	&scmi_voltage_driver,
	&scmi_powercap_driver,
};

const unsigned int scmi_proto_num_drivers =
	sizeof(scmi_proto_drivers) / sizeof(scmi_proto_drivers[0]);

_Static_assert(sizeof(scmi_proto_drivers) / sizeof(scmi_proto_drivers[0]) ==
		       SCMI_NUM_DRIVERS,
	       "SCMI_NUM_DRIVERS (protocols.h) is the number of drivers");
