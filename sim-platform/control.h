/* SPDX-License-Identifier: MIT */
/*
 * The control socket: how a test or an operator changes the simulated
 * platform's state from outside (the platform's own changes: events that
 * follow carry agent_id 0).
 *
 * A SOCK_SEQPACKET socket, mode 0600. Each request is one message of text,
 * words separated by blanks: "<protocol> <verb> <args...>", e.g.
 * "sensor set 2 45000" (the protocol's sim_<name>_control() does it), or
 * "ping". Each gets one reply message: "ok" or "ok <text>", or
 * "error <errno> <text>" with a negative errno (-EINVAL bad words,
 * -ENOENT no such protocol or domain, -ERANGE a value out of range,
 * -EOPNOTSUPP no such verb).
 */
#ifndef SIM_CONTROL_H
#define SIM_CONTROL_H

#include <stddef.h>

#include <ev.h>

#define SIM_CONTROL_MAX_MSG 1024

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
