/* SPDX-License-Identifier: MIT */
/*
 * What the perf driver (perf.c) offers the library's tests and
 * benchmarks beyond include/scmi/perf.h.
 */
#ifndef SCMI_PERF_INTERNAL_H
#define SCMI_PERF_INTERNAL_H

#include <stdbool.h>

#include <scmi/agent.h>

/*
 * With @on, agent @a's perf calls send their commands even where the
 * platform offers fast channels; with !on they use the channels again.
 * Holds until the protocol is discovered again (a reconnect). 0,
 * -EINVAL, -ENOTCONN or -EOPNOTSUPP (perf is not up).
 */
int scmi_perf_fc_force_messages(struct scmi_agent *a, bool on);

#endif /* SCMI_PERF_INTERNAL_H */
