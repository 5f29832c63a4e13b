/* SPDX-License-Identifier: MIT */
/*
 * The topology file loader on arbitrary bytes: sim_json_parse() then
 * topology_from_json(). A topology accepted dumps to JSON that loads again
 * and dumps to the same text.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "topology-file.h"
#include "fuzz.h"

static char *dump(const struct sim_topology *t)
{
	struct json_object *root = topology_to_json(t);
	char *text = root ? sim_json_format(root) : NULL;

	json_object_put(root);
	return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sim_json_doc doc, doc2;
	struct sim_topology *t, *t2;
	char err[512];
	char *text, *text1, *text2;
	int r;

	if (size > SIM_JSON_MAX_FILE)
		return 0;
	text = malloc(size + 1);
	t = malloc(sizeof(*t));
	t2 = malloc(sizeof(*t2));
	if (!text || !t || !t2)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';

	r = sim_json_parse("fuzz.json", text, size, &doc, err, sizeof(err));
	if (r == 0) {
		r = topology_from_json(&doc, t, err, sizeof(err));
		if (r == 0) {
			text1 = dump(t);
			assert(text1);
			r = sim_json_parse("dump.json", text1, strlen(text1),
					   &doc2, err, sizeof(err));
			assert(r == 0);
			r = topology_from_json(&doc2, t2, err, sizeof(err));
			assert(r == 0);
			text2 = dump(t2);
			assert(text2 && !strcmp(text1, text2));
			free(text2);
			sim_json_free(&doc2);
			free(text1);
		} else {
			assert(memchr(err, '\0', sizeof(err)) && err[0]);
		}
		sim_json_free(&doc);
	}
	free(text);
	free(t);
	free(t2);
	return 0;
}
