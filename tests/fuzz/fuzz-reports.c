/* SPDX-License-Identifier: MIT */
/*
 * Every protocol driver's discovery (init) on arbitrary replies, then its
 * fill_custom_report() on an arbitrary payload with the private struct that
 * discovery built. Input: u8 driver, u8 event id, u8 payload size, the
 * payload, then the replies (fake-agent.c). The report buffer has exactly
 * the event's max_report_sz bytes; an accepted report is the buffer, and
 * its source is one the protocol has.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "protocols/protocols.h"
#include "fuzz.h"

static const struct scmi_proto_driver *const drivers[] = {
	&scmi_base_driver,    &scmi_power_driver, &scmi_system_driver,
	&scmi_perf_driver,    &scmi_clock_driver, &scmi_sensor_driver,
	&scmi_reset_driver,   &scmi_voltage_driver, &scmi_powercap_driver,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	const struct scmi_proto_driver *d =
		drivers[fuzz_u8(&in) % (sizeof(drivers) / sizeof(drivers[0]))];
	uint8_t evt_id = fuzz_u8(&in);
	size_t payld_sz = fuzz_u8(&in);
	const struct scmi_protocol_events *ee = d->events;
	const struct scmi_event *evt = NULL;
	struct scmi_agent *a;
	uint8_t *payld;
	void *priv = NULL, *report, *r;
	uint32_t src_id = 0xDEADBEEF;

	if (payld_sz > in.n)
		payld_sz = in.n;
	payld = malloc(payld_sz ? payld_sz : 1);
	if (!payld)
		return 0;
	memcpy(payld, in.p, payld_sz);
	in.p += payld_sz;
	in.n -= payld_sz;

	a = fake_agent_get(&in);
	if (d->init(a, &priv) < 0) {
		free(payld);
		return 0;
	}
	for (unsigned int i = 0; ee && i < ee->num_events; i++)
		if (ee->evts[i].id == evt_id)
			evt = &ee->evts[i];
	/* the core hands over only registered events within max_payld_sz */
	if (evt && payld_sz <= evt->max_payld_sz) {
		report = malloc(evt->max_report_sz);
		if (report) {
			r = ee->ops->fill_custom_report(priv, evt_id, 42, payld,
							payld_sz, report,
							&src_id);
			if (r) {
				int n = ee->num_sources
						? (int)ee->num_sources
						: ee->ops->get_num_sources(priv);

				assert(r == report);
				assert(n > 0 && src_id < (uint32_t)n);
				if (ee->ops->is_notify_supported)
					(void)ee->ops->is_notify_supported(
						priv, evt_id, src_id);
			}
			free(report);
		}
	}
	if (d->fini)
		d->fini(a, priv);
	free(payld);
	return 0;
}
