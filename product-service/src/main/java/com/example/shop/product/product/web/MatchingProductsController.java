package com.example.shop.product.product.web;

import java.util.List;
import java.util.Set;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

import com.example.shop.web.filter.MatchingIds;
import com.example.shop.product.product.domain.ProductService;

/**
 * {@code GET /internal/products/ids?price=gte.100&of=userId&limit=1001}: the distinct owners ({@code of=userId}) of the
 * products that pass the filters, as a JSON array ({@link MatchingIds}), for the
 * gateway's filters through a user's list of products ({@code /api/users?products.price=gte.100}). Internal in that
 * the gateway never routes it: it asks it itself, on the caller's behalf; public, as every read of products is, with
 * the filters of a page of products ({@link ProductService#FILTERABLE}).
 */
@RestController
public class MatchingProductsController {

    public static final String PATH = "/internal/products/ids";

    private final ProductService products;

    public MatchingProductsController(ProductService products) {
        this.products = products;
    }

    @GetMapping(PATH)
    public Mono<List<String>> ids(ServerWebExchange exchange) {
        return Flux.defer(() -> products.matchingIds(MatchingIds.parse(exchange.getRequest().getQueryParams(),
                ProductService.FILTERABLE, Set.of("userId")))).map(id -> id.toHexString()).collectList();
    }
}
