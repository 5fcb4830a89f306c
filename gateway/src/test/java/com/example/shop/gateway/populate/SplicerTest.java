package com.example.shop.gateway.populate;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

import com.example.shop.gateway.api.ShopApi;

import static org.assertj.core.api.Assertions.assertThat;

class SplicerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final String P1 = "aaaaaaaaaaaaaaaaaaaaaaa1";

    private static final String P2 = "aaaaaaaaaaaaaaaaaaaaaaa2";

    private static JsonNode json(String text) {
        return JSON.readTree(text.replace('\'', '"'));
    }

    @Test
    void arraysAlongThePathAreWalkedThrough() {
        JsonNode user = json("{'id':'u','cart':{'items':[{'productId':'" + P1 + "','quantity':1},"
                + "{'productId':'" + P2 + "','quantity':2}]}}");

        List<Splicer.Slot> slots = Splicer.slots(List.of(user), List.of("cart", "items", "productId"), ShopApi::isId);

        assertThat(slots).extracting(Splicer.Slot::id).containsExactly(P1, P2);
    }

    @Test
    void aFieldHoldingAnArrayOfIdsHasASlotPerId() {
        JsonNode doc = json("{'tags':['" + P1 + "','" + P2 + "']}");

        List<Splicer.Slot> slots = Splicer.slots(List.of(doc), List.of("tags"), ShopApi::isId);
        slots.get(1).replace(StringNode.valueOf("second"));

        assertThat(slots).extracting(Splicer.Slot::id).containsExactly(P1, P2);
        assertThat(doc.toString()).isEqualTo("{\"tags\":[\"" + P1 + "\",\"second\"]}");
    }

    @Test
    void valuesThatAreNotIdsAreLeftAlone() {
        JsonNode docs = json("[{'userId':null},{'userId':5},{'userId':'not-an-id'},{'userId':{'id':'" + P1 + "'}},{},"
                + "{'userId':'" + P1.toUpperCase() + "'}]");

        assertThat(Splicer.slots(List.of(docs), List.of("userId"), ShopApi::isId)).isEmpty();
    }

    @Test
    void replacingPutsTheValueWhereTheIdWas() {
        JsonNode product = json("{'id':'p','userId':'" + P1 + "'}");
        Splicer.Slot slot = Splicer.slots(List.of(product), List.of("userId"), ShopApi::isId).get(0);

        slot.replace(json("{'id':'" + P1 + "','name':'Ada'}"));

        assertThat(product.get("userId").get("name").stringValue()).isEqualTo("Ada");
    }

    @Test
    void selectingKeepsOnlyTheNamedFieldsOfACopy() {
        ObjectNode user = (ObjectNode) json("{'id':'u','name':'Ada','email':'ada@example.com','cart':{'items':[]}}");

        ObjectNode selected = Splicer.select(user, Set.of("id", "name"));

        assertThat(selected.propertyNames()).containsExactly("id", "name");
        assertThat(user.propertyNames()).hasSize(4);
        assertThat(Splicer.select(user, Set.of())).isEqualTo(user).isNotSameAs(user);
    }
}
