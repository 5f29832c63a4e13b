/* SPDX-License-Identifier: MIT */
/*
 * The "agents" key of a topology file: the roles of agent slots 1..n
 * (struct sim_agent_role, topology.h), as rows of json-table.h, which
 * topology-file.c puts in its table of keys:
 *
 *   "agents": [ { "name": "psci", "type": "psci", "trusted": false,
 *                 "protocols": { "clock": false },
 *                 "devices": { "power": [ 0, 1 ], "perf": [ 0 ] } } ]
 *
 * Every key may be left out: a name "agent-<id>", the type other, not
 * trusted, every protocol, every domain of a protocol without its list.
 * A domain id must be one of the topology's.
 */
#ifndef SIM_TOPOLOGY_ROLES_H
#define SIM_TOPOLOGY_ROLES_H

#include "json-table.h"

extern const struct jt_objects topology_roles;

#endif /* SIM_TOPOLOGY_ROLES_H */
