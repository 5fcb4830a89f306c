package com.example.shop.web;

import java.util.List;
import java.util.stream.Stream;

import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ObjectIdsTest {

    @Test
    void parsesHexIdsAndNamesTheFieldOfABadOne() {
        ObjectId id = new ObjectId();
        assertThat(ObjectIds.parse("id", id.toHexString())).isEqualTo(id);
        for (String bad : new String[] {"", "xyz", id.toHexString() + "0", "zz" + id.toHexString().substring(2), null}) {
            assertThatThrownBy(() -> ObjectIds.parse("userId", bad))
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.errors()).extracting(FieldProblem::field)
                            .containsExactly("userId"));
        }
    }

    @Test
    void anIdHasOneSpellingLowerCaseHex() {
        String id = "65f0a1b2c3d4e5f60718293a";
        assertThat(ObjectIds.isValid(id)).isTrue();
        for (String other : new String[] {id.toUpperCase(), "65F0a1b2c3d4e5f60718293a", " " + id, id + " ", "\uFF16" + id.substring(1)}) {
            assertThat(ObjectIds.isValid(other)).as(other).isFalse();
            assertThatThrownBy(() -> ObjectIds.parse("productId", other))
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.errors()).extracting(FieldProblem::field)
                            .containsExactly("productId"))
                    .hasMessageContaining("lower-case");
        }
        assertThatThrownBy(() -> ObjectIds.parseList("ids", List.of(id, id.toUpperCase()), 100))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.errors()).extracting(FieldProblem::field)
                        .containsExactly("ids"));
    }

    @Test
    void aBatchMergesDuplicatesAndKeepsOrder() {
        ObjectId a = new ObjectId();
        ObjectId b = new ObjectId();
        assertThat(ObjectIds.parseList("ids", List.of(a.toHexString(), b.toHexString(), a.toHexString()), 100))
                .containsExactly(a, b);
    }

    @Test
    void aBatchHasALimit() {
        List<String> many = Stream.generate(() -> new ObjectId().toHexString()).limit(101).toList();
        assertThatThrownBy(() -> ObjectIds.parseList("ids", many, 100)).hasMessageContaining("at most 100");
        assertThat(ObjectIds.parseList("ids", many.subList(0, 100), 100)).hasSize(100);
    }

    @Test
    void theLimitCountsIdsAsGivenDuplicatesIncluded() {
        String one = new ObjectId().toHexString();
        assertThatThrownBy(() -> ObjectIds.parseList("ids", java.util.Collections.nCopies(101, one), 100))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.errors()).extracting(FieldProblem::field)
                        .containsExactly("ids"))
                .hasMessageContaining("at most 100");
        assertThat(ObjectIds.parseList("ids", java.util.Collections.nCopies(100, one), 100)).hasSize(1);
    }
}
