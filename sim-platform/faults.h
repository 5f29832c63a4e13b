/* SPDX-License-Identifier: MIT */
/*
 * Fault injection: the control requests "fault <kind> <agent> ..." make
 * the simulator misbehave towards one agent, to test agents' robustness.
 *
 * Response faults act on the response to that agent's NEXT command, which
 * is carried out as usual (its effects happen, its events are sent): only
 * what the agent gets back changes. Each is one-shot, and an agent has at
 * most one armed; arming another replaces it.
 *   delay <ms>       the response is written <ms> milliseconds later, from
 *                    an ev_timer (the loop never waits); the A2P area stays
 *                    busy meanwhile. A command that arrives before then
 *                    (an agent that overwrote the busy area) supersedes
 *                    the delayed response, which is then never written.
 *   drop             no response at all: nothing is written, a2p_done is
 *                    not rung; the area is handed back FREE untouched so
 *                    that the agent's next command can go (the agent sees
 *                    a timeout).
 *   error            channel_status = FREE | ERROR, nothing else written
 *                    (the agent ends the transfer with -ECOMM).
 *   corrupt-length   the response is written with a length field 4 bytes
 *                    beyond the end of the area (the agent must refuse it).
 * A delayed-response fault, one-shot, armed beside the response fault:
 *   drop-delayed     the next delayed response (type 2, delayed.h) owed
 *                    to the agent is not sent: counted as lost
 *                    (SIM_CNT_DELAYED_LOST) and logged, so that an
 *                    agent's delayed-response timeout can be tested. The
 *                    command itself is carried out.
 * The P2A fault is a switch, not one-shot:
 *   stall on|off     while on, nothing is posted in the agent's P2A area:
 *                    notifications wait in its queue and are dropped by
 *                    its policy (notify-queue.h); off posts the oldest
 *                    waiting one, and the queue moves on with the acks.
 *   clear            disarms the armed response fault and drop-delayed, and
 *                    turns stall off (a response already delayed is still
 *                    written when due).
 *
 * Each fault is counted per agent when it takes effect (a response fault
 * at that response, drop-delayed at that delayed response, stall at
 * "stall on") and logged at -v. Faults belong
 * to the agent's session (channel.c): they end with it, and a new session
 * under the same id starts with none. This file is their state and what
 * is done to it; the requests that arm them are control-faults.c's.
 * Everything runs on the loop thread.
 */
#ifndef SIM_FAULTS_H
#define SIM_FAULTS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum sim_fault {
	SIM_FAULT_NONE,
	SIM_FAULT_DELAY,
	SIM_FAULT_DROP,
	SIM_FAULT_ERROR,
	SIM_FAULT_CORRUPT_LENGTH,
	SIM_FAULT_STALL,
	SIM_FAULT_DROP_DELAYED,
	SIM_FAULT_MAX,
};

/* An agent's faults (in its session). */
struct sim_faults {
	enum sim_fault armed;             /* for the next response, or NONE */
	uint32_t delay_ms;                /* when armed is SIM_FAULT_DELAY */
	bool stalled;                     /* P2A posting stopped */
	bool drop_delayed;                /* drop the next delayed response */
	uint64_t fired[SIM_FAULT_MAX];    /* times each took effect */
};

/*
 * "delay", "drop", "error", "corrupt-length", "stall", "drop-delayed";
 * "none" for NONE.
 */
const char *sim_fault_name(enum sim_fault f);

/*
 * Arm @f for agent @agent_id: a response fault (@delay_ms for
 * SIM_FAULT_DELAY), replacing the one armed, or SIM_FAULT_DROP_DELAYED.
 * The reply text to @out; logged.
 */
void fault_arm(struct sim_faults *fs, uint32_t agent_id, enum sim_fault f,
	       uint32_t delay_ms, FILE *out);

/*
 * "fault clear": disarm the response fault and drop-delayed, naming what
 * was cleared (stall too, if on) to @out; turning stall off is the
 * caller's (the queue moves on: channel_set_stall()).
 */
void fault_clear(struct sim_faults *fs, uint32_t agent_id, FILE *out);

/*
 * The session of agent @agent_id has the response to a command ready:
 * take the armed response fault (it is disarmed, counted and logged) and,
 * for a delay, its milliseconds. SIM_FAULT_NONE when nothing is armed.
 */
enum sim_fault fault_take_response(struct sim_faults *fs, uint32_t agent_id,
				   uint32_t *delay_ms);

/*
 * The session has a delayed response ready: true if drop-delayed is
 * armed (it is disarmed, counted and logged): the response is then not
 * sent.
 */
bool fault_take_delayed(struct sim_faults *fs, uint32_t agent_id);

#endif /* SIM_FAULTS_H */
