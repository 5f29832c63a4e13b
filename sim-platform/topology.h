/* SPDX-License-Identifier: MIT */
/*
 * The simulated platform's state: every domain, clock and sensor of every
 * protocol, as a topology. Ids are dense (0..n-1), as SCMI requires. The
 * protocol files own the behaviour (protocols/<name>.c); this is only the
 * data, built from the embedded default (topology.c) or read from a JSON
 * file (topology-file.c, which also writes it back out).
 * Everything runs on the simulator's one loop thread: no locks.
 */
#ifndef SIM_TOPOLOGY_H
#define SIM_TOPOLOGY_H

#include <stdbool.h>
#include <stdint.h>

#include <scmi/wire.h>

#define SIM_NAME_MAX 64     /* with the NUL; names over 15 chars need *_NAME_GET */
#define SIM_MAX_DOMAINS 16  /* per protocol */
#define SIM_MAX_LEVELS 16   /* perf levels, voltage levels (Linux's MAX_OPPS) */
#define SIM_MAX_RATES 16    /* discrete clock rates (SCMI_MAX_NUM_RATES) */
#define SIM_MAX_TRIPS 4     /* trip points per sensor */

/* Power domain protocol (0x11). */
struct sim_power_domain {
	char name[SIM_NAME_MAX];
	bool notify;        /* POWER_STATE_CHANGED supported (attribute bit 31) */
	bool async;         /* asynchronous POWER_STATE_SET supported (bit 30) */
	uint32_t state;     /* SCMI power state: 0 on, 0x40000000 off */
};

/* System power protocol (0x12). */
struct sim_system {
	bool notify;        /* SYSTEM_POWER_STATE_NOTIFIER supported */
	bool warm_reset;    /* WARM_RESET supported (STATE_SET attribute bit 31) */
	bool suspend;       /* SUSPEND supported (STATE_SET attribute bit 30) */
	uint32_t state;     /* enum: 0 shutdown ... 3 power up, 4 suspend */
	uint32_t timeout_ms; /* graceful request timeout sent with the event */
	uint32_t view;      /* enum sim_system_view: what STATE_GET may tell */
};

/*
 * The system view of the platform (SCP-firmware's): an OSPM view answers
 * SYSTEM_POWER_STATE_GET, a full view (the platform itself owns the
 * system state) does not: NOT_SUPPORTED.
 */
enum sim_system_view {
	SIM_SYSTEM_VIEW_OSPM = 0,
	SIM_SYSTEM_VIEW_FULL = 1,
};

/* Performance domain protocol (0x13). */
struct sim_perf_level {
	uint32_t perf;      /* performance level value */
	uint32_t power;     /* power cost */
	uint32_t latency_us;
};

struct sim_perf_domain {
	char name[SIM_NAME_MAX];
	bool set_limits;    /* agents may set limits (attribute bit 31) */
	bool set_level;     /* agents may set the level (bit 30) */
	bool notify_limits; /* bit 29 */
	bool notify_level;  /* bit 28 */
	bool fast_channels; /* bit 27: fast channels (protocols/perf-fc.h) */
	uint32_t rate_limit_us;
	uint32_t sustained_freq_khz;
	uint32_t sustained_perf;
	unsigned int num_levels;
	struct sim_perf_level levels[SIM_MAX_LEVELS]; /* ascending perf */
	uint32_t level;     /* current performance level value */
	uint32_t range_min, range_max; /* current limits */
};

/* Clock protocol (0x14). */
struct sim_clock {
	char name[SIM_NAME_MAX];
	bool notify_changed;   /* CLOCK_RATE_CHANGED supported (bit 31) */
	bool notify_requested; /* CLOCK_RATE_CHANGE_REQUESTED supported (bit 30) */
	bool enabled;
	bool is_range;         /* rates: {min, max, step} instead of a list */
	unsigned int num_rates;
	uint64_t rates[SIM_MAX_RATES]; /* Hz; ascending; range: min, max, step */
	uint64_t rate;         /* current, Hz */
	uint32_t enable_latency_us;
};

/* What the clock protocol says of itself (PROTOCOL_ATTRIBUTES). */
struct sim_clock_protocol {
	uint32_t max_async_req; /* async CLOCK_RATE_SETs an agent may have pending, 0..255 */
};

/* Sensor management protocol (0x15). */
struct sim_trip_point {
	bool enabled;
	uint32_t direction;    /* 1 positive, 2 negative, 3 both crossings */
	int64_t value;
};

struct sim_sensor {
	char name[SIM_NAME_MAX];
	uint8_t type;          /* 0x02 degrees C, 0x05 volts, 0x07 watts, ... */
	int8_t scale;          /* value exponent, -16..15: value x 10^scale */
	bool notify_trip;      /* trip point events (when num_trips > 0) */
	bool notify_update;    /* SENSOR_UPDATE supported (attribute bit 30) */
	bool async;            /* asynchronous SENSOR_READING_GET (bit 31) */
	unsigned int num_trips;
	struct sim_trip_point trips[SIM_MAX_TRIPS];
	int64_t value;
	uint64_t timestamp_ns; /* of the last reading change */
	uint32_t config;       /* SENSOR_CONFIG_GET/SET word; bit 0 enabled */
	uint32_t update_ms;    /* periodic drift (0 = none) */
};

/* Reset domain protocol (0x16). */
struct sim_reset_domain {
	char name[SIM_NAME_MAX];
	bool notify;           /* RESET_ISSUED supported (bit 30) */
	bool async;            /* asynchronous reset supported (bit 31) */
	uint32_t latency_us;
	bool asserted;
};

