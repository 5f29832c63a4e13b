/* SPDX-License-Identifier: MIT */
/*
 * What each agent may use now. Agent slot @id (1..255, as agents.h numbers
 * them; a slot keeps what it may use across its agents' sessions) starts
 * from its role in the topology (struct sim_agent_role, topology.h: the
 * topology's own for the agents it lists, the default role -- trusted,
 * everything allowed -- for the others). A trusted agent changes it with
 * BASE_SET_DEVICE_PERMISSIONS and BASE_SET_PROTOCOL_PERMISSIONS
 * (protocols/base.c) and puts it back with BASE_RESET_AGENT_CONFIGURATION.
 *
 * The dispatch (protocols/common.c) asks before it runs a command, and
 * sim_emit() before it sends a notification: a command on a protocol or
 * domain the agent may not use is DENIED, and the notifications about it
 * are not sent to it (its subscriptions stay, and it gets them again once
 * it may use it again). Base is always allowed.
 *
 * A device, for the permission commands, is one domain of one protocol:
 * device id = protocol id << 16 | domain id (0x110002: power domain 2);
 * system power, which has no domains, is the one device 0x120000.
 *
 * Everything runs on the simulator's loop thread: no locks.
 */
#ifndef SIM_ACCESS_H
#define SIM_ACCESS_H

#include <stdbool.h>
#include <stdint.h>

#include "topology.h"

/* The role of agent @id in the running topology, into *@r. */
void sim_access_role(uint32_t id, struct sim_agent_role *r);

/* Whether agent @id may change the others' access. */
bool sim_access_trusted(uint32_t id);

/* Agent @id's type (enum sim_agent_type). */
uint32_t sim_access_type(uint32_t id);

/*
 * Whether agent @id may use protocol @proto_id and, for a protocol with
 * domains, its domain @dom (SIM_ACCESS_ANY: the protocol alone).
 */
#define SIM_ACCESS_ANY UINT32_MAX
bool sim_access_allowed(uint32_t id, uint8_t proto_id, uint32_t dom);

/*
 * Whether @device (protocol << 16 | domain, above) is one of the running
 * topology's, and its protocol and domain.
 */
bool sim_access_device(uint32_t device, uint8_t *proto_id, uint32_t *dom);

/* Allow or deny agent @id the domain @dom of @proto_id (a device). */
void sim_access_set_device(uint32_t id, uint8_t proto_id, uint32_t dom,
			   bool allow);

/* Allow or deny agent @id protocol @proto_id (not Base). */
void sim_access_set_protocol(uint32_t id, uint8_t proto_id, bool allow);

/* Agent @id's access back to its role's. */
void sim_access_reset(uint32_t id);

/* Every agent's access back to its role's (a topology loaded anew). */
void sim_access_reset_all(void);

#endif /* SIM_ACCESS_H */
