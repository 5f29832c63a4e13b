/* SPDX-License-Identifier: MIT */
/* The simulator's configuration and the policies' names: see config.h. */
#include <errno.h>
#include <string.h>

#include "config.h"

/* warnings and errors (SIM_LOG_WARN: log.h, a layer above) until set */
static struct sim_config cfg = { .verbosity = 1 };

static const char *const policy_names[] = {
	[SIM_NOTIFY_QUEUE] = "queue",
	[SIM_NOTIFY_DROP_OLDEST] = "drop-oldest",
	[SIM_NOTIFY_DROP] = "drop",
};

const struct sim_config *sim_config(void)
{
	return &cfg;
}

void sim_config_set(const struct sim_config *c)
{
	cfg = *c;
}

const char *sim_notify_policy_name(enum sim_notify_policy p)
{
	return (size_t)p < sizeof(policy_names) / sizeof(policy_names[0])
		       ? policy_names[p] : "?";
}

int sim_notify_policy_parse(const char *s, enum sim_notify_policy *ret)
{
	for (size_t i = 0; i < sizeof(policy_names) / sizeof(policy_names[0]); i++) {
		if (!strcmp(s, policy_names[i])) {
			*ret = (enum sim_notify_policy)i;
			return 0;
		}
	}
	return -EINVAL;
}
