/* SPDX-License-Identifier: MIT */
/*
 * Scenarios: a JSON file of timed control commands that the simulator
 * runs on its loop, for reproducible demos and tests.
 *
 * The file is an array of steps. A step is an object:
 *
 *   { "at": MS, "do": "COMMAND" }      MS after the start of its block
 *   { "after": MS, "do": "COMMAND" }   MS after the step before it ran
 *   { "after": MS }                    a pause
 *   { "loop": N, "steps": [ ... ] }    the steps N times (0: for ever)
 *
 * "at" and "after" (never both; neither is "after": 0) also time a loop,
 * whose own steps count from the start of each of its rounds. COMMAND is a
 * control request, the grammar of the control socket (control.h), run
 * with control_exec(). A step may carry a "comment" string. A block's
 * steps go forward in time ("at" may not go back), a loop for ever must
 * take time and be the last step of the file.
 *
 * At load every command is checked by a dry run: the commands run, in
 * file order, in a child process (a copy of the simulator, which no agent
 * can see), and one the parser refuses (-EINVAL, -ENOENT, -EOPNOTSUPP,
 * -ERANGE) makes the file refused, with its place named. At run time a
 * command that fails is logged (warning) and the scenario goes on; at -v
 * every step is logged as it runs.
 *
 * Runs on the simulator's loop thread only.
 */
#ifndef SIM_SCENARIO_H
#define SIM_SCENARIO_H

#include <stddef.h>

#include <ev.h>

struct scenario;

/*
 * Read and check the scenario @path against the running topology (load
 * the topology first). 0 with *@ret set, or a negative errno with the
 * reason in @err ("FILE:LINE:COL: PATH: problem").
 */
int scenario_load(const char *path, struct scenario **ret, char *err,
		  size_t err_sz);

/* Start running @sc on @loop, its time 0 now. */
void scenario_start(struct scenario *sc, struct ev_loop *loop);

/* Stop @sc if it runs and free it. NULL is a no-op. */
void scenario_free(struct scenario *sc);

#endif /* SIM_SCENARIO_H */
