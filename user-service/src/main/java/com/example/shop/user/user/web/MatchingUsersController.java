package com.example.shop.user.user.web;

import java.util.List;
import java.util.Set;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

import com.example.shop.web.filter.MatchingIds;
import com.example.shop.user.user.domain.UserService;

/**
 * {@code GET /internal/users/ids?name=eq.Ada&of=id&limit=1001}: the ids of the users that pass the filters, as a JSON
 * array ({@link MatchingIds}), for the gateway's filters through a reference to a user
 * ({@code /api/products?userId.name=eq.Ada}). Internal in that the gateway never routes it: it asks it itself, with
 * the caller's own token (the gateway's service credential for an anonymous caller), and it is open to every
 * signed-in caller, as a page of users is; the filters are the page's own ({@link UserService#FILTERABLE}, so
 * {@code email} is refused by name), so that nobody learns through it what a page would not show.
 */
@RestController
public class MatchingUsersController {

    public static final String PATH = "/internal/users/ids";

    private final UserService users;

    public MatchingUsersController(UserService users) {
        this.users = users;
    }

    @GetMapping(PATH)
    public Mono<List<String>> ids(ServerWebExchange exchange) {
        return Flux.defer(() -> users.matchingIds(MatchingIds.parse(exchange.getRequest().getQueryParams(),
                UserService.FILTERABLE, Set.of("id")))).map(id -> id.toHexString()).collectList();
    }
}
