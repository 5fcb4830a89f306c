package com.example.shop.product.product.web;

import java.net.URI;
import java.util.List;

import jakarta.validation.Valid;
import org.bson.types.ObjectId;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
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
import com.example.shop.web.ApiException;
import com.example.shop.web.ApiParameters;
import com.example.shop.web.ObjectIds;
import com.example.shop.web.PageResponse;
import com.example.shop.web.Paging;
import com.example.shop.web.QueryParameters;
import com.example.shop.product.product.domain.Product;
import com.example.shop.product.product.domain.ProductChanges;
import com.example.shop.product.product.domain.ProductService;

/**
 * {@code /products}. Reads are public; writes need a user's access token ({@link ProductAccessRules}),
 * and the service checks that the caller owns what it changes. The order of answers to a write: 401 no
 * valid token, 403 not a user's token, 400 invalid body or id, 403 a {@code userId} other than the
 * caller's (a change: 404 first if there is no such product); then the check that user-service still
 * knows the caller (503 if it cannot say; if not, a create is a 422 and a change or delete a 403); then
 * 404 no such product, 403 someone else's product.
 */
@RestController
@RequestMapping("/products")
public class ProductController {

    /** The most ids one batch lookup takes. */
    public static final int MAX_BATCH = 100;

    private final ProductService products;

    public ProductController(ProductService products) {
        this.products = products;
    }

    @PostMapping
    public Mono<ResponseEntity<ProductResponse>> create(@Valid @RequestBody ProductRequests.CreateProduct request) {
        return signedInUser("create products")
                .flatMap(caller -> products.create(new Product(null, request.title(), request.imageUrl(),
                        request.price(), request.description(),
                        request.userId() == null ? null : ObjectIds.parse("userId", request.userId()), null), caller))
                .map(ProductResponse::of)
                .map(product -> ResponseEntity.created(URI.create("/products/" + product.id())).body(product));
    }

    @GetMapping("/{id}")
    public Mono<ProductResponse> get(@PathVariable String id) {
        return products.get(ObjectIds.parse("id", id)).map(ProductResponse::of);
    }

    /**
     * Batch lookup: the products among {@code ids} that exist, in one query. The answer is one JSON array written
     * at once (a list, not a stream of elements, each of which would be an HTTP chunk of its own).
     */
    @GetMapping(params = "ids")
    @ApiParameters.Ids
    public Mono<List<ProductResponse>> findAll(ServerWebExchange exchange) {
        MultiValueMap<String, String> params = exchange.getRequest().getQueryParams();
        return Flux.defer(() -> {
            QueryParameters.only(params, ApiParameters.IDS_ONLY);
            return products.findAll(ObjectIds.parseList("ids", QueryParameters.list(params, "ids"), MAX_BATCH));
        }).map(ProductResponse::of).collectList();
    }

    /**
     * A page of products, filtered on {@link ProductService#FILTERABLE} ({@code price=gte.100&userId=in.a,b});
     * any other parameter but the page's is a 400. The parameters are read raw ({@link Paging}): Spring would
     * split {@code sort=price,desc} and take {@code size=} as no size. The API document describes the filters
     * ({@link ProductFilterDocumentation}).
     */
    @GetMapping
    @ApiParameters.Page
    public Mono<PageResponse<ProductResponse>> page(ServerWebExchange exchange) {
        MultiValueMap<String, String> params = exchange.getRequest().getQueryParams();
        return Mono.defer(() -> products.page(Paging.of(params, ProductService.SORTABLE),
                        ProductService.FILTERABLE.parse(params, Paging.PARAMETERS)))
                .map(result -> PageResponse.of(result, ProductResponse::of));
    }

    @PatchMapping("/{id}")
    public Mono<ProductResponse> update(@PathVariable String id,
            @Valid @RequestBody ProductRequests.UpdateProduct request) {
        return signedInUser("change products")
                .flatMap(caller -> products.update(ObjectIds.parse("id", id), new ProductChanges(request.title(),
                        request.imageUrl(), request.price(), request.description(),
                        request.userId() == null ? null : ObjectIds.parse("userId", request.userId())), caller))
                .map(ProductResponse::of);
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public Mono<Void> delete(@PathVariable String id) {
        return signedInUser("delete products")
                .flatMap(caller -> products.delete(ObjectIds.parse("id", id), caller));
    }

    /**
     * The id of the user making the request. The access rules already let only users' tokens through to
     * the writes; this says so again where the id is used, so that a rule changed by mistake cannot make
     * a service (or a token whose subject is no user id) the owner of a product.
     */
    private static Mono<ObjectId> signedInUser(String action) {
        return Caller.required().flatMap(caller -> {
            if (caller.isService()) {
                return Mono.error(ApiException.forbidden("services do not own products; only a user may " + action));
            }
            if (!ObjectIds.isValid(caller.id())) {
                return Mono.error(ApiException.forbidden("the token's subject is not a user id"));
            }
            return Mono.just(new ObjectId(caller.id()));
        });
    }
}
