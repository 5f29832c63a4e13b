/* SPDX-License-Identifier: MIT */
/*
 * Where a platform's sockets are by default: the path scmi-sim listens on
 * when it is given no --socket, which its tools (scmi-sim-ctl,
 * scmi-monitor) and any agent may use as their default too, and the
 * suffix of its control socket beside it.
 */
#ifndef SCMI_PATHS_H
#define SCMI_PATHS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The file name of the default socket, in the directory below. */
#define SCMI_DEFAULT_SOCKET_NAME "scmi-sim.sock"

/**
 * scmi-sim's control socket is its agent socket's path with this added
 * (scmi-sim --control changes it; scmi-sim-ctl --socket adds it).
 */
#define SCMI_CONTROL_SOCKET_SUFFIX ".ctl"

/**
 * Write the default socket path into @buf (@sz bytes, NUL-terminated):
 * $XDG_RUNTIME_DIR/scmi-sim.sock when XDG_RUNTIME_DIR is an absolute path
 * (read with secure_getenv(): not in a setuid program), else
 * /tmp/scmi-sim-$UID/scmi-sim.sock ($UID the real user id, in decimal).
 * It only builds the path: nothing is created or checked on disk (scmi-sim
 * makes the /tmp directory, mode 0700, when it listens there).
 * Returns the length of the path (without the NUL).
 * Errors: -EINVAL NULL @buf or @sz 0; -ENAMETOOLONG the path does not fit
 * in @buf, or is longer than a UNIX socket address can hold (107 bytes
 * on Linux); @buf is then "".
 */
int scmi_default_socket_path(char *buf, size_t sz);

#ifdef __cplusplus
}
#endif

#endif /* SCMI_PATHS_H */
