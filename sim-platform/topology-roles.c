/* SPDX-License-Identifier: MIT */
/*
 * The rows of a topology file's "agents" key and the check across them:
 * see topology-roles.h.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <scmi/wire.h>

#include "topology-roles.h"
#include "topology.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const struct jt_word agent_types[] = {
	{ "psci", SIM_AGENT_PSCI }, { "management", SIM_AGENT_MANAGEMENT },
	{ "ospm", SIM_AGENT_OSPM }, { "other", SIM_AGENT_OTHER }, { NULL, 0 },
};

/* sim_agent_role.protocols, as the object the "protocols" key is */
struct role_protocols {
	uint32_t mask;
};

#define PROTO_BIT(k, id) \
	JF_BIT(struct role_protocols, k, mask, SIM_ROLE_PROTO_BIT(id), true)
static const struct jt_field protocol_fields[] = {
	PROTO_BIT("power", SCMI_PROTOCOL_POWER),
	PROTO_BIT("system", SCMI_PROTOCOL_SYSTEM),
	PROTO_BIT("perf", SCMI_PROTOCOL_PERF),
	PROTO_BIT("clock", SCMI_PROTOCOL_CLOCK),
	PROTO_BIT("sensor", SCMI_PROTOCOL_SENSOR),
	PROTO_BIT("reset", SCMI_PROTOCOL_RESET),
	PROTO_BIT("voltage", SCMI_PROTOCOL_VOLTAGE),
	PROTO_BIT("powercap", SCMI_PROTOCOL_POWERCAP),
};

static const struct jt_objects role_protocols = {
	.fields = protocol_fields, .num_fields = ARRAY_SIZE(protocol_fields),
	.noun = "protocols",
};

/* a domain id: only "low" is read, as the bounds of a list's values */
static const struct jt_field domain_id[] = {
	JT_ROW("low", JT_UINT, struct jt_range, low, 0, SIM_MAX_DOMAINS - 1, NULL),
	JT_ROW("high", JT_UINT, struct jt_range, high, 0, SIM_MAX_DOMAINS - 1, NULL),
	JT_ROW("step", JT_UINT, struct jt_range, step, 0, 0, "0"),
};

#define DOMAIN_LIST(i)                                                       \
	{ .arr_off = offsetof(struct sim_role_devices, of[i].ids),             \
	  .num_off = offsetof(struct sim_role_devices, of[i].num),             \
	  .range_off = offsetof(struct sim_role_devices, of[i].hidden),        \
	  .size = 1, .max = SIM_MAX_DOMAINS, .range = domain_id,               \
	  .noun = "domain id", .nouns = "domain ids", .unit = "" }

/* in the order of SIM_ROLE_PROTOCOLS */
static const struct jt_values domain_lists[SIM_ROLE_NUM_PROTOCOLS] = {
	DOMAIN_LIST(0), DOMAIN_LIST(1), DOMAIN_LIST(2), DOMAIN_LIST(3),
	DOMAIN_LIST(4), DOMAIN_LIST(5), DOMAIN_LIST(6),
};

static const struct jt_field device_fields[SIM_ROLE_NUM_PROTOCOLS] = {
	{ .key = "power", .type = JT_LIST, .aux = &domain_lists[0] },
	{ .key = "perf", .type = JT_LIST, .aux = &domain_lists[1] },
	{ .key = "clock", .type = JT_LIST, .aux = &domain_lists[2] },
	{ .key = "sensor", .type = JT_LIST, .aux = &domain_lists[3] },
	{ .key = "reset", .type = JT_LIST, .aux = &domain_lists[4] },
	{ .key = "voltage", .type = JT_LIST, .aux = &domain_lists[5] },
	{ .key = "powercap", .type = JT_LIST, .aux = &domain_lists[6] },
};

static const struct jt_objects role_devices = {
	.fields = device_fields, .num_fields = ARRAY_SIZE(device_fields),
	.noun = "devices",
};

/*
 * Defaults that follow from the topology (a name from the id, every
 * domain of a protocol without its list) and the domain ids checked
 * against it; the protocols' counts are read before the agents.
 */
static int check_role(struct jt_ctx *ctx, struct json_object *obj, void *item,
		      const char *path, unsigned int idx)
{
	static const uint8_t protos[] = SIM_ROLE_PROTOCOLS;
	const struct sim_topology *t = ctx->root;
	struct sim_agent_role *r = item, all;
	struct json_object *devs = NULL;
	char sub[JT_PATH_SZ];

	topology_role_default(t, idx + 1, &all);
	if (!jt_has(obj, "name"))
		memcpy(r->name, all.name, sizeof(r->name));
	json_object_object_get_ex(obj, "devices", &devs);
	for (size_t i = 0; i < SIM_ROLE_NUM_PROTOCOLS; i++) {
		struct sim_role_domains *d = &r->devices.of[i];
		unsigned int count = topology_num_domains(t, protos[i]);

		if (!devs || !jt_has(devs, device_fields[i].key)) {
			*d = all.devices.of[i];
			continue;
		}
		for (unsigned int k = 0; k < d->num; k++)
			if (d->ids[k] >= count)
				return JT_FAIL(ctx, jt_path(sub, path, ".devices.%s[%u]",
							    device_fields[i].key, k),
					       "no %s domain %u (there are %u)",
					       device_fields[i].key, d->ids[k], count);
	}
	return 0;
}

static const struct jt_field role_fields[] = {
	JT_ROW("name", JT_NAME, struct sim_agent_role, name, 0, 0, NULL),
	JF_ENUM(struct sim_agent_role, type, agent_types, other),
	JF_BOOL(struct sim_agent_role, trusted, false),
	JT_ROWX("protocols", JT_OBJECT, struct sim_agent_role, protocols, 0, 0,
		"{}", .aux = &role_protocols),
	JT_ROWX("devices", JT_OBJECT, struct sim_agent_role, devices, 0, 0,
		"{}", .aux = &role_devices),
};

const struct jt_objects topology_roles = {
	.arr_off = offsetof(struct sim_topology, agents),
	.num_off = offsetof(struct sim_topology, num_agents),
	.size = sizeof(struct sim_agent_role), .max = SIM_MAX_ROLES,
	.fields = role_fields, .num_fields = ARRAY_SIZE(role_fields),
	.noun = "agent", .nouns = "agents", .check = check_role,
};
