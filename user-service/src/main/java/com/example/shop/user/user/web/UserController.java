package com.example.shop.user.user.web;

import java.net.URI;
import java.util.List;

import jakarta.validation.Valid;
import org.bson.types.ObjectId;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

import com.example.shop.security.Caller;
import com.example.shop.web.ApiParameters;
import com.example.shop.web.ObjectIds;
import com.example.shop.web.PageResponse;
import com.example.shop.web.Paging;
import com.example.shop.web.QueryParameters;
import com.example.shop.user.user.domain.UserService;

@RestController
@RequestMapping("/users")
public class UserController {

    /** The most ids one batch lookup takes. */
    public static final int MAX_BATCH = 100;

    private final UserService users;

    public UserController(UserService users) {
        this.users = users;
    }

    /** Sign-up: open to all. */
    @PostMapping
    public Mono<ResponseEntity<UserResponse>> create(@Valid @RequestBody UserRequests.CreateUser request) {
        return users.create(request.name(), request.email(), request.password())
                .map(UserResponse::of)
                .map(user -> ResponseEntity.created(URI.create("/users/" + user.id())).body(user));
    }

    /** The user itself sees the whole user; other users and services its {@link UserView.PublicUser}. */
    @GetMapping("/{id}")
    public Mono<UserView> get(@PathVariable String id) {
        ObjectId userId = ObjectIds.parse("id", id);
        return Caller.required().flatMap(caller -> users.get(userId).map(user -> UserView.of(user, caller)));
    }

    /**
     * Batch lookup: the users among {@code ids} that exist, in one query; each as the caller may see it. The answer
     * is one JSON array written at once (a list, not a stream of elements, each of which would be an HTTP chunk).
     */
    @GetMapping(params = "ids")
    @ApiParameters.Ids
    public Mono<List<UserView>> findAll(ServerWebExchange exchange) {
        return Flux.defer(() -> {
            QueryParameters.only(exchange.getRequest().getQueryParams(), ApiParameters.IDS_ONLY);
            List<ObjectId> parsed = ObjectIds.parseList("ids",
                    QueryParameters.list(exchange.getRequest().getQueryParams(), "ids"), MAX_BATCH);
            // a caller among the ids sees itself whole; every other user gets its public view, of which alone the
            // fields are read from the store
            return Caller.required().flatMapMany(caller -> parsed.stream().anyMatch(id -> caller.isUser(id.toHexString()))
                    ? users.findAll(parsed).map(user -> UserView.of(user, caller))
                    : users.findPublic(parsed).map(UserView.PublicUser::of));
        }).collectList();
    }

    /**
     * A page of users, each as the caller may see it, filtered on {@link UserService#FILTERABLE}
     * ({@code name=prefix.Ad}); any other parameter but the page's is a 400, {@code email} included. The API
     * document describes the filters ({@link UserFilterDocumentation}).
     */
    @GetMapping
    @ApiParameters.Page
    public Mono<PageResponse<UserView>> page(ServerWebExchange exchange) {
        return Mono.defer(() -> {
            var query = exchange.getRequest().getQueryParams();
            var pageable = Paging.of(query, UserService.SORTABLE);
            var filters = UserService.FILTERABLE.parse(query, Paging.PARAMETERS);
            return Caller.required().flatMap(caller -> users.page(pageable, filters)
                    .map(result -> PageResponse.of(result, user -> UserView.of(user, caller))));
        });
    }

    /** Only the user itself (the access rules refuse anyone else before the body is read; checked again here). */
    @PatchMapping("/{id}")
    public Mono<UserResponse> update(@PathVariable String id, @Valid @RequestBody UserRequests.UpdateUser request) {
        ObjectId userId = ObjectIds.parse("id", id);
        return Caller.requireUser(userId.toHexString(), "change this user")
                .then(Mono.defer(() -> users.update(userId, request.name(), request.email())))
                .map(UserResponse::of);
    }

    /** Only the user itself. */
    @DeleteMapping("/{id}")
    @ResponseStatus(org.springframework.http.HttpStatus.NO_CONTENT)
    public Mono<Void> delete(@PathVariable String id) {
        ObjectId userId = ObjectIds.parse("id", id);
        return Caller.requireUser(userId.toHexString(), "delete this user")
                .then(Mono.defer(() -> users.delete(userId)));
    }
}
