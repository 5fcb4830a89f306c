package com.example.shop.product.product.web;

import java.util.List;

import org.bson.types.ObjectId;
import reactor.core.publisher.Flux;

import org.springframework.data.domain.Sort;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

import com.example.shop.web.ApiException;
import com.example.shop.web.ObjectIds;
import com.example.shop.web.Paging;
import com.example.shop.web.QueryParameters;
import com.example.shop.product.product.domain.ProductService;

/**
 * {@code GET /products/owned?userId=a,b[&sort=price,desc][&limit=N]}: the reverse of a product's
 * {@code userId}, for the gateway's {@code populate=products}. One entry per owner asked, in the order
 * asked (an id given twice answers once), each with the owner's live products in {@code sort} order, then
 * by id, at most {@code limit} (1–{@value #MAX_LIMIT}, default {@value #MAX_LIMIT}) per owner; with
 * {@code count=true} the number of them instead. Public, as every read of products. The parameters are
 * read raw ({@link QueryParameters}): Spring would split {@code sort=price,desc}, read {@code count=yes} as true
 * and take the first of two {@code limit}s.
 */
@RestController
public class OwnedProductsController {

    /** The most products answered per owner, and the default. */
    public static final int MAX_LIMIT = 100;

    private final ProductService products;

    public OwnedProductsController(ProductService products) {
        this.products = products;
    }

    @GetMapping("/products/owned")
    public Flux<OwnersProducts> owned(ServerWebExchange exchange) {
        MultiValueMap<String, String> params = exchange.getRequest().getQueryParams();
        return Flux.defer(() -> {
            List<ObjectId> owners = ObjectIds.parseList("userId", QueryParameters.list(params, "userId"),
                    ProductController.MAX_BATCH);
            if (owners.isEmpty()) {
                throw ApiException.badRequest("userId", "is required: the owners' ids, comma-separated");
            }
            if (count(QueryParameters.single(params, "count"))) {
                for (String option : List.of(Paging.SORT, "limit")) {
                    if (params.containsKey(option)) {
                        throw ApiException.badRequest(option, "does not go with count=true, which counts every product");
                    }
                }
                return products.countsOf(owners).flatMapIterable(counts -> owners.stream()
                        .map(owner -> OwnersProducts.counted(owner, counts.getOrDefault(owner, 0L))).toList());
            }
            Sort sort = Paging.sort(params, ProductService.SORTABLE);
            int limit = QueryParameters.integer(params, "limit", MAX_LIMIT, 1, MAX_LIMIT);
            return products.productsOf(owners, sort, limit).flatMapIterable(byOwner -> owners.stream()
                    .map(owner -> OwnersProducts.listed(owner, byOwner.get(owner))).toList());
        });
    }

    /** {@code count}: {@code true} or {@code false}, nothing else; absent is false. */
    private static boolean count(String value) {
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw ApiException.badRequest("count", "must be true or false");
    }
}
