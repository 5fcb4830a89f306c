package com.example.shop.gateway.populate;

import java.util.List;

import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResourceSchemaTest {

    @Test
    void anEmbeddedResourceLendsItsReferencesUnderItsField() {
        assertThat(ShopSchema.resources().refs("user")).extracting(ResourceSchema.Ref::path)
                .containsExactly("cart.items.productId");
    }

    @Test
    void theTargetsAreTheResourcesReferredTo() {
        assertThat(ShopSchema.resources().targets()).containsExactly("product", "user");
    }

    @Test
    void theLongestMatchingReferenceWins() {
        ResourceSchema schema = ResourceSchema.builder().resource("b")
                .ref("a", "x", "b").ref("a", "x.y", "b").build();

        assertThat(schema.refAt("a", List.of("x", "y"), 0)).get().extracting(ResourceSchema.Ref::path).isEqualTo("x.y");
    }

    @Test
    void aReferenceToAnUndeclaredResourceIsAMistakeFoundAtStartUp() {
        assertThatThrownBy(() -> ResourceSchema.builder().ref("a", "x", "nowhere").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("nowhere");
    }

    @Test
    void aResourceEmbeddingItselfIsRejected() {
        assertThatThrownBy(() -> ResourceSchema.builder().embed("a", "b", "a").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("embeds itself");
    }
}
