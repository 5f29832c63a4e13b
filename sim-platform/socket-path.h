/* SPDX-License-Identifier: MIT */
/*
 * Where scmi-sim listens: the default socket path, the library's
 * (scmi_default_socket_path(), include/scmi/paths.h) so that the
 * simulator, its tools and agents agree, with its private /tmp directory
 * made when that is where it is; and a given path's directory checked
 * before a socket is made there, so that a missing one is named as such.
 */
#ifndef SIM_SOCKET_PATH_H
#define SIM_SOCKET_PATH_H

#include <stddef.h>

/*
 * The default socket path into @path (@sz bytes). When it is in
 * /tmp/scmi-sim-$UID (no XDG_RUNTIME_DIR), that directory is made mode
 * 0700 if missing, else checked to be ours alone. 0 or -errno (logged).
 */
int sim_socket_path_default(char *path, size_t sz);

/*
 * Whether the directory of @path, given with option @opt ("--socket"),
 * is there to make a socket in: 0, or -ENOENT / -ENOTDIR (or another
 * -errno of stat()) with a line that names the directory and @opt.
 */
int sim_socket_path_check_dir(const char *opt, const char *path);

#endif /* SIM_SOCKET_PATH_H */
