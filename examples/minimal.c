/* SPDX-License-Identifier: MIT */
/*
 * minimal: the notification core on its own, with no platform.
 *
 * Registers a small example protocol ("thermal", id 0x80: one event,
 * TEMP_CHANGED, whose payload is {u32 zone, s32 millicelsius}, for 3
 * zones), a notifier for zone 1 and one for every zone, pushes a few
 * events with scmi_notify() as a transport would, and prints what each
 * callback receives.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <scmi/notify.h>

#define THERMAL_PROTO 0x80
#define TEMP_CHANGED 0x0
#define NUM_ZONES 3

struct temp_report {
	uint64_t timestamp_ns;
	uint32_t zone;
	int32_t millicelsius;
};

static int thermal_set_notify_enabled(void *priv, uint8_t evt_id,
				      uint32_t src_id, bool enable)
{
	printf("  platform: %s TEMP_CHANGED for zone %u\n",
	       enable ? "enable" : "disable", src_id);
	return 0;
}

static void *thermal_fill_report(void *priv, uint8_t evt_id, uint64_t ts,
				 const void *payld, size_t sz, void *report,
				 uint32_t *src_id)
{
	struct temp_report *r = report;
	uint32_t w[2];

	if (evt_id != TEMP_CHANGED || sz != sizeof(w))
		return NULL;
	memcpy(w, payld, sizeof(w));
	r->timestamp_ns = ts;
	r->zone = w[0];
	r->millicelsius = (int32_t)w[1];
	*src_id = r->zone;
	return r;
}

static const struct scmi_event_ops thermal_ops = {
	.set_notify_enabled = thermal_set_notify_enabled,
	.fill_custom_report = thermal_fill_report,
};

static const struct scmi_event thermal_events[] = {
	{ .id = TEMP_CHANGED, .max_payld_sz = 8,
	  .max_report_sz = sizeof(struct temp_report) },
};

static const struct scmi_protocol_events thermal_proto = {
	.ops = &thermal_ops,
	.evts = thermal_events,
	.num_events = 1,
	.num_sources = NUM_ZONES,
};

struct listener {
	struct scmi_notifier nb;
	const char *name;
	unsigned int seen;
};

static int on_temp(struct scmi_notifier *nb, uint8_t evt_id, const void *report)
{
	struct listener *l = (struct listener *)((char *)nb -
						 offsetof(struct listener, nb));
	const struct temp_report *r = report;

	l->seen++;
	printf("  %-9s got TEMP_CHANGED: zone %u, %d.%03d C\n", l->name,
	       r->zone, r->millicelsius / 1000, r->millicelsius % 1000);
	return SCMI_NOTIFY_OK;
}

int main(void)
{
	struct scmi_notify_config cfg = { .manual_dispatch = true };
	struct listener zone1 = { .nb = { .cb = on_temp }, .name = "zone1" };
	struct listener all = { .nb = { .cb = on_temp }, .name = "all-zones" };
	const uint32_t src = 1;
	struct scmi_notify_stats st;
	struct scmi_notify *ni;
	int ret;

	ret = scmi_notify_create(&ni, &cfg);
	if (ret) {
		fprintf(stderr, "scmi_notify_create: %s\n", strerror(-ret));
		return 1;
	}

	puts("register the thermal protocol");
	ret = scmi_register_protocol_events(ni, THERMAL_PROTO, NULL,
					    &thermal_proto);
	if (ret)
		goto out;

	puts("register a notifier for zone 1 and one for every zone");
	ret = scmi_event_notifier_register(ni, THERMAL_PROTO, TEMP_CHANGED,
					   &src, &zone1.nb);
	if (!ret)
		ret = scmi_event_notifier_register(ni, THERMAL_PROTO,
						   TEMP_CHANGED, NULL, &all.nb);
	if (ret)
		goto out;

	puts("the transport delivers three events");
	for (uint32_t z = 0; z < NUM_ZONES; z++) {
		uint32_t payld[2] = { z, 40000 + 1500 * z };

		ret = scmi_notify(ni, THERMAL_PROTO, TEMP_CHANGED, payld,
				  sizeof(payld), 0);
		if (ret)
			goto out;
	}
	printf("dispatch: %d events\n", scmi_notify_run_pending(ni));

	scmi_notify_get_stats(ni, THERMAL_PROTO, &st);
	printf("stats: received %llu, delivered %llu; zone1 saw %u, all-zones saw %u\n",
	       (unsigned long long)st.received,
	       (unsigned long long)st.delivered, zone1.seen, all.seen);

	puts("unregister both");
	scmi_event_notifier_unregister(ni, THERMAL_PROTO, TEMP_CHANGED, &src,
				       &zone1.nb);
	scmi_event_notifier_unregister(ni, THERMAL_PROTO, TEMP_CHANGED, NULL,
				       &all.nb);
out:
	if (ret)
		fprintf(stderr, "error: %s\n", strerror(-ret));
	scmi_notify_destroy(ni);
	return ret ? 1 : 0;
}
