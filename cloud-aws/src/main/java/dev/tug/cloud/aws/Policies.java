package dev.tug.cloud.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.TreeSet;

/** IAM policy documents: writing an inline policy and reading back what a live one allows. */
final class Policies {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Policies() {
    }

    /** One statement allowing the given actions on any resource (the read-only calls tug's machines make). */
    static String allow(Collection<String> actions) {
        ObjectNode policy = JSON.createObjectNode().put("Version", "2012-10-17");
        ObjectNode statement = policy.putArray("Statement").addObject().put("Effect", "Allow");
        ArrayNode list = statement.putArray("Action");
        new TreeSet<>(actions).forEach(list::add);
        statement.put("Resource", "*");
        return policy.toString();
    }

    /** The actions every Allow statement of a document grants. */
    static TreeSet<String> allowedActions(String document) {
        TreeSet<String> actions = new TreeSet<>();
        for (JsonNode statement : statements(read(document))) {
            if ("Allow".equals(statement.path("Effect").asText())) {
                values(statement.path("Action"), actions);
            }
        }
        return actions;
    }

    /** The services a trust policy lets assume the role, e.g. ec2.amazonaws.com. */
    static String principals(String document) {
        TreeSet<String> services = new TreeSet<>();
        for (JsonNode statement : statements(read(document))) {
            values(statement.path("Principal").path("Service"), services);
        }
        return String.join(", ", services);
    }

    private static JsonNode read(String document) {
        try {
            return JSON.readTree(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Iterable<JsonNode> statements(JsonNode policy) {
        JsonNode statement = policy.path("Statement");
        return statement.isArray() ? statement : java.util.List.of(statement);
    }

    private static void values(JsonNode node, Collection<String> into) {
        if (node.isArray()) {
            node.forEach(n -> into.add(n.asText()));
        } else if (node.isTextual()) {
            into.add(node.asText());
        }
    }
}
