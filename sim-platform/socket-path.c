/* SPDX-License-Identifier: MIT */
/* Where scmi-sim listens: see socket-path.h. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <scmi/paths.h>

#include "log.h"
#include "socket-path.h"

/* @dir (/tmp/scmi-sim-$UID): made 0700 if missing, else checked to be ours alone. */
static int private_dir(const char *dir)
{
	struct stat st;

	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		sim_log(SIM_LOG_ERR, "mkdir %s: %s", dir, strerror(errno));
		return -errno;
	}
	if (lstat(dir, &st) < 0) {
		sim_log(SIM_LOG_ERR, "%s: %s", dir, strerror(errno));
		return -errno;
	}
	if (!S_ISDIR(st.st_mode) || st.st_uid != getuid() ||
	    (st.st_mode & (S_IRWXG | S_IRWXO))) {
		sim_log(SIM_LOG_ERR,
			"%s must be a directory of ours, closed to group and others (mode 0700)",
			dir);
		return -EPERM;
	}
	return 0;
}

int sim_socket_path_default(char *path, size_t sz)
{
	char dir[64];
	int n = scmi_default_socket_path(path, sz);

	if (n < 0) {
		sim_log(SIM_LOG_ERR, "the default socket path: %s", strerror(-n));
		return n;
	}
	n = snprintf(dir, sizeof(dir), "/tmp/scmi-sim-%u", (unsigned int)getuid());
	if (n > 0 && (size_t)n < sizeof(dir) && !strncmp(path, dir, (size_t)n) &&
	    path[n] == '/')
		return private_dir(dir);
	return 0;
}

int sim_socket_path_check_dir(const char *opt, const char *path)
{
	const char *slash = strrchr(path, '/');
	char dir[PATH_MAX];
	struct stat st;

	if (!slash)
		return 0;                /* the working directory */
	snprintf(dir, sizeof(dir), "%.*s", slash == path ? 1 : (int)(slash - path),
		 path);
	if (stat(dir, &st) < 0) {
		int err = errno;

		if (err == ENOENT)
			sim_log(SIM_LOG_ERR, "%s %s: the directory %s does not exist",
				opt, path, dir);
		else
			sim_log(SIM_LOG_ERR, "%s %s: the directory %s: %s", opt,
				path, dir, strerror(err));
		return -err;
	}
	if (!S_ISDIR(st.st_mode)) {
		sim_log(SIM_LOG_ERR, "%s %s: %s is not a directory", opt, path, dir);
		return -ENOTDIR;
	}
	return 0;
}
