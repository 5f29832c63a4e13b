/* SPDX-License-Identifier: MIT */
/*
 * Why an example tool's scmi_agent_connect() failed, said on stderr
 * alike by scmi-monitor and scmi-raw: a path that is scmi-sim's control
 * socket (for scmi-sim-ctl) is named as such, not "Connection timed out".
 */
#ifndef SCMI_EXAMPLES_CONNECT_ERROR_H
#define SCMI_EXAMPLES_CONNECT_ERROR_H

/*
 * Say on stderr, after "@prog: ", why connecting to @sock failed with
 * @err. On -ETIMEDOUT, @sock is asked (within @timeout_ms) whether it is
 * scmi-sim's control socket, which takes a connection and sends no hello.
 */
void connect_error(const char *prog, const char *sock, int err,
		   unsigned int timeout_ms);

#endif /* SCMI_EXAMPLES_CONNECT_ERROR_H */
