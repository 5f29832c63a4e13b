/* SPDX-License-Identifier: MIT */
/*
 * The control socket: how a test or an operator changes the simulated
 * platform's state from outside (the platform's own changes: events that
 * follow carry agent_id 0).
 *
 * A SOCK_SEQPACKET socket, mode 0600. Each request is one message of text
 * (at most SIM_CONTROL_MAX_MSG bytes), words separated by blanks:
 *   <protocol> <verb> <args...>   e.g. "sensor set 2 45000": the
 *                                 protocol's sim_<name>_control() does it
 *   ping                          "pong"
 *   help                          every request, one per line, with the
 *                                 verbs of every protocol
 *   state [<protocol>]            every domain's state (state.h)
 *   agents                        each agent's counters (state.h)
 *   faults                        the active faults (faults.h)
 *   fault <kind> <agent> [args]   inject a fault (faults.h)
 * A word "--json" anywhere in a request asks for the reply text as JSON:
 * "state", "agents" and "faults" give their own object; any other
 * request's text comes as {"reply": "<text>"}.
 * Each request gets one reply: "ok" or "ok <text>" (lines separated by
 * newlines, none at the end), or "error <errno> <text>" with a negative
 * errno: -EINVAL bad words (an empty message too), -ENOENT no such
 * protocol, domain or agent, -ERANGE a value out of range, -EOPNOTSUPP
 * no such verb, -EMSGSIZE a reply too long or a request longer than
 * SIM_CONTROL_MAX_MSG (refused whole, not run). A new connection when
 * every one is in use gets -EBUSY and is closed (control-conn.c).
 *
 * A reply is one message when it fits SIM_CONTROL_MAX_REPLY bytes. A
 * longer one ("agents" with many agents; at most SIM_CONTROL_MAX_TOTAL
 * bytes in all) comes in parts, one message each: every part but the
 * last is '+' and SIM_CONTROL_MAX_REPLY - 1 bytes of the reply, the last
 * is the rest as it is; the client joins them. The simulator reads a
 * connection's next request once its reply is all sent: a client that
 * does not read its replies only holds itself up, and loses none.
 */
#ifndef SIM_CONTROL_H
#define SIM_CONTROL_H

#include <stddef.h>

/* a pointer only: scmi-sim-ctl includes this file without libev */
struct ev_loop;

#define SIM_CONTROL_MAX_MSG 1024       /* a request */
#define SIM_CONTROL_MAX_REPLY 65536    /* a reply's message, or part */
#define SIM_CONTROL_MAX_TOTAL (4 << 20) /* a reply, all its parts */

/* Listen on @path and serve requests on @loop. 0 or a negative errno. */
int control_open(struct ev_loop *loop, const char *path);
/* Close every control connection and the socket. */
void control_close(struct ev_loop *loop);

/*
 * Run one request (modified in place) and write the reply text. Returns 0
 * or the negative errno of the reply. The parser, separate from the
 * socket so that it can be tested and fuzzed alone.
 */
int control_exec(char *req, char *reply, size_t reply_sz);

#endif /* SIM_CONTROL_H */
