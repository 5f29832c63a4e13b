/* SPDX-License-Identifier: MIT */
/*
 * The control requests that inject faults into agents' sessions and list
 * them (what each fault does: faults.h).
 */
#ifndef SIM_CONTROL_FAULTS_H
#define SIM_CONTROL_FAULTS_H

#include <stdio.h>

struct json_object;

/*
 * "fault <kind> <agent> [args]": @argv[0] is the kind. Writes the reply
 * text, or the reason of an error, to @out. 0, -EINVAL (bad words),
 * -ENOENT (no such agent connected), -ERANGE (a delay out of range, or
 * an agent id outside 1..max_agents, which no agent can have) or
 * -EOPNOTSUPP (no such kind).
 */
int fault_control(int argc, char **argv, FILE *out);

/*
 * "faults": one line per active fault (armed, drop-delayed armed, stalled,
 * or a response held back by "delay" on its way).
 */
void faults_print(FILE *out);
/* The same as {"faults": [{"agent": 1, "fault": "delay", ...}, ...]}; NULL if out of memory. */
struct json_object *faults_json(void);

#endif /* SIM_CONTROL_FAULTS_H */
