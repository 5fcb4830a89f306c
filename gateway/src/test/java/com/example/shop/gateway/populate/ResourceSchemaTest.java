package com.example.shop.gateway.populate;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.example.shop.gateway.api.ShopApi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResourceSchemaTest {

    @Test
    void anEmbeddedResourceLendsItsReferencesUnderItsField() {
        assertThat(ShopApi.resources().refs("user")).extracting(ResourceSchema.Ref::path)
                .containsExactly("cart.items.productId", "products");
    }

    @Test
    void theTargetsAreTheResourcesReferredTo() {
        assertThat(ShopApi.resources().targets()).containsExactly("product", "user");
        assertThat(ShopApi.resources().listTargets()).containsExactly("product");
    }

    @Test
    void aListNeedsTheTargetsReferenceBackAndIsNotLentByEmbedding() {
        assertThatThrownBy(() -> ResourceSchema.builder().resource("a").ref("b", "aId", "a").list("a", "bs", "b", "owner")
                .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("needs b.owner to refer to a");
        ResourceSchema schema = ResourceSchema.builder().ref("b", "aId", "a").ref("a", "bId", "b")
                .list("a", "bs", "b", "aId").embed("c", "a", "a").build();
        assertThat(schema.refs("a")).extracting(ResourceSchema.Ref::path).containsExactly("bId", "bs");
        assertThat(schema.refs("c")).extracting(ResourceSchema.Ref::path).containsExactly("a.bId");
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
