/* SPDX-License-Identifier: MIT */
/*
 * The simulator's configuration: what the command line chose (main.c
 * sets it once, before anything starts; everything else only reads it),
 * and the names of the notification policies it can choose.
 */
#ifndef SIM_CONFIG_H
#define SIM_CONFIG_H

/* What happens to a notification for an agent whose P2A area is busy. */
enum sim_notify_policy {
	SIM_NOTIFY_QUEUE,
	SIM_NOTIFY_DROP_OLDEST,
	SIM_NOTIFY_DROP,
};

struct sim_config {
	unsigned int max_agents;          /* 1..255 */
	enum sim_notify_policy policy;
	unsigned int queue_len;           /* entries, for queue / drop-oldest */
	unsigned int max_msg_size;        /* payload bytes a message may carry */
	unsigned int async_delay_ms;      /* an async command's completion, 0..60000 */
	int verbosity;                    /* highest enum sim_log_level shown (log.h) */
};

/* The configuration set last (all zero but a verbosity of warnings before). */
const struct sim_config *sim_config(void);
void sim_config_set(const struct sim_config *cfg);

/* "queue", "drop-oldest", "drop" <-> the policy. */
const char *sim_notify_policy_name(enum sim_notify_policy p);
/* 0, or -EINVAL for a word that names no policy. */
int sim_notify_policy_parse(const char *s, enum sim_notify_policy *ret);

#endif /* SIM_CONFIG_H */
