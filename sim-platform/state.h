/* SPDX-License-Identifier: MIT */
/*
 * What the simulator can tell about itself, for the control requests
 * "state" and "agents": every domain's state of every protocol, and each
 * connected agent's counters. Each comes as text (one line per domain or
 * per agent and protocol, for people) or as one JSON object (for
 * programs; the keys are documented in scmi-sim-ctl(1)).
 */
#ifndef SIM_STATE_H
#define SIM_STATE_H

#include <stdbool.h>
#include <stdio.h>

struct json_object;

/*
 * "state [PROTOCOL]": the state of every protocol's domains, or of
 * @proto's alone (NULL: all). Text to @out, one line per domain.
 * 0, or -ENOENT with the reason in @out when no protocol has that name.
 */
int state_print(FILE *out, const char *proto);

/*
 * The same as one JSON object, {"<protocol>": ...} (see the man page).
 * 0 with *@ret set, -ENOENT (reason in @err), or -ENOMEM.
 */
int state_json(const char *proto, struct json_object **ret, FILE *err);

/* "agents": each connected agent's counters, per protocol too. */
void agents_print(FILE *out);
/* The same as {"agents": [...]}; NULL if out of memory. */
struct json_object *agents_json(void);

#endif /* SIM_STATE_H */
