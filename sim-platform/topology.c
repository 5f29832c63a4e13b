/* SPDX-License-Identifier: MIT */
/*
 * The embedded default topology: what `scmi-sim` with no arguments
 * simulates. At least one domain of every kind says it does not support
 * notifications, so that an agent's -EOPNOTSUPP path is exercised. Its
 * agents 1..8 have the default role (every agent allowed everything), set
 * out in full so that a dump shows every key of a role.
 */
#include <stdio.h>
#include <string.h>

#include <scmi/wire.h>

#include "topology.h"

static struct sim_topology topo;

struct sim_topology *sim_topo(void)
{
	return &topo;
}

#define ON 0x00000000u
#define OFF 0x40000000u

static const struct sim_topology default_topology = {
	.offered = {
		[SCMI_PROTOCOL_BASE] = true, [SCMI_PROTOCOL_POWER] = true,
		[SCMI_PROTOCOL_SYSTEM] = true, [SCMI_PROTOCOL_PERF] = true,
		[SCMI_PROTOCOL_CLOCK] = true, [SCMI_PROTOCOL_SENSOR] = true,
		[SCMI_PROTOCOL_RESET] = true, [SCMI_PROTOCOL_VOLTAGE] = true,
		[SCMI_PROTOCOL_POWERCAP] = true,
	},
	.num_power = 4,
	.power = {
		{ .name = "cpu-cluster0", .notify = true, .async = true, .state = ON },
		{ .name = "cpu-cluster1", .notify = true, .state = ON },
		{ .name = "gpu", .notify = true, .state = OFF },
		/* no state-change notifications: -EOPNOTSUPP */
		{ .name = "always-on-peripherals", .notify = false, .state = ON },
	},
	/* warm reset supported, suspend not: NOT_SUPPORTED */
	.system = { .notify = true, .warm_reset = true, .suspend = false,
		    .state = 3 /* POWER_UP */, .timeout_ms = 1000 },
	.num_perf = 3,
	.perf = {
		{ .name = "cpu-little", .set_limits = true, .set_level = true,
		  .notify_limits = true, .notify_level = true,
		  .rate_limit_us = 1000, .sustained_freq_khz = 1800000,
		  .sustained_perf = 1800, .num_levels = 4,
		  .levels = { { 600, 100, 50 }, { 1000, 200, 50 },
			      { 1400, 350, 60 }, { 1800, 500, 80 } },
		  .level = 1000, .range_min = 600, .range_max = 1800 },
		{ .name = "cpu-big", .set_limits = true, .set_level = true,
		  .notify_limits = true, .notify_level = true,
		  .rate_limit_us = 1000, .sustained_freq_khz = 2400000,
		  .sustained_perf = 2400, .num_levels = 5,
		  .levels = { { 800, 300, 60 }, { 1200, 500, 60 },
			      { 1600, 800, 70 }, { 2000, 1200, 80 },
			      { 2400, 1700, 100 } },
		  .level = 1600, .range_min = 800, .range_max = 2400 },
		/* neither event supported; the level is the platform's to set */
		{ .name = "memory-controller", .set_limits = false,
		  .set_level = false, .notify_limits = false,
		  .notify_level = false, .sustained_freq_khz = 800000,
		  .sustained_perf = 800, .num_levels = 4,
		  .levels = { { 200, 50, 20 }, { 400, 80, 20 },
			      { 600, 120, 20 }, { 800, 160, 20 } },
		  .level = 800, .range_min = 200, .range_max = 800 },
	},
	.num_clocks = 4,
	.clocks = {
		{ .name = "cpu-pll", .notify_changed = true,
		  .notify_requested = true, .enabled = true, .num_rates = 4,
		  .rates = { 400000000, 800000000, 1200000000, 1600000000 },
		  .rate = 800000000, .enable_latency_us = 10 },
		{ .name = "ddr-pll", .notify_changed = true,
		  .notify_requested = false, .enabled = true, .num_rates = 3,
		  .rates = { 533000000, 800000000, 1066000000 },
		  .rate = 1066000000, .enable_latency_us = 20 },
		{ .name = "uart-clk", .notify_changed = true,
		  .notify_requested = true, .enabled = false, .is_range = true,
		  .num_rates = 3, .rates = { 1000000, 100000000, 1000000 },
		  .rate = 24000000 },
		/* no notifications */
		{ .name = "ref-clk", .enabled = true, .num_rates = 1,
		  .rates = { 25000000 }, .rate = 25000000 },
	},
	.clock_proto = { .max_async_req = 4 },
	.num_sensors = 4,
	.sensors = {
		{ .name = "soc-temp", .type = 0x02, .scale = -3,
		  .notify_trip = true, .notify_update = true, .num_trips = 2,
		  .trips = { { true, 1, 70000 }, { true, 1, 90000 } },
		  .value = 45000, .config = 1 },
		/* the one with asynchronous reads */
		{ .name = "gpu-temp", .type = 0x02, .scale = -3,
		  .notify_trip = true, .notify_update = true, .async = true,
		  .num_trips = 1,
		  .trips = { { true, 3, 80000 } },
		  .value = 40000, .config = 1 },
		{ .name = "vdd-cpu", .type = 0x05, .scale = -6,
		  .notify_trip = true, .notify_update = false, .num_trips = 2,
		  .trips = { { true, 2, 700000 }, { false, 0, 0 } },
		  .value = 900000, .config = 1 },
		/* no trip points, no updates */
		{ .name = "board-power", .type = 0x07, .scale = -3,
		  .notify_trip = false, .notify_update = false, .num_trips = 0,
		  .value = 5000, .config = 1 },
	},
	.num_reset = 2,
	.reset = {
		{ .name = "gpu-reset", .notify = true, .async = true, .latency_us = 100 },
		/* no RESET_ISSUED notifications */
		{ .name = "usb-reset", .notify = false, .latency_us = 50 },
	},
	.num_voltage = 2,
	.voltage = {
		{ .name = "vdd-cpu", .num_levels = 4,
		  .levels_uv = { 700000, 800000, 900000, 1000000 },
		  .level_uv = 900000, .config = 0x7 },
		/* asynchronous level changes */
		{ .name = "vdd-io", .async = true, .is_range = true, .num_levels = 3,
		  .levels_uv = { 1800000, 3300000, 100000 },
		  .level_uv = 3300000, .config = 0x7 },
	},
	.num_powercap = 2,
	.powercap = {
		{ .name = "soc-cap", .notify_cap = true, .notify_meas = true,
		  .async_cap = true, .cap_config = true, .pai_config = true,
		  .min_pai = 100, .max_pai = 10000, .pai_step = 100,
		  .min_cap = 1000, .max_cap = 15000, .cap_step = 500,
		  .sustainable_power = 10000, .accuracy = 95,
		  .parent_id = 0xFFFFFFFF, .cap = 12000, .pai = 1000,
		  .power = 6000 },
		/* fixed cap, no notifications */
		{ .name = "gpu-cap", .notify_cap = false, .notify_meas = false,
		  .cap_config = false, .pai_config = false,
		  .min_pai = 1000, .max_pai = 1000, .pai_step = 0,
		  .min_cap = 5000, .max_cap = 5000, .cap_step = 0,
		  .sustainable_power = 5000, .accuracy = 90,
		  .parent_id = 0, .cap = 5000, .pai = 1000, .power = 2000 },
	},
};

