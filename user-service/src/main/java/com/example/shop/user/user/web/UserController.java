package com.example.shop.user.user.web;

import java.net.URI;
import java.util.List;

import jakarta.validation.Valid;
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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

import com.example.shop.common.web.ObjectIds;
import com.example.shop.common.web.PageResponse;
import com.example.shop.common.web.Paging;
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

    @GetMapping("/{id}")
    public Mono<UserResponse> get(@PathVariable String id) {
        return users.get(ObjectIds.parse("id", id)).map(UserResponse::of);
    }

    /** Batch lookup: the users among {@code ids} that exist, in one query. */
    @GetMapping(params = "ids")
    public Flux<UserResponse> findAll(@RequestParam List<String> ids) {
        return Flux.defer(() -> users.findAll(ObjectIds.parseList("ids", ids, MAX_BATCH))).map(UserResponse::of);
    }

    @GetMapping
    public Mono<PageResponse<UserResponse>> page(@RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "20") int size, ServerWebExchange exchange) {
        List<String> sort = exchange.getRequest().getQueryParams().getOrDefault("sort", List.of());
        return Mono.defer(() -> users.page(Paging.of(page, size, sort, UserService.SORTABLE)))
                .map(result -> PageResponse.of(result, UserResponse::of));
    }

    @PatchMapping("/{id}")
    public Mono<UserResponse> update(@PathVariable String id, @Valid @RequestBody UserRequests.UpdateUser request) {
        return users.update(ObjectIds.parse("id", id), request.name(), request.email()).map(UserResponse::of);
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(org.springframework.http.HttpStatus.NO_CONTENT)
    public Mono<Void> delete(@PathVariable String id) {
        return users.delete(ObjectIds.parse("id", id));
    }
}
