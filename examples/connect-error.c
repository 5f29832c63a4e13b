/* SPDX-License-Identifier: MIT */
/* Why an example tool's connect failed: see connect-error.h. */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <scmi/paths.h>

#include "connect-error.h"

/*
 * Whether @path is scmi-sim's control socket (scmi-sim-ctl's, not an
 * agent's): it answers the control request "ping" with "ok pong" within
 * @timeout_ms.
 */
static bool is_control_socket(const char *path, unsigned int timeout_ms)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct pollfd pfd = { .events = POLLIN };
	char reply[16];
	ssize_t n = -1;

	if (strlen(path) >= sizeof(sa.sun_path))
		return false;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	pfd.fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (pfd.fd < 0)
		return false;
	if (connect(pfd.fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
	    send(pfd.fd, "ping", 4, MSG_NOSIGNAL) == 4 &&
	    poll(&pfd, 1, (int)timeout_ms) == 1)
		n = recv(pfd.fd, reply, sizeof(reply), MSG_DONTWAIT);
	close(pfd.fd);
	return n == 7 && !memcmp(reply, "ok pong", 7);
}

void connect_error(const char *prog, const char *sock, int err,
		   unsigned int timeout_ms)
{
	size_t n = strlen(sock), sn = strlen(SCMI_CONTROL_SOCKET_SUFFIX);

	/* a control socket takes the connection and waits for a request */
	if (err == -ETIMEDOUT && is_control_socket(sock, timeout_ms)) {
		fprintf(stderr, "%s: %s is the control socket of scmi-sim (for scmi-sim-ctl), not its agent socket",
			prog, sock);
		if (n > sn && !strcmp(sock + n - sn, SCMI_CONTROL_SOCKET_SUFFIX))
			fprintf(stderr, ": try --socket %.*s", (int)(n - sn), sock);
		fprintf(stderr, "\n");
		return;
	}
	fprintf(stderr, "%s: cannot connect to %s: %s\n", prog, sock,
		strerror(-err));
}
