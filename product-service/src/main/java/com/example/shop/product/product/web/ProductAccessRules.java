package com.example.shop.product.product.web;

import org.springframework.http.HttpMethod;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.stereotype.Component;

import com.example.shop.security.AccessRules;
import com.example.shop.security.Caller;
import com.example.shop.security.ServiceAccess;

/**
 * Who may call {@code /products}: anyone reads ({@code GET}, {@code HEAD}, {@code OPTIONS}; no token
 * needed; a token that is sent must be valid);
 * creating, changing and deleting need a user's access token: none is a 401, a service token a 403
 * (services do not own products). Whether the user owns the product is checked by {@code ProductService}
 * in the write itself. {@code /internal/**} (user-service deleting a deleted user's products) takes
 * user-service's credential only, but for the reads of {@code /internal/products/ids} (the owners of the products
 * matching a page's filters, which the gateway asks on a caller's behalf), public as every read of products. Every other path keeps the shared default: a valid token of any kind.
 */
@Component
public class ProductAccessRules implements AccessRules {

    @Override
    public void configure(ServerHttpSecurity.AuthorizeExchangeSpec exchanges) {
        AccessRules.permitReads(exchanges, "/products", "/products/*");
        exchanges.pathMatchers(HttpMethod.POST, "/products").hasAuthority(Caller.ROLE_USER);
        exchanges.pathMatchers(HttpMethod.PATCH, "/products/*").hasAuthority(Caller.ROLE_USER);
        exchanges.pathMatchers(HttpMethod.DELETE, "/products/*").hasAuthority(Caller.ROLE_USER);
        // the owners of the products matching a page's filters, which the gateway asks on a caller's behalf: public,
        // as every read of products (MatchingProductsController)
        AccessRules.permitReads(exchanges, MatchingProductsController.PATH);
        // called by user-service only (InternalProductController)
        exchanges.pathMatchers("/internal/**").access(ServiceAccess.only(InternalProductController.USER_SERVICE));
    }
}
