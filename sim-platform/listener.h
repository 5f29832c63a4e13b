/* SPDX-License-Identifier: MIT */
/*
 * A listening UNIX socket of type SOCK_SEQPACKET for the simulator: the
 * agents' socket and the control socket. The socket file is made mode
 * 0600; a stale file is replaced only when nothing answers on it, and at
 * close the file is removed only if it is still the one we bound.
 */
#ifndef SIM_LISTENER_H
#define SIM_LISTENER_H

#include <sys/stat.h>

struct sim_listener {
	int fd;                /* -1 when closed */
	const char *path;
	struct stat st;        /* of the socket file we bound */
};

/* Bind and listen on l->path (non-blocking). 0 or a negative errno, logged. */
int sim_listener_open(struct sim_listener *l);
/* Close, and remove the socket file if it is still ours. Idempotent. */
void sim_listener_close(struct sim_listener *l);

#endif /* SIM_LISTENER_H */