#define DEFAULT_ROLES 8     /* scmi-sim's default --max-agents */

unsigned int topology_num_domains(const struct sim_topology *t,
				  uint8_t proto_id)
{
	switch (proto_id) {
	case SCMI_PROTOCOL_POWER: return t->num_power;
	case SCMI_PROTOCOL_PERF: return t->num_perf;
	case SCMI_PROTOCOL_CLOCK: return t->num_clocks;
	case SCMI_PROTOCOL_SENSOR: return t->num_sensors;
	case SCMI_PROTOCOL_RESET: return t->num_reset;
	case SCMI_PROTOCOL_VOLTAGE: return t->num_voltage;
	case SCMI_PROTOCOL_POWERCAP: return t->num_powercap;
	default: return 0;
	}
}

void topology_role_default(const struct sim_topology *t, uint32_t id,
			   struct sim_agent_role *r)
{
	static const uint8_t protos[] = SIM_ROLE_PROTOCOLS;

	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "agent-%u", id);
	r->type = SIM_AGENT_OTHER;
	r->trusted = true;
	/* every protocol a role names (Base is always allowed) */
	for (unsigned int p = SCMI_PROTOCOL_POWER; p <= SCMI_PROTOCOL_POWERCAP; p++)
		r->protocols |= SIM_ROLE_PROTO_BIT(p);
	for (size_t i = 0; i < SIM_ROLE_NUM_PROTOCOLS; i++) {
		struct sim_role_domains *d = &r->devices.of[i];

		d->num = topology_num_domains(t, protos[i]);
		for (unsigned int k = 0; k < d->num; k++)
			d->ids[k] = (uint8_t)k;
		d->hidden = d->num == 0;
	}
}

void topology_load_default(void)
{
	memcpy(&topo, &default_topology, sizeof(topo));
	topo.num_agents = DEFAULT_ROLES;
	for (uint32_t i = 0; i < DEFAULT_ROLES; i++)
		topology_role_default(&topo, i + 1, &topo.agents[i]);
}
