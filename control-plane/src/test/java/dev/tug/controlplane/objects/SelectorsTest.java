package dev.tug.controlplane.objects;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tug.controlplane.api.ApiException;
import dev.tug.controlplane.api.Json;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SelectorsTest {

    private static final Map<String, String> WEB = Map.of("app", "web", "tier", "front");

    @Test
    void equalityTerms() {
        assertTrue(LabelSelector.parse("app=web").matches(WEB));
        assertTrue(LabelSelector.parse("app==web,tier=front").matches(WEB));
        assertFalse(LabelSelector.parse("app=web,tier=back").matches(WEB));
        assertTrue(LabelSelector.parse("app!=db").matches(WEB));
        assertFalse(LabelSelector.parse("app!=web").matches(WEB));
        assertTrue(LabelSelector.parse("missing!=x").matches(WEB), "!= holds when the label is absent");
    }

    @Test
    void setBasedTerms() {
        assertTrue(LabelSelector.parse("tier in (front, back)").matches(WEB));
        assertFalse(LabelSelector.parse("tier in (back)").matches(WEB));
        assertTrue(LabelSelector.parse("tier notin (back),app").matches(WEB));
        assertFalse(LabelSelector.parse("!app").matches(WEB));
        assertTrue(LabelSelector.parse("!release").matches(WEB));
        assertTrue(LabelSelector.parse("app in (web),tier notin (x,y)").matches(WEB));
        assertTrue(LabelSelector.parse("").matches(Map.of()));
    }

    @Test
    void malformedSelectorsAreBadRequests() {
        ApiException e = assertThrows(ApiException.class, () -> LabelSelector.parse("app in web"));
        assertEquals(400, e.code());
        assertTrue(e.getMessage().contains("app in web"), e.getMessage());
    }

    @Test
    void fieldSelectorsReadDottedPaths() {
        ObjectNode pod = Json.object();
        pod.putObject("metadata").put("name", "web-1").put("namespace", "shop");
        pod.putObject("spec").put("nodeName", "node-a");
        pod.putObject("status").put("phase", "Running");
        assertTrue(FieldSelector.parse("metadata.name=web-1,spec.nodeName==node-a").matches(pod));
        assertTrue(FieldSelector.parse("status.phase!=Pending").matches(pod));
        assertFalse(FieldSelector.parse("metadata.namespace=default").matches(pod));
        assertTrue(FieldSelector.parse("spec.hostname=").matches(pod), "a missing field equals the empty string");
        assertEquals("web-1", FieldSelector.parse("metadata.name=web-1").requiredName());
        assertEquals(400, assertThrows(ApiException.class, () -> FieldSelector.parse("metadata.name")).code());
    }
}
