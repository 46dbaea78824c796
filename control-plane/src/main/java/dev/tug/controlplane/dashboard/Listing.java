package dev.tug.controlplane.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tug.controlplane.api.Json;

import java.util.LinkedHashMap;
import java.util.Map;

/** A list page: the API server's own Table for the kind, so the dashboard shows the columns kubectl prints. */
final class Listing {
    private final KubeApi api;

    Listing(KubeApi api) {
        this.api = api;
    }

    ObjectNode build(String token, DashboardResource resource, String namespace, String fieldSelector,
                     String labelSelector) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("fieldSelector", fieldSelector);
        query.put("labelSelector", labelSelector);
        JsonNode table = api.table(token, resource.path(namespace, null) + KubeApi.query(query));
        ObjectNode page = Json.object().put("resource", resource.plural).put("namespaced", resource.namespaced);
        ArrayNode columns = page.putArray("columns");
        // kubectl leaves out priority > 0 columns unless asked for -o wide; so does the dashboard
        java.util.List<Integer> shown = new java.util.ArrayList<>();
        JsonNode definitions = table.path("columnDefinitions");
        for (int i = 0; i < definitions.size(); i++) {
            // ... but Name, which the pages link from, always comes first (events list it as a wide column)
            if (definitions.get(i).path("name").asText().equals("Name") && definitions.get(i).path("priority").asInt(0) > 0) {
                shown.add(0, i);
                columns.insert(0, "Name");
            } else if (definitions.get(i).path("priority").asInt(0) == 0) {
                shown.add(i);
                columns.add(definitions.get(i).path("name").asText());
            }
        }
        ArrayNode rows = page.putArray("rows");
        for (JsonNode row : table.path("rows")) {
            ArrayNode cells = Json.MAPPER.createArrayNode();
            shown.forEach(i -> cells.add(row.path("cells").path(i).asText("")));
            JsonNode metadata = row.path("object").path("metadata");
            rows.addObject().put("name", metadata.path("name").asText(cells.path(0).asText()))
                    .put("namespace", metadata.path("namespace").asText("")).set("cells", cells);
        }
        return page;
    }
}
