/* SPDX-License-Identifier: MIT */
/*
 * What each agent may use now, per agent slot: see access.h. A slot no
 * permission command has changed reads its role from the topology each
 * time; a changed one keeps its own masks until it is reset.
 */
#include <string.h>

#include <scmi/wire.h>

#include "access.h"

#define NUM_SLOTS 256                   /* agent ids 0..255 */
#define DEVICE_PROTO_SHIFT 16
#define DEVICE_DOM_MASK 0xFFFFu

struct slot {
	bool changed;                   /* the masks below hold, not the role */
	uint32_t protocols;             /* SIM_ROLE_PROTO_BIT() of each allowed */
	uint32_t domains[SIM_ROLE_NUM_PROTOCOLS]; /* bit d: domain d allowed */
};

static struct slot slots[NUM_SLOTS];
static const uint8_t role_protos[] = SIM_ROLE_PROTOCOLS;

/* @proto_id's place in struct sim_role_devices, or -1: no domains. */
static int proto_index(uint8_t proto_id)
{
	for (int i = 0; i < SIM_ROLE_NUM_PROTOCOLS; i++)
		if (role_protos[i] == proto_id)
			return i;
	return -1;
}

void sim_access_role(uint32_t id, struct sim_agent_role *r)
{
	const struct sim_topology *t = sim_topo();

	if (id >= 1 && id <= t->num_agents)
		*r = t->agents[id - 1];
	else
		topology_role_default(t, id, r);
}

bool sim_access_trusted(uint32_t id)
{
	struct sim_agent_role r;

	sim_access_role(id, &r);
	return r.trusted;
}

uint32_t sim_access_type(uint32_t id)
{
	struct sim_agent_role r;

	sim_access_role(id, &r);
	return r.type;
}

/* Slot @id as masks: its own, or its role's. */
static void slot_get(uint32_t id, struct slot *s)
{
	struct sim_agent_role r;

	if (slots[id % NUM_SLOTS].changed) {
		*s = slots[id % NUM_SLOTS];
		return;
	}
	sim_access_role(id, &r);
	memset(s, 0, sizeof(*s));
	s->protocols = r.protocols;
	for (int i = 0; i < SIM_ROLE_NUM_PROTOCOLS; i++)
		for (unsigned int k = 0; k < r.devices.of[i].num; k++)
			s->domains[i] |= 1u << (r.devices.of[i].ids[k] % 32);
}

bool sim_access_allowed(uint32_t id, uint8_t proto_id, uint32_t dom)
{
	int i = proto_index(proto_id);
	struct slot s;

	if (proto_id == SCMI_PROTOCOL_BASE)
		return true;
	if (proto_id < SCMI_PROTOCOL_BASE || proto_id >= SCMI_PROTOCOL_BASE + 32)
		return false;
	slot_get(id, &s);
	if (!(s.protocols & SIM_ROLE_PROTO_BIT(proto_id)))
		return false;
	if (i < 0 || dom == SIM_ACCESS_ANY)
		return true;
	return dom < SIM_MAX_DOMAINS && (s.domains[i] & (1u << dom));
}

bool sim_access_device(uint32_t device, uint8_t *proto_id, uint32_t *dom)
{
	uint32_t p = device >> DEVICE_PROTO_SHIFT;
	uint32_t d = device & DEVICE_DOM_MASK;

	if (p > 0xFF || !sim_topo()->offered[p])
		return false;
	if (p == SCMI_PROTOCOL_SYSTEM ? d != 0 :
	    d >= topology_num_domains(sim_topo(), (uint8_t)p))
		return false;
	*proto_id = (uint8_t)p;
	*dom = d;
	return true;
}

/* Slot @id, made its own to change. */
static struct slot *slot_own(uint32_t id)
{
	struct slot *s = &slots[id % NUM_SLOTS];

	if (!s->changed) {
		slot_get(id, s);
		s->changed = true;
	}
	return s;
}

void sim_access_set_device(uint32_t id, uint8_t proto_id, uint32_t dom,
			   bool allow)
{
	struct slot *s = slot_own(id);
	int i = proto_index(proto_id);

	if (i < 0) {                    /* a protocol without domains */
		sim_access_set_protocol(id, proto_id, allow);
		return;
	}
	if (dom >= SIM_MAX_DOMAINS)
		return;
	if (allow)
		s->domains[i] |= 1u << dom;
	else
		s->domains[i] &= ~(1u << dom);
}

void sim_access_set_protocol(uint32_t id, uint8_t proto_id, bool allow)
{
	struct slot *s = slot_own(id);

	if (proto_id <= SCMI_PROTOCOL_BASE || proto_id >= SCMI_PROTOCOL_BASE + 32)
		return;
	if (allow)
		s->protocols |= SIM_ROLE_PROTO_BIT(proto_id);
	else
		s->protocols &= ~SIM_ROLE_PROTO_BIT(proto_id);
}

void sim_access_reset(uint32_t id)
{
	slots[id % NUM_SLOTS].changed = false;
}

void sim_access_reset_all(void)
{
	memset(slots, 0, sizeof(slots));
}
