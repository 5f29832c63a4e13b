/* SPDX-License-Identifier: MIT */
/*
 * The default socket path (include/scmi/paths.h): scmi-sim's rule, in one
 * place for the simulator, its tools and agents.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/un.h>
#include <unistd.h>

#include <scmi/paths.h>

#include "symbols.h"

SCMI_EXPORT int scmi_default_socket_path(char *buf, size_t sz)
{
	const char *xdg = secure_getenv("XDG_RUNTIME_DIR");
	size_t max = sizeof(((struct sockaddr_un *)0)->sun_path) - 1;
	int n;

	if (!buf || !sz)
		return -EINVAL;
	if (xdg && xdg[0] == '/')
		n = snprintf(buf, sz, "%s/" SCMI_DEFAULT_SOCKET_NAME, xdg);
	else
		n = snprintf(buf, sz, "/tmp/scmi-sim-%u/" SCMI_DEFAULT_SOCKET_NAME,
			     (unsigned int)getuid());
	if (n < 0 || (size_t)n >= sz || (size_t)n > max) {
		buf[0] = '\0';
		return -ENAMETOOLONG;
	}
	return n;
}
