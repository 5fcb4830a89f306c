package com.example.shop.product.product.web;

import java.util.List;

import org.bson.types.ObjectId;
import reactor.core.publisher.Flux;

import org.springframework.data.domain.Sort;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

import com.example.shop.common.web.ApiException;
import com.example.shop.common.web.ObjectIds;
import com.example.shop.common.web.Paging;
import com.example.shop.common.web.StrictIntegers;
import com.example.shop.product.product.domain.ProductService;

/**
 * {@code GET /products/owned?userId=a,b[&sort=price,desc][&limit=N]}: the reverse of a product's
 * {@code userId}, for the gateway's {@code populate=products}. One entry per owner asked, in the order
 * asked (an id given twice answers once), each with the owner's live products in {@code sort} order, then
 * by id, at most {@code limit} (1–{@value #MAX_LIMIT}, default {@value #MAX_LIMIT}) per owner; with
 * {@code count=true} the number of them instead. Public, as every read of products. The parameters are
 * read raw: Spring would split {@code sort=price,desc}, read {@code count=yes} as true and take the first
 * of two {@code limit}s.
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
            List<ObjectId> owners = ObjectIds.parseList("userId", params.getOrDefault("userId", List.of()),
                    ProductController.MAX_BATCH);
            if (owners.isEmpty()) {
                throw ApiException.badRequest("userId", "is required: the owners' ids, comma-separated");
            }
            if (count(params.get("count"))) {
                for (String option : List.of("sort", "limit")) {
                    if (params.containsKey(option)) {
                        throw ApiException.badRequest(option, "does not go with count=true, which counts every product");
                    }
                }
                return products.countsOf(owners).flatMapIterable(counts -> owners.stream()
                        .map(owner -> OwnersProducts.counted(owner, counts.getOrDefault(owner, 0L))).toList());
            }
            Sort sort = Paging.sort(params.getOrDefault("sort", List.of()), ProductService.SORTABLE);
            return products.productsOf(owners, sort, limit(params.get("limit"))).flatMapIterable(byOwner -> owners.stream()
                    .map(owner -> OwnersProducts.listed(owner, byOwner.get(owner))).toList());
        });
    }

    private static boolean count(List<String> values) {
        if (values == null) {
            return false;
        }
        if (values.size() == 1 && (values.get(0).equals("true") || values.get(0).equals("false"))) {
            return values.get(0).equals("true");
        }
        throw ApiException.badRequest("count", "must be given once, as true or false");
    }

    private static int limit(List<String> values) {
        if (values == null) {
            return MAX_LIMIT;
        }
        String message = "must be given once, a whole number from 1 to " + MAX_LIMIT;
        if (values.size() != 1) {
            throw ApiException.badRequest("limit", message);
        }
        try {
            long limit = StrictIntegers.parse(values.get(0));
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return (int) limit;
            }
        }
        catch (NumberFormatException ex) {
            // answered below
        }
        throw ApiException.badRequest("limit", message);
    }
}