/* Voltage domain protocol (0x17): no events. */
struct sim_voltage_domain {
	char name[SIM_NAME_MAX];
	bool async;            /* asynchronous VOLTAGE_LEVEL_SET (bit 31) */
	bool is_range;         /* levels: {low, high, step} instead of a list */
	unsigned int num_levels;
	int32_t levels_uv[SIM_MAX_LEVELS]; /* ascending */
	int32_t level_uv;
	uint32_t config;       /* 0x0 off, 0x7 on */
};

/* Powercap protocol (0x18). */
struct sim_powercap_domain {
	char name[SIM_NAME_MAX];
	bool notify_cap;       /* POWERCAP_CAP_CHANGED supported (bit 31) */
	bool notify_meas;      /* POWERCAP_MEASUREMENTS_CHANGED supported (bit 30) */
	bool async_cap;        /* asynchronous POWERCAP_CAP_SET (bit 29) */
	bool cap_config;       /* cap configurable (bit 27) */
	bool pai_config;       /* PAI configurable (bit 25) */
	uint32_t min_pai, max_pai, pai_step;       /* us */
	uint32_t min_cap, max_cap, cap_step;       /* mW */
	uint32_t sustainable_power, accuracy;
	uint32_t parent_id;    /* 0xFFFFFFFF = root */
	uint32_t cap, pai;
	uint32_t power;        /* current measurement, mW */
};

/*
 * An agent slot's role: its name (BASE_DISCOVER_AGENT's), its type, whether
 * it is trusted (may send BASE_SET_DEVICE_PERMISSIONS,
 * BASE_SET_PROTOCOL_PERMISSIONS, BASE_RESET_AGENT_CONFIGURATION), the
 * protocols it may use and, per protocol with domains, the domains it may
 * use. This is the configuration, as the topology says; what an agent may
 * use now (after a trusted agent changed it) is access.h's.
 */
#define SIM_MAX_ROLES 16        /* agent slots a topology describes: 1..16 */
#define SIM_AGENT_NAME_SZ 16    /* BASE_DISCOVER_AGENT's name field */

/* What SCP-firmware calls the agent types. */
enum sim_agent_type {
	SIM_AGENT_PSCI = 0,
	SIM_AGENT_MANAGEMENT = 1,
	SIM_AGENT_OSPM = 2,
	SIM_AGENT_OTHER = 3,
};

/*
 * The domains of one protocol an agent may use, ascending. @hidden: the
 * protocol has no domain (the list is empty and not written).
 */
struct sim_role_domains {
	unsigned int num;
	uint8_t ids[SIM_MAX_DOMAINS];
	bool hidden;
};

/* The protocols with domains, in the order of struct sim_role_devices. */
#define SIM_ROLE_PROTOCOLS { SCMI_PROTOCOL_POWER, SCMI_PROTOCOL_PERF, \
		SCMI_PROTOCOL_CLOCK, SCMI_PROTOCOL_SENSOR, SCMI_PROTOCOL_RESET, \
		SCMI_PROTOCOL_VOLTAGE, SCMI_PROTOCOL_POWERCAP }
#define SIM_ROLE_NUM_PROTOCOLS 7

struct sim_role_devices {
	struct sim_role_domains of[SIM_ROLE_NUM_PROTOCOLS];
};

/* Protocol @id's bit in sim_agent_role.protocols (ids 0x10..0x1F). */
#define SIM_ROLE_PROTO_BIT(id) (1u << ((id) - 0x10))

struct sim_agent_role {
	char name[SIM_AGENT_NAME_SZ];
	uint32_t type;                  /* enum sim_agent_type */
	bool trusted;
	uint32_t protocols;             /* SIM_ROLE_PROTO_BIT() of each allowed */
	struct sim_role_devices devices;
};

struct sim_topology {
	/*
	 * The protocols the platform offers, by protocol id: Base discovery
	 * lists them and the channel dispatches to them; a command of any
	 * other protocol is NOT_SUPPORTED (sim_protocol_find(), protocols.h).
	 * Base is always offered.
	 */
	bool offered[256];
	unsigned int num_power;
	struct sim_power_domain power[SIM_MAX_DOMAINS];
	struct sim_system system;
	unsigned int num_perf;
	struct sim_perf_domain perf[SIM_MAX_DOMAINS];
	unsigned int num_clocks;
	struct sim_clock clocks[SIM_MAX_DOMAINS];
	struct sim_clock_protocol clock_proto;
	unsigned int num_sensors;
	struct sim_sensor sensors[SIM_MAX_DOMAINS];
	unsigned int num_reset;
	struct sim_reset_domain reset[SIM_MAX_DOMAINS];
	unsigned int num_voltage;
	struct sim_voltage_domain voltage[SIM_MAX_DOMAINS];
	unsigned int num_powercap;
	struct sim_powercap_domain powercap[SIM_MAX_DOMAINS];
	/*
	 * The roles of agents 1..num_agents; an agent beyond them (or of a
	 * topology without roles) has the default role: named "agent-<id>",
	 * of type other, trusted, every protocol and domain allowed.
	 */
	unsigned int num_agents;
	struct sim_agent_role agents[SIM_MAX_ROLES];
};

/* The topology the simulator runs. */
struct sim_topology *sim_topo(void);

/* Load the embedded default into the running topology. */
void topology_load_default(void);

/*
 * The default role of agent @id (1..255) in topology @t: "agent-<id>",
 * other, trusted, every protocol and every domain of @t.
 */
void topology_role_default(const struct sim_topology *t, uint32_t id,
			   struct sim_agent_role *r);

/* The number of domains of protocol @proto_id in @t (0 for one without). */
unsigned int topology_num_domains(const struct sim_topology *t,
				  uint8_t proto_id);

#endif /* SIM_TOPOLOGY_H */
