package com.example.shop.gateway.populate;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Finds the ids a reference field holds in a JSON tree, and puts documents in their place. Arrays
 * along the path are walked through, as in Mongoose ({@code cart.items.productId} reaches every
 * item's {@code productId}); a reference field may hold one id or an array of ids. Values that are not
 * ids (null, a number, a document already populated) are left alone.
 */
public final class Splicer {

    private Splicer() {
    }

    /** Where an id stands: a field of an object, or an element of an array. */
    public record Slot(JsonNode container, String name, int index, String id) {

        /** Puts {@code value} where the id was. */
        public void replace(JsonNode value) {
            if (container instanceof ObjectNode object) {
                object.set(name, value);
            }
            else {
                ((ArrayNode) container).set(index, value);
            }
        }
    }

    /** The id slots of {@code field} in each of {@code documents}, in document order. */
    public static List<Slot> slots(List<? extends JsonNode> documents, List<String> field, Predicate<String> isId) {
        List<Slot> slots = new ArrayList<>();
        for (JsonNode document : documents) {
            descend(document, field, 0, isId, slots);
        }
        return slots;
    }

    private static void descend(JsonNode node, List<String> field, int at, Predicate<String> isId, List<Slot> slots) {
        if (node instanceof ArrayNode array) {
            array.values().forEach(element -> descend(element, field, at, isId, slots));
            return;
        }
        if (!(node instanceof ObjectNode object)) {
            return;
        }
        String name = field.get(at);
        JsonNode child = object.get(name);
        if (child == null) {
            return;
        }
        if (at < field.size() - 1) {
            descend(child, field, at + 1, isId, slots);
        }
        else if (isId(child, isId)) {
            slots.add(new Slot(object, name, -1, child.stringValue()));
        }
        else if (child instanceof ArrayNode ids) {
            for (int i = 0; i < ids.size(); i++) {
                if (isId(ids.get(i), isId)) {
                    slots.add(new Slot(ids, null, i, ids.get(i).stringValue()));
                }
            }
        }
    }

    private static boolean isId(JsonNode node, Predicate<String> isId) {
        return node.isString() && isId.test(node.stringValue());
    }

    /** A copy of {@code document} with only the {@code keep} fields; all of them when {@code keep} is empty. */
    public static ObjectNode select(ObjectNode document, Set<String> keep) {
        ObjectNode copy = document.deepCopy();
        return keep.isEmpty() ? copy : copy.retain(keep);
    }
}
