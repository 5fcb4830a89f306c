package com.example.shop.gateway.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

import com.example.shop.web.ObjectIds;
import com.example.shop.gateway.populate.ResourceSchema;

/**
 * The shop's public API as the gateway's {@code api.yml} declares it, bound as the application binds it, for
 * tests that need the real declaration without a Spring context (the populate schema, the cache's resources).
 */
public final class ShopApi {

    public static final String USER = "user";

    public static final String PRODUCT = "product";

    public static final String CART = "cart";

    private static final PublicApi API = load();

    private ShopApi() {
    }

    public static PublicApi api() {
        return API;
    }

    /** The declaration as {@code api.yml} has it. */
    public static ApiDeclaration declaration() {
        return declaration(Map.of());
    }

    /** The declaration as {@code api.yml} has it, with {@code added} properties over it (as a test's would be). */
    public static ApiDeclaration declaration(Map<String, String> added) {
        try {
            List<PropertySource<?>> sources = new ArrayList<>();
            sources.add(new MapPropertySource("added", Map.copyOf(added)));
            sources.addAll(new YamlPropertySourceLoader().load("api.yml", new ClassPathResource("api.yml")));
            return new Binder(ConfigurationPropertySources.from(sources), null,
                    ApplicationConversionService.getSharedInstance()).bindOrCreate("shop.api", ApiDeclaration.class);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static PublicApi load() {
        ApiDeclaration declaration = declaration();
        return new PublicApi(declaration, declaration.backends().keySet());
    }

    /** The populate schema derived from the declaration. */
    public static ResourceSchema resources() {
        return API.schema();
    }

    /** Ids as the gateway takes them: ObjectIds in the services' spelling. */
    public static boolean isId(String value) {
        return ObjectIds.isValid(value);
    }
}
